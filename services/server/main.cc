// velknee-server: hosts velknee's gRPC services, and manages tokens and the audit trail.

#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "services/server/commands.h"

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "velknee practice-management server.\n\n"
      "  velknee-server --data_dir=DIR --tokens_file=FILE --service_token_file=FILE "
      "[--listen=127.0.0.1:50051] [--services=intake,plans,notes,scheduling]\n"
      "      serve until SIGTERM/SIGINT\n"
      "  velknee-server tokens add --tokens_file=FILE --role=ROLE --principal=ID "
      "[--therapist=therapists/T]\n"
      "  velknee-server tokens list|revoke --tokens_file=FILE [--principal=ID]\n"
      "  velknee-server audit verify --data_dir=DIR\n\n"
      "Flags:");
  absl::FlagsUsageConfig usage_config;
  // --help lists velknee's own flags, not those of the libraries linked in (gRPC, absl).
  usage_config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "services/server/");
  };
  usage_config.version_string = [] { return std::string("velknee-server 0.1.0\n"); };
  absl::SetFlagsUsageConfig(usage_config);
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  const std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (args.empty()) return velknee::server::Serve();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "tokens") return velknee::server::TokensCommand(rest);
  if (args[0] == "audit") return velknee::server::AuditCommand(rest);
  absl::FPrintF(stderr, "error: unknown command %s (tokens, audit, or none to serve)\n", args[0]);
  return 2;
}
