#ifndef VELKNEE_COMMON_CRYPTO_RANDOM_H_
#define VELKNEE_COMMON_CRYPTO_RANDOM_H_

// Unguessable identifiers and secrets from the operating system's CSPRNG (OpenSSL RAND_bytes).
// Thread-safe.

#include <string>

namespace velknee {

// A resource id: 120 random bits as 24 lowercase base32 characters (a-z, 2-7), URL-safe and
// valid as an AIP-122 resource id segment. Never a counter, so ids cannot be enumerated.
std::string NewResourceId();

// A bearer token: 256 random bits, base64url without padding, prefixed `vkt_` so secret
// scanners and people recognise it.
std::string NewBearerToken();

}  // namespace velknee

#endif  // VELKNEE_COMMON_CRYPTO_RANDOM_H_
