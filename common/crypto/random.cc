#include "common/crypto/random.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/escaping.h"

namespace velknee {
namespace {

template <size_t N>
std::array<uint8_t, N> RandomBytes() {
  std::array<uint8_t, N> bytes;
  // RAND_bytes only fails when the OS entropy source is broken; continuing would hand out
  // guessable ids and tokens, so stop the process instead.
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) std::abort();
  return bytes;
}

}  // namespace

std::string NewResourceId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  const auto bytes = RandomBytes<15>();  // 120 bits = 24 base32 digits exactly.
  std::string id;
  id.reserve(24);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      id.push_back(kAlphabet[(buffer >> bits) & 31]);
    }
  }
  return id;
}

std::string NewBearerToken() {
  const auto bytes = RandomBytes<32>();
  return "vkt_" + absl::WebSafeBase64Escape(
                      absl::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace velknee
