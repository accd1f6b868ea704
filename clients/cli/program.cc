#include "clients/cli/program.h"

#include <algorithm>
#include <iostream>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/connection.h"
#include "clients/cli/error_line.h"

namespace velknee::cli {
namespace {

constexpr char kVersion[] = "0.1.0";

std::string HelpText(const ProgramInfo& info) {
  return absl::StrCat(info.description, "\n\ncommands:\n", info.synopsis, info.notes,
                      "\nconnection: --target=HOST:PORT (default 127.0.0.1:50051), "
                      "--token_file=FILE or env VELKNEE_TOKEN,\n"
                      "  --intake_target/--plans_target/--notes_target/--scheduling_target "
                      "when the services run\n  as separate processes (each defaults to "
                      "--target),\n"
                      "  --tls_ca_file/--tls_cert_file/--tls_key_file, --timeout=10s; "
                      "--json prints proto JSON.\n"
                      "Flag names may be written with dashes too (--from-file).\n"
                      "exit status: 0 done, 1 the server refused or failed the call (an "
                      "error on stderr),\n  2 usage or local configuration error, or a "
                      "form that was not completed.");
}

}  // namespace

std::vector<std::string> WithUnderscoredFlagNames(const std::vector<std::string>& args) {
  std::vector<std::string> result;
  result.reserve(args.size());
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--") flags_done = true;
    if (!flags_done && i > 0 && absl::StartsWith(arg, "--")) {
      const size_t end = std::min(arg.find('='), arg.size());
      for (size_t j = 2; j < end; ++j) {
        if (arg[j] == '-') arg[j] = '_';
      }
    }
    result.push_back(std::move(arg));
  }
  return result;
}

std::vector<std::string> StartProgram(int argc, char** argv, const ProgramInfo& info) {
  QuietGrpcLogging();
  absl::SetProgramUsageMessage(HelpText(info));
  absl::FlagsUsageConfig usage_config;
  // --help lists the flags of the client code, not those of libraries
  // linked in (gRPC, absl).
  usage_config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "clients/");
  };
  const std::string version = absl::StrCat(info.name, " ", kVersion, "\n");
  usage_config.version_string = [version] { return version; };
  absl::SetFlagsUsageConfig(usage_config);

  // absl keeps pointers into argv for the program's lifetime.
  static std::vector<std::string>* spelled = new std::vector<std::string>(
      WithUnderscoredFlagNames(std::vector<std::string>(argv, argv + argc)));
  std::vector<char*> pointers;
  for (std::string& arg : *spelled) pointers.push_back(arg.data());
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(pointers.size()), pointers.data());
  return std::vector<std::string>(positional.begin() + 1, positional.end());
}

int ProgramUsageError(const ProgramInfo& info, absl::string_view problem) {
  std::cerr << "error: " << problem << "\n\nusage:\n"
            << info.synopsis << "run " << info.name << " --help for every flag\n";
  return kExitUsage;
}

}  // namespace velknee::cli
