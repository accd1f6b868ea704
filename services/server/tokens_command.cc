#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/auth/tokens_file.h"
#include "services/server/commands.h"
#include "services/server/flags.h"

namespace velknee::server {
namespace {

int Fail(const absl::Status& status) {
  absl::FPrintF(stderr, "error: %s\n", status.message());
  return 1;
}

int Add(const std::string& path) {
  const std::optional<Role> role = ParseRole(absl::GetFlag(FLAGS_role));
  if (!role.has_value()) {
    absl::FPrintF(stderr, "error: --role must be therapist, front_desk, service or admin\n");
    return 2;
  }
  const Principal principal{absl::GetFlag(FLAGS_principal), *role, absl::GetFlag(FLAGS_therapist)};
  absl::StatusOr<std::string> token = AddToken(path, principal);
  if (!token.ok()) return Fail(token.status());
  absl::PrintF("added a token with role %s for principal %s; it is shown only now:\n%s\n",
               RoleName(*role), principal.id, *token);
  return 0;
}

int List(const std::string& path) {
  absl::StatusOr<std::vector<TokenRecord>> records = ReadTokensFile(path);
  if (!records.ok()) return Fail(records.status());
  absl::PrintF("%-24s %-10s %-24s %-20s %s\n", "PRINCIPAL", "ROLE", "THERAPIST", "CREATED",
               "DIGEST");
  for (const TokenRecord& r : *records) {
    absl::PrintF("%-24s %-10s %-24s %-20s %s…\n", r.principal.id, RoleName(r.principal.role),
                 r.principal.therapist.empty() ? "-" : r.principal.therapist,
                 absl::FormatTime("%Y-%m-%d %H:%M:%S", r.create_time, absl::UTCTimeZone()),
                 r.token_sha256_hex.substr(0, 12));
  }
  return 0;
}

int Revoke(const std::string& path) {
  absl::StatusOr<int> removed = RevokeTokens(path, absl::GetFlag(FLAGS_principal));
  if (!removed.ok()) return Fail(removed.status());
  absl::PrintF(
      "revoked %d token(s) of principal %s; running servers refuse them within a "
      "second\n",
      *removed, absl::GetFlag(FLAGS_principal));
  return 0;
}

}  // namespace

int TokensCommand(const std::vector<std::string>& args) {
  const std::string path = absl::GetFlag(FLAGS_tokens_file);
  if (args.size() != 1 || path.empty()) {
    absl::FPrintF(stderr,
                  "usage: velknee-server tokens add --tokens_file=FILE --role=ROLE "
                  "--principal=ID [--therapist=therapists/T]\n"
                  "       velknee-server tokens list --tokens_file=FILE\n"
                  "       velknee-server tokens revoke --tokens_file=FILE --principal=ID\n");
    return 2;
  }
  if (args[0] == "add") return Add(path);
  if (args[0] == "list") return List(path);
  if (args[0] == "revoke") return Revoke(path);
  absl::FPrintF(stderr, "error: unknown tokens command %s (add, list, revoke)\n", args[0]);
  return 2;
}

}  // namespace velknee::server
