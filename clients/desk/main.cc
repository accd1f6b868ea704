// velknee-desk: the front-desk reference client. Shows how a reception desk
// uses velknee: registering and finding clients (and, in later issues,
// booking). Never shows clinical content; a FRONT_DESK token could not read
// it anyway.

#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/client_commands.h"
#include "clients/cli/connection.h"
#include "clients/cli/error_line.h"

namespace {

constexpr char kProgram[] = "velknee-desk";

std::string UsageText() {
  return absl::StrCat(
      "the velknee front-desk client.\n\ncommands:\n",
      velknee::cli::ClientsUsage(kProgram),
      "\nconnection: --target=HOST:PORT (default 127.0.0.1:50051), "
      "--token_file=FILE or env VELKNEE_TOKEN,\n"
      "  --tls_ca_file/--tls_cert_file/--tls_key_file, --timeout=10s; "
      "--json prints proto JSON.\n"
      "exit status: 0 done, 1 the server refused or failed the call (one "
      "error line on stderr),\n  2 usage or local configuration error.");
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
  usage_config.version_string = [] {
    return std::string("velknee-desk 0.1.0\n");
  };
  absl::SetFlagsUsageConfig(usage_config);

  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (args.empty() || args[0] != "clients") {
    std::cerr << "error: "
              << (args.empty()
                      ? std::string("missing command")
                      : absl::StrCat("unknown command \"", args[0], "\""))
              << "\n\nusage:\n"
              << velknee::cli::ClientsUsage(kProgram) << "run " << kProgram
              << " --help for every flag\n";
    return velknee::cli::kExitUsage;
  }
  args.erase(args.begin());
  velknee::cli::CommandIo io{kProgram, std::cout, std::cerr};
  return velknee::cli::RunClientsCommand(args, io);
}
