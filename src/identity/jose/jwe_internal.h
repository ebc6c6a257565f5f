#pragma once
// Internal pieces shared by the JWE sources (jwe*.cc), not part of the public
// JOSE API: content encryption by "enc", CEK recovery and creation by "alg",
// header checks, and the decryption core that compact and JSON serialization
// both feed.
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <boost/json/object.hpp>

#include "identity/jose/algorithms.h"
#include "identity/jose/jwe.h"
#include "identity/jose/jwk.h"

namespace tessera::identity::jose::jwe_internal {

// The one error returned for every failure of the cryptographic stage (key
// unwrap, RSA, ECDH, tag, padding, inflate), so the outcome cannot be used as
// an oracle; the causes before it (header, policy, key) are reported precisely.
absl::Status DecryptionFailed();

// ------------------------------------------------------------ content (enc)
std::size_t CekBytes(ContentEncryption enc);  // 16..64
// KEK size of the key-wrapping algorithms (A*KW, A*GCMKW, ECDH-ES+A*KW, PBES2); 0 for others.
std::size_t WrapKeyBytes(Algorithm alg);
std::size_t IvBytes(ContentEncryption enc);   // 12 (GCM) or 16 (CBC)
std::size_t TagBytes(ContentEncryption enc);  // 16 (GCM) or half the CBC-HS key
struct SealedContent {
  std::string iv;
  std::string ciphertext;
  std::string tag;
};
absl::StatusOr<SealedContent> EncryptContent(ContentEncryption enc, std::string_view cek, std::string_view aad,
                                             std::string_view plaintext);
absl::StatusOr<std::string> DecryptContent(ContentEncryption enc, std::string_view cek, std::string_view iv,
                                           std::string_view aad, std::string_view ciphertext,
                                           std::string_view tag);

// ------------------------------------------------------------ header
// A header parameter that must be a base64url string; nullopt when absent.
absl::StatusOr<std::optional<std::string>> OptionalB64Param(const boost::json::object& header,
                                                            std::string_view name);
// "alg"/"enc" allowed by the policy (with RSA1_5/PBES2 gated by their flags).
absl::Status CheckPolicy(Algorithm alg, ContentEncryption enc, const JweDecryptionPolicy& policy);
// RFC 7516 §4.1.13 / RFC 7515 §4.1.11: "crit" may only appear in the protected
// header; this implementation understands no JWE extension, so a well-formed
// "crit" still names something unknown and the object is rejected.
absl::Status CheckCrit(const boost::json::object& protected_header, const boost::json::object& joint_header);

// ------------------------------------------------------------ key management (alg)
// Recovers the CEK. Header-parameter problems (missing/ill-formed epk, iv, tag,
// p2s, p2c; non-empty encrypted key for dir/ECDH-ES) are specific errors; any
// cryptographic failure is DecryptionFailed().
absl::StatusOr<std::string> RecoverCek(Algorithm alg, ContentEncryption enc, const Jwk& key,
                                       const boost::json::object& joint_header, std::string_view encrypted_key,
                                       const JweDecryptionPolicy& policy);

struct NewCek {
  std::string cek;
  std::string encrypted_key;
  boost::json::object header_params;  // epk / iv+tag / p2s+p2c
};
// `extra_header` may carry apu/apv (ECDH-ES) and p2c (PBES2).
absl::StatusOr<NewCek> CreateCek(Algorithm alg, ContentEncryption enc, const Jwk& recipient_key,
                                 const boost::json::object& extra_header);

// ------------------------------------------------------------ decryption core
struct JweInput {
  boost::json::object protected_header;  // integrity-protected part
  boost::json::object joint_header;      // protected ∪ shared unprotected ∪ recipient
  std::string aad;                       // what the content tag covers
  std::string_view encrypted_key_b64;
  std::string_view iv_b64;
  std::string_view ciphertext_b64;
  std::string_view tag_b64;
};
// alg/enc from the joint header, policy, zip, crit, key fit, then decryption.
absl::StatusOr<DecryptedJwe> DecryptJweInput(const JweInput& input, const Jwk& key,
                                             const JweDecryptionPolicy& policy);

// alg and enc named by a header (strings naming known key-management and
// content-encryption algorithms).
absl::StatusOr<Algorithm> HeaderAlg(const boost::json::object& header);
absl::StatusOr<ContentEncryption> HeaderEnc(const boost::json::object& header);

}  // namespace tessera::identity::jose::jwe_internal
