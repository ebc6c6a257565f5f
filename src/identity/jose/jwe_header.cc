// JWE header checks (RFC 7516 §4): alg/enc names, the decryption policy,
// "crit", and base64url-valued parameters.
#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "base/absl_compat.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jwe_internal.h"

namespace tessera::identity::jose::jwe_internal {
namespace {

namespace bj = boost::json;

bool IsPbes2(Algorithm alg) {
  return alg == Algorithm::kPbes2Hs256A128KW || alg == Algorithm::kPbes2Hs384A192KW ||
         alg == Algorithm::kPbes2Hs512A256KW;
}

// Header parameters registered by RFC 7516 §4.1 and RFC 7518 §4.6.1/§4.7.1/
// §4.8.1: "crit" must not list these (RFC 7515 §4.1.11).
bool IsRegisteredName(std::string_view name) {
  static const std::set<std::string_view> kRegistered = {
      "alg", "enc", "zip", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
      "epk", "apu", "apv", "iv",  "tag", "p2s", "p2c"};
  return kRegistered.count(name) != 0;
}

}  // namespace

absl::StatusOr<Algorithm> HeaderAlg(const bj::object& header) {
  const bj::value* v = header.if_contains("alg");
  if (v == nullptr) return absl::InvalidArgumentError("JWE header has no \"alg\"");
  if (!v->is_string()) return absl::InvalidArgumentError("JWE header \"alg\" is not a string");
  const std::string_view name(v->as_string().data(), v->as_string().size());
  std::optional<Algorithm> alg = AlgorithmFromName(name);
  if (!alg.has_value() || !IsKeyManagementAlgorithm(*alg)) {
    return absl::InvalidArgumentError(absl::StrCat("JWE header \"alg\" \"", AsAbsl(name),
                                                   "\" is not a key management algorithm"));
  }
  return *alg;
}

absl::StatusOr<ContentEncryption> HeaderEnc(const bj::object& header) {
  const bj::value* v = header.if_contains("enc");
  if (v == nullptr) return absl::InvalidArgumentError("JWE header has no \"enc\"");
  if (!v->is_string()) return absl::InvalidArgumentError("JWE header \"enc\" is not a string");
  const std::string_view name(v->as_string().data(), v->as_string().size());
  std::optional<ContentEncryption> enc = ContentEncryptionFromName(name);
  if (!enc.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("JWE header \"enc\" \"", AsAbsl(name),
                                                   "\" is not a content encryption algorithm"));
  }
  return *enc;
}

absl::Status CheckPolicy(Algorithm alg, ContentEncryption enc, const JweDecryptionPolicy& policy) {
  if (policy.allowed_algs.empty() || policy.allowed_encs.empty()) {
    return absl::FailedPreconditionError("JWE policy allows no algorithm");
  }
  if (policy.allowed_algs.count(alg) == 0) {
    return absl::InvalidArgumentError(absl::StrCat("JWE alg ", AsAbsl(AlgorithmName(alg)), " is not allowed"));
  }
  if (policy.allowed_encs.count(enc) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWE enc ", AsAbsl(ContentEncryptionName(enc)), " is not allowed"));
  }
  // Listed is not enough for the two legacy families: RSA1_5 invites
  // Bleichenbacher-style attacks and PBES2 turns p2c into a CPU lever, so each
  // needs its own explicit switch.
  if (alg == Algorithm::kRsa1_5 && !policy.allow_rsa1_5) {
    return absl::InvalidArgumentError("JWE alg RSA1_5 is disabled (allow_rsa1_5 is off)");
  }
  if (IsPbes2(alg) && !policy.allow_pbes2) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWE alg ", AsAbsl(AlgorithmName(alg)), " is disabled (allow_pbes2 is off)"));
  }
  return absl::OkStatus();
}

absl::Status CheckCrit(const bj::object& protected_header, const bj::object& joint_header) {
  const bj::value* crit = joint_header.if_contains("crit");
  if (crit == nullptr) return absl::OkStatus();
  if (protected_header.if_contains("crit") == nullptr) {
    return absl::InvalidArgumentError("JWE \"crit\" must be integrity protected");
  }
  if (!crit->is_array() || crit->as_array().empty()) {
    return absl::InvalidArgumentError("JWE \"crit\" must be a non-empty array");
  }
  std::set<std::string> seen;
  for (const bj::value& item : crit->as_array()) {
    if (!item.is_string()) return absl::InvalidArgumentError("JWE \"crit\" entries must be strings");
    const std::string name(item.as_string().data(), item.as_string().size());
    if (!seen.insert(name).second) return absl::InvalidArgumentError("JWE \"crit\" lists a name twice");
    if (IsRegisteredName(name)) {
      return absl::InvalidArgumentError(absl::StrCat("JWE \"crit\" lists the registered name \"", name, "\""));
    }
    if (joint_header.if_contains(name) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("JWE \"crit\" lists \"", name, "\", which is absent"));
    }
  }
  // No extension header parameter is understood by this implementation.
  return absl::InvalidArgumentError(
      absl::StrCat("JWE \"crit\" lists \"", *seen.begin(), "\", which is not understood"));
}

absl::StatusOr<std::optional<std::string>> OptionalB64Param(const bj::object& header, std::string_view name) {
  const bj::value* v = header.if_contains(bj::string_view(name.data(), name.size()));
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat("JWE header \"", AsAbsl(name), "\" is not a string"));
  }
  absl::StatusOr<std::string> decoded =
      DecodeBase64Url(std::string_view(v->as_string().data(), v->as_string().size()));
  if (!decoded.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("JWE header \"", AsAbsl(name), "\" is not base64url"));
  }
  return std::optional<std::string>(std::move(*decoded));
}

}  // namespace tessera::identity::jose::jwe_internal
