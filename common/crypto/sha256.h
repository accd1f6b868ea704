#ifndef VELKNEE_COMMON_CRYPTO_SHA256_H_
#define VELKNEE_COMMON_CRYPTO_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace velknee {

// The SHA-256 digest of `data` as 32 raw bytes.
std::string Sha256(absl::string_view data);

// The SHA-256 digest of `data` as 64 lowercase hex characters.
std::string Sha256Hex(absl::string_view data);

}  // namespace velknee

#endif  // VELKNEE_COMMON_CRYPTO_SHA256_H_
