// JWE compact serialization (RFC 7516 §7.1) and the decryption core shared
// with the JSON serialization: the order of checks is size, structure,
// header, policy, key, and only then cryptography.
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include <boost/json/serialize.hpp>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jwe_crypto.h"
#include "identity/jose/jwe_internal.h"
#include "identity/jose/strict_json.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;
using jwe_internal::DecryptionFailed;

// Header members the encrypter sets itself; a caller's extra header must not
// override them (a stale "epk" or "iv" would make the token undecryptable,
// and "crit" would name something no Tessera decrypter understands).
bool IsReservedForEncryption(std::string_view name) {
  return name == "alg" || name == "enc" || name == "epk" || name == "iv" || name == "tag" || name == "p2s" ||
         name == "crit";
}

// A failed primitive leaves reasons on OpenSSL's thread-local error queue;
// left there they would surface in some later, unrelated error text and tell
// a log reader which step of a decryption failed.
struct ClearOpenSslErrors {
  ClearOpenSslErrors() { ERR_clear_error(); }
  ~ClearOpenSslErrors() { ERR_clear_error(); }
  ClearOpenSslErrors(const ClearOpenSslErrors&) = delete;
  ClearOpenSslErrors& operator=(const ClearOpenSslErrors&) = delete;
};

struct ScrubOnExit {
  std::string& secret;
  ~ScrubOnExit() { OPENSSL_cleanse(secret.data(), secret.size()); }
};

}  // namespace

namespace jwe_internal {

absl::StatusOr<DecryptedJwe> DecryptJweInput(const JweInput& input, const Jwk& key,
                                             const JweDecryptionPolicy& policy) {
  ClearOpenSslErrors clear_errors;
  const bj::object& header = input.joint_header;
  TESSERA_ASSIGN_OR_RETURN(Algorithm alg, HeaderAlg(header));
  TESSERA_ASSIGN_OR_RETURN(ContentEncryption enc, HeaderEnc(header));
  TESSERA_RETURN_IF_ERROR(CheckPolicy(alg, enc, policy));

  // RFC 7516 §4.1.3: "zip" must be integrity protected; only DEF exists.
  const bool compressed = header.if_contains("zip") != nullptr;
  if (compressed) {
    if (input.protected_header.if_contains("zip") == nullptr) {
      return absl::InvalidArgumentError("JWE \"zip\" must be in the protected header");
    }
    const bj::value& zip = *header.if_contains("zip");
    if (!zip.is_string() || zip.as_string() != "DEF") {
      return absl::InvalidArgumentError("JWE \"zip\" is not \"DEF\"");
    }
    if (!policy.allow_compression) {
      return absl::InvalidArgumentError("JWE compression is disabled (allow_compression is off)");
    }
  }
  TESSERA_RETURN_IF_ERROR(CheckCrit(input.protected_header, header));

  // The key is bound to its algorithm by configuration; the token only names one.
  TESSERA_RETURN_IF_ERROR(CheckKeyFitsAlgorithm(key, alg));
  if (alg == Algorithm::kDir) TESSERA_RETURN_IF_ERROR(CheckKeyFitsContentEncryption(key, enc));

  absl::StatusOr<std::string> encrypted_key = DecodeBase64Url(input.encrypted_key_b64);
  absl::StatusOr<std::string> iv = DecodeBase64Url(input.iv_b64);
  absl::StatusOr<std::string> ciphertext = DecodeBase64Url(input.ciphertext_b64);
  absl::StatusOr<std::string> tag = DecodeBase64Url(input.tag_b64);
  if (!encrypted_key.ok() || !iv.ok() || !ciphertext.ok() || !tag.ok()) return DecryptionFailed();

  TESSERA_ASSIGN_OR_RETURN(std::string cek, RecoverCek(alg, enc, key, header, *encrypted_key, policy));
  ScrubOnExit scrub{cek};
  absl::StatusOr<std::string> plaintext = DecryptContent(enc, cek, *iv, input.aad, *ciphertext, *tag);
  if (!plaintext.ok()) return DecryptionFailed();
  if (compressed) {
    // The cap bounds the inflated size, not the compressed one (no bombs).
    plaintext = crypto::Inflate(*plaintext, policy.max_plaintext_bytes);
    if (!plaintext.ok()) return DecryptionFailed();
  } else if (plaintext->size() > policy.max_plaintext_bytes) {
    return DecryptionFailed();
  }
  DecryptedJwe out;
  out.header = input.protected_header;
  out.alg = alg;
  out.enc = enc;
  out.plaintext = std::move(*plaintext);
  return out;
}

}  // namespace jwe_internal

absl::StatusOr<DecryptedJwe> DecryptCompactJwe(std::string_view token, const Jwk& key,
                                               const JweDecryptionPolicy& policy) {
  if (token.size() > policy.max_token_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("JWE is larger than ", policy.max_token_bytes, " bytes"));
  }
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = token.find('.', start);
    segments.push_back(token.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
    if (segments.size() > 5) break;  // no need to split an over-long token further
  }
  if (segments.size() != 5) {
    return absl::InvalidArgumentError("a compact JWE has exactly five segments");
  }
  if (segments[0].empty()) return absl::InvalidArgumentError("JWE protected header is empty");
  absl::StatusOr<std::string> header_json = DecodeBase64Url(segments[0]);
  if (!header_json.ok()) return absl::InvalidArgumentError("JWE protected header is not base64url");
  absl::StatusOr<bj::object> header = ParseStrictJsonObject(*header_json);
  if (!header.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWE protected header is not a strict JSON object: ", header.status().message()));
  }
  jwe_internal::JweInput input;
  input.protected_header = *header;
  input.joint_header = std::move(*header);
  // RFC 7516 §5.1 step 14: the AAD is the ASCII of the encoded protected header.
  input.aad = std::string(segments[0]);
  input.encrypted_key_b64 = segments[1];
  input.iv_b64 = segments[2];
  input.ciphertext_b64 = segments[3];
  input.tag_b64 = segments[4];
  return jwe_internal::DecryptJweInput(input, key, policy);
}

absl::StatusOr<std::string> EncryptCompactJwe(Algorithm alg, ContentEncryption enc, const Jwk& recipient_key,
                                              const bj::object& extra_header, std::string_view plaintext) {
  if (!IsKeyManagementAlgorithm(alg)) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(AlgorithmName(alg)), " is not a key management algorithm"));
  }
  TESSERA_RETURN_IF_ERROR(CheckKeyFitsAlgorithm(recipient_key, alg));
  if (alg == Algorithm::kDir) TESSERA_RETURN_IF_ERROR(CheckKeyFitsContentEncryption(recipient_key, enc));
  for (const auto& member : extra_header) {
    const std::string_view name(member.key().data(), member.key().size());
    if (IsReservedForEncryption(name)) {
      return absl::InvalidArgumentError(absl::StrCat("extra header may not set \"", AsAbsl(name), "\""));
    }
  }
  bool compress = false;
  if (const bj::value* zip = extra_header.if_contains("zip"); zip != nullptr) {
    if (!zip->is_string() || zip->as_string() != "DEF") return absl::InvalidArgumentError("\"zip\" must be \"DEF\"");
    compress = true;
  }

  TESSERA_ASSIGN_OR_RETURN(jwe_internal::NewCek key_material,
                           jwe_internal::CreateCek(alg, enc, recipient_key, extra_header));
  ScrubOnExit scrub{key_material.cek};

  bj::object header;
  header["alg"] = AlgorithmName(alg);
  header["enc"] = ContentEncryptionName(enc);
  for (const auto& member : key_material.header_params) header[member.key()] = member.value();
  for (const auto& member : extra_header) {
    if (header.if_contains(member.key()) == nullptr) header[member.key()] = member.value();
  }
  const std::string header_b64 = EncodeBase64Url(bj::serialize(header));

  std::string deflated;
  if (compress) {
    TESSERA_ASSIGN_OR_RETURN(deflated, crypto::Deflate(plaintext));
  }
  TESSERA_ASSIGN_OR_RETURN(jwe_internal::SealedContent sealed,
                           jwe_internal::EncryptContent(enc, key_material.cek, header_b64,
                                                        compress ? std::string_view(deflated) : plaintext));
  return absl::StrCat(header_b64, ".", EncodeBase64Url(key_material.encrypted_key), ".",
                      EncodeBase64Url(sealed.iv), ".", EncodeBase64Url(sealed.ciphertext), ".",
                      EncodeBase64Url(sealed.tag));
}

}  // namespace tessera::identity::jose
