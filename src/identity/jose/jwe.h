#pragma once
// JSON Web Encryption (RFC 7516, RFC 7518 §4–5, RFC 8037 for X25519):
// decryption of compact tokens under an explicit policy, and encryption (for
// `tessera token --encrypt-to` and tests).
//
// Supported key management: dir, A128KW/A192KW/A256KW, A128GCMKW/A192GCMKW/
// A256GCMKW, RSA-OAEP, RSA-OAEP-256, ECDH-ES and ECDH-ES+A128KW/A192KW/A256KW
// (P-256/384/521, X25519; the ephemeral "epk" is validated on the curve of the
// recipient key), and — only when the policy enables them — RSA1_5 and
// PBES2-HS*+A*KW (p2c bounded). Content: A128GCM/A192GCM/A256GCM,
// A128CBC-HS256/A192CBC-HS384/A256CBC-HS512 (tag checked in constant time
// before decrypting). "zip":"DEF" only when enabled, with a bounded output.
// Every failure after the header is parsed returns the same error so that
// padding and tag failures are indistinguishable (no oracle).
#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include <boost/json/object.hpp>

#include "identity/jose/algorithms.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"

namespace tessera::identity::jose {

struct JweDecryptionPolicy {
  std::set<Algorithm> allowed_algs;           // key management; must be non-empty
  std::set<ContentEncryption> allowed_encs;   // must be non-empty
  bool allow_rsa1_5 = false;                  // even when listed in allowed_algs
  bool allow_pbes2 = false;                   // even when listed in allowed_algs
  bool allow_compression = false;
  int max_pbes2_iterations = 310000;
  std::size_t max_token_bytes = kDefaultMaxTokenBytes;
  std::size_t max_plaintext_bytes = 64 * 1024;
};

struct DecryptedJwe {
  boost::json::object header;  // the protected header (compact: all of it)
  Algorithm alg;
  ContentEncryption enc;
  std::string plaintext;
};

// Five segments; header strict JSON with "alg" and "enc" both allowed by the
// policy, "crit" checked as for JWS; the key must fit alg (CheckKeyFitsAlgorithm).
absl::StatusOr<DecryptedJwe> DecryptCompactJwe(std::string_view token, const Jwk& key,
                                               const JweDecryptionPolicy& policy);

// JSON serialization (general with several recipients, flattened; with "aad",
// shared "unprotected" and per-recipient "header") — for conformance tests.
// Tries the recipients whose alg fits `key`.
absl::StatusOr<DecryptedJwe> DecryptJsonJwe(std::string_view json, const Jwk& key,
                                            const JweDecryptionPolicy& policy);

// Encrypts to a recipient's public key (or shared secret for dir/A*KW/A*GCMKW).
// `extra_header` is merged into the protected header (e.g. {"cty":"JWT"}, kid).
absl::StatusOr<std::string> EncryptCompactJwe(Algorithm alg, ContentEncryption enc,
                                              const Jwk& recipient_key,
                                              const boost::json::object& extra_header,
                                              std::string_view plaintext);

}  // namespace tessera::identity::jose
