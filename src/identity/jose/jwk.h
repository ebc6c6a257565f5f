#pragma once
// JSON Web Keys (RFC 7517, RFC 7518 §6, RFC 8037) and PEM keys, imported into
// OpenSSL once at configuration time and validated so that a weak or malformed
// key is refused when it is loaded, not when a token arrives:
//   RSA: modulus >= 2048 bits (configurable floor for tests only), e odd and > 1,
//        private keys consistent with their public part;
//   EC:  P-256/P-384/P-521, point on the curve, coordinates of the curve's exact size;
//   OKP: Ed25519 (signing) and X25519 (ECDH-ES), 32-byte x;
//   oct: non-empty; per-algorithm size rules are applied when a key is bound.
// A key with an "alg" is bound to that algorithm; its "use"/"key_ops" (if
// present) must agree with it.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include <boost/json/object.hpp>
#include <openssl/evp.h>

#include "identity/jose/algorithms.h"

namespace tessera::identity::jose {

enum class KeyType { kOct, kRsa, kEc, kOkp };

struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using EvpPkeyPtr = std::shared_ptr<EVP_PKEY>;  // constructed with EvpPkeyFree

struct Jwk {
  KeyType type = KeyType::kOct;
  std::string kid;                  // empty when absent
  std::optional<Algorithm> alg;     // the JWK's "alg", when present
  std::string use;                  // "sig", "enc" or empty
  std::vector<std::string> key_ops; // empty when absent
  std::string crv;                  // "P-256", "P-384", "P-521", "Ed25519", "X25519"; empty otherwise
  bool is_private = false;          // has private material (d / k for oct counts as private)
  std::string secret;               // oct only: the raw key bytes
  EvpPkeyPtr pkey;                  // RSA / EC / OKP only
  int bits = 0;                     // RSA modulus bits, EC field bits, oct key bits
  // An oct key whose "alg" names a content encryption (e.g. "A256GCM", as in
  // RFC 7520 §3.6) is a direct-encryption key: alg is then kDir and enc holds
  // the content encryption it is for.
  std::optional<ContentEncryption> enc;
};

struct KeyImportOptions {
  int min_rsa_bits = 2048;
  bool allow_private = true;   // false: a private member (d, p, q, ...) is an error (e.g. a remote key set)
  bool allow_symmetric = true; // false: kty "oct" is an error
};

absl::StatusOr<Jwk> ParseJwk(const boost::json::object& jwk, const KeyImportOptions& options = {});
// {"keys": [...]}. Rejects duplicate kids, and sets mixing public and private keys.
absl::StatusOr<std::vector<Jwk>> ParseJwkSet(const boost::json::object& set,
                                             const KeyImportOptions& options = {});
// A PEM public key (SPKI), certificate, or private key (PKCS#8 / traditional).
absl::StatusOr<Jwk> ParsePemKey(std::string_view pem, const KeyImportOptions& options = {});
// Text that is a PEM key, a JWK, or a JWK Set (the forms CUBEJS_JWT_KEY accepts).
absl::StatusOr<std::vector<Jwk>> ParseKeyMaterial(std::string_view text,
                                                  const KeyImportOptions& options = {});

// A symmetric key from raw bytes (CUBEJS_API_SECRET, a shared JWE secret).
Jwk SecretJwk(std::string_view bytes);
// True when `text` starts (after whitespace) like a JWK / JWK Set ('{') or a
// PEM block, rather than being a raw secret.
bool LooksLikeKeyDocument(std::string_view text);

// The public half as a JWK object (no private members); kid/alg/use copied.
absl::StatusOr<boost::json::object> PublicJwk(const Jwk& key);
// RFC 7638 thumbprint (SHA-256, base64url) of the public key.
absl::StatusOr<std::string> JwkThumbprint(const Jwk& key);

// Whether `key` may be used with `alg`: key type and curve match, "alg"/"use"/
// "key_ops" of the JWK agree, and size rules hold (HS*: secret at least the
// hash size; A*KW/A*GCMKW/dir: exact AES key size; RSA: min bits).
absl::Status CheckKeyFitsAlgorithm(const Jwk& key, Algorithm alg);
// For "dir": the secret must have the size `enc` needs.
absl::Status CheckKeyFitsContentEncryption(const Jwk& key, ContentEncryption enc);

}  // namespace tessera::identity::jose
