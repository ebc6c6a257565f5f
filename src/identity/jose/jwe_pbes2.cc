// PBES2 key derivation (RFC 7518 §4.8): PBKDF2 with HMAC-SHA2 over the
// password, salted with UTF8(alg) || 0x00 || p2s so that one salt cannot be
// replayed across algorithms. The iteration count is bounded by the caller's
// policy; this function only refuses the nonsensical.
#include "absl/status/status.h"
#include <openssl/evp.h>

#include "identity/jose/jwe_crypto.h"

namespace tessera::identity::jose::crypto {

absl::StatusOr<std::string> Pbes2DeriveKey(std::string_view password, std::string_view alg_name,
                                           std::string_view p2s, int iterations,
                                           std::size_t key_bytes) {
  const EVP_MD* md = nullptr;
  if (alg_name == "PBES2-HS256+A128KW") {
    md = EVP_sha256();
  } else if (alg_name == "PBES2-HS384+A192KW") {
    md = EVP_sha384();
  } else if (alg_name == "PBES2-HS512+A256KW") {
    md = EVP_sha512();
  } else {
    return absl::InvalidArgumentError("PBES2: unknown algorithm");
  }
  // RFC 7518 §4.8.1.1: the salt input must be at least 8 octets.
  if (p2s.size() < 8) return absl::InvalidArgumentError("PBES2: p2s shorter than 8 bytes");
  if (iterations < 1) return absl::InvalidArgumentError("PBES2: p2c must be positive");
  if (key_bytes == 0 || key_bytes > 64) return absl::InvalidArgumentError("PBES2: bad key length");
  std::string salt(alg_name);
  salt.push_back('\0');
  salt.append(p2s);
  std::string key(key_bytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        iterations, md, static_cast<int>(key_bytes),
                        reinterpret_cast<unsigned char*>(key.data())) != 1) {
    return absl::InternalError("PBES2: PBKDF2 failed");
  }
  return key;
}

}  // namespace tessera::identity::jose::crypto
