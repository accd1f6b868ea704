#ifndef VELKNEE_COMMON_AUTH_TOKENS_FILE_H_
#define VELKNEE_COMMON_AUTH_TOKENS_FILE_H_

// The tokens file shared by every service of a clinic. It holds only SHA-256 digests of the
// tokens, one per line:
//
//   <sha256 hex> TAB <principal id> TAB <role> TAB <therapist or -> TAB <created, RFC 3339>
//
// Lines starting with '#' are comments. Changes are written to a temporary file and renamed
// over the old one, under an advisory lock on "<file>.lock", so running servers never read a
// half-written file and two administrators never lose each other's change.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace velknee {

struct TokenRecord {
  std::string token_sha256_hex;
  Principal principal;
  absl::Time create_time;
};

// The records of `path`. NOT_FOUND when the file does not exist; INVALID_ARGUMENT naming the
// line when a line is malformed.
absl::StatusOr<std::vector<TokenRecord>> ReadTokensFile(const std::string& path);

// INVALID_ARGUMENT unless `id` is 1-64 of [a-z0-9._-] and `principal` is consistent: a
// therapist principal names "therapists/{therapist}", other roles name none.
absl::Status ValidatePrincipal(const Principal& principal);

// Creates a new random token for `principal`, stores its digest (creating the file with mode
// 0600 if needed) and returns the token itself, which is never stored anywhere.
absl::StatusOr<std::string> AddToken(const std::string& path, const Principal& principal);

// Removes every token of principal `id` and returns how many were removed; NOT_FOUND when
// the principal has none.
absl::StatusOr<int> RevokeTokens(const std::string& path, absl::string_view id);

}  // namespace velknee

#endif  // VELKNEE_COMMON_AUTH_TOKENS_FILE_H_
