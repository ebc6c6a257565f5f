// Randomness and comparison shared by the JWE primitives.
#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "identity/jose/jwe_crypto.h"

namespace tessera::identity::jose::crypto {

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (n == 0) return out;
  // CEKs, IVs and salts must never be predictable; if the CSPRNG cannot
  // deliver there is no safe way to continue, so stop rather than return a
  // status a caller might ignore.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) std::abort();
  return out;
}

std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // EVP_Digest with SHA-256 cannot fail for in-memory input short of memory
  // exhaustion; an empty result would then simply never match.
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) return "";
  return std::string(reinterpret_cast<const char*>(digest), len);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Lengths are public (tag sizes are fixed by the algorithm); contents are not.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tessera::identity::jose::crypto
