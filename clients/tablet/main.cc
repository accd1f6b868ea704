// velknee-tablet: the therapist's reference client. Shows how a treatment
// room uses velknee: registering and finding clients (the same commands as
// the desk), and taking intake assessments with the guided form, then
// submitting them for the contraindication screening. Plans and session
// notes follow in later issues, built the same way on clients/cli.

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/assessment_commands.h"
#include "clients/cli/client_commands.h"
#include "clients/cli/connection.h"
#include "clients/cli/error_line.h"

namespace {

constexpr char kProgram[] = "velknee-tablet";

std::string Synopsis() {
  return absl::StrCat(velknee::cli::ClientsUsage(kProgram), velknee::cli::IntakeUsage(kProgram));
}

std::string UsageText() {
  return absl::StrCat("the velknee therapist tablet client.\n\ncommands:\n", Synopsis(),
                      "\n`intake new` without --from_file asks the intake form question by "
                      "question on\nstandard input (answers may be piped, one per line).\n"
                      "\nconnection: --target=HOST:PORT (default 127.0.0.1:50051), "
                      "--token_file=FILE or env VELKNEE_TOKEN,\n"
                      "  --tls_ca_file/--tls_cert_file/--tls_key_file, --timeout=10s; "
                      "--json prints proto JSON.\n"
                      "Flag names may be written with dashes too (--from-file).\n"
                      "exit status: 0 done, 1 the server refused or failed the call (one "
                      "error line on stderr),\n  2 usage or local configuration error, or a "
                      "form that was not completed.");
}

// "--from-file=x" -> "--from_file=x": the flags are declared with
// underscores, and people type both. Only the name part changes, never a
// value, and nothing after a bare "--".
std::vector<char*> WithUnderscoredFlagNames(int argc, char** argv,
                                            std::vector<std::string>& storage) {
  storage.reserve(argc);
  bool flags_done = false;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") flags_done = true;
    if (!flags_done && i > 0 && absl::StartsWith(arg, "--")) {
      const size_t end = std::min(arg.find('='), arg.size());
      for (size_t j = 2; j < end; ++j) {
        if (arg[j] == '-') arg[j] = '_';
      }
    }
    storage.push_back(std::move(arg));
  }
  std::vector<char*> result;
  for (std::string& arg : storage) result.push_back(arg.data());
  return result;
}

int UsageError(const std::string& problem) {
  std::cerr << "error: " << problem << "\n\nusage:\n"
            << Synopsis() << "run " << kProgram << " --help for every flag\n";
  return velknee::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  velknee::cli::QuietGrpcLogging();
  absl::SetProgramUsageMessage(UsageText());
  absl::FlagsUsageConfig usage_config;
  // --help lists the flags of the client code, not those of libraries
  // linked in (gRPC, absl).
  usage_config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "clients/");
  };
  usage_config.version_string = [] { return std::string("velknee-tablet 0.1.0\n"); };
  absl::SetFlagsUsageConfig(usage_config);

  std::vector<std::string> storage;
  std::vector<char*> spelled = WithUnderscoredFlagNames(argc, argv, storage);
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(spelled.size()), spelled.data());
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (args.empty()) return UsageError("missing command");
  const std::string group = args[0];
  args.erase(args.begin());
  velknee::cli::CommandIo io{kProgram, std::cout, std::cerr};
  if (group == "clients") {
    if (const std::vector<std::string> misplaced = velknee::cli::IntakeFlagsGiven();
        !misplaced.empty()) {
      return UsageError(
          absl::StrCat(absl::StrJoin(misplaced, ", "), " does not apply to clients commands"));
    }
    return velknee::cli::RunClientsCommand(args, io);
  }
  if (group == "intake") {
    return velknee::cli::RunIntakeCommand(args, io, std::cin);
  }
  return UsageError(absl::StrCat("unknown command \"", group, "\""));
}
