#include "cli/random_secret.h"

#include <openssl/rand.h>

#include <string>
#include <vector>

namespace tessera::cli {

absl::StatusOr<std::string> RandomHexSecret(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    return absl::UnavailableError("the system random number generator failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes * 2);
  for (unsigned char b : raw) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0x0f];
  }
  return hex;
}

}  // namespace tessera::cli
