// JWS serializations (RFC 7515 §7): the compact form tokens arrive in, the
// JSON forms for conformance tests, the "crit" rules, and signing.
#include "identity/jose/jws.h"

#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include <boost/json/serialize.hpp>

#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "identity/jose/base64url.h"
#include "identity/jose/strict_json.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;
using ::tessera::AsAbsl;

// JSON serializations are for tests and tooling; bound them anyway.
constexpr std::size_t kMaxJsonJwsBytes = 1024 * 1024;

// Header parameter names registered by RFC 7515 §4.1 and RFC 7516 §4.1 (and
// RFC 7518 §4.6.1/§4.7.1/§4.8.1): RFC 7515 §4.1.11 forbids listing them in crit.
constexpr std::string_view kRegisteredNames[] = {
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
    "enc", "zip", "epk", "apu", "apv", "iv",  "tag", "p2s",      "p2c",
};

std::string_view View(const bj::string& s) { return std::string_view(s.data(), s.size()); }

absl::StatusOr<Algorithm> HeaderAlgorithm(const bj::object& header) {
  const bj::value* alg = header.if_contains("alg");
  if (alg == nullptr) return absl::InvalidArgumentError("JWS header has no \"alg\"");
  if (!alg->is_string()) return absl::InvalidArgumentError("JWS header \"alg\" is not a string");
  const std::string_view name = View(alg->as_string());
  // "none" in any spelling is not an algorithm (AlgorithmFromName is exact);
  // name it in the log so attacks are recognisable.
  std::optional<Algorithm> parsed = AlgorithmFromName(name);
  if (!parsed.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("JWS header alg \"", AsAbsl(name), "\" is not a known algorithm"));
  }
  if (!IsSigningAlgorithm(*parsed)) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWS header alg \"", AsAbsl(name), "\" is not a signature algorithm"));
  }
  return *parsed;
}

// RFC 7797 "b64": unsupported. Present with any value other than true it
// would change what the signature covers, so refuse it.
absl::Status CheckNoUnencodedPayload(const bj::object& header) {
  const bj::value* b64 = header.if_contains("b64");
  if (b64 != nullptr && !(b64->is_bool() && b64->as_bool())) {
    return absl::InvalidArgumentError("JWS header \"b64\" (RFC 7797 unencoded payload) is not supported");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DecodeSegment(std::string_view segment, const char* what) {
  absl::StatusOr<std::string> bytes = DecodeBase64Url(segment);
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("JWS ", what, ": ", std::string(bytes.status().message())));
  }
  return bytes;
}

// One signature of a JSON serialization.
absl::StatusOr<bool> VerifyJsonSignature(const bj::object& entry, std::string_view payload_b64,
                                         Algorithm alg, const Jwk& key) {
  std::string protected_b64;
  bj::object protected_header;
  if (const bj::value* p = entry.if_contains("protected")) {
    if (!p->is_string()) return absl::InvalidArgumentError("JWS JSON \"protected\" is not a string");
    protected_b64 = std::string(View(p->as_string()));
    TESSERA_ASSIGN_OR_RETURN(std::string header_json, DecodeSegment(protected_b64, "protected header"));
    TESSERA_ASSIGN_OR_RETURN(protected_header, ParseStrictJsonObject(header_json));
  }
  const bj::object* unprotected = nullptr;
  if (const bj::value* h = entry.if_contains("header")) {
    if (!h->is_object()) return absl::InvalidArgumentError("JWS JSON \"header\" is not an object");
    unprotected = &h->as_object();
    if (unprotected->contains("crit")) {
      return absl::InvalidArgumentError("JWS \"crit\" must be in the protected header");
    }
    // RFC 7515 §7.2.1: the header parameter sets must be disjoint.
    for (const auto& member : *unprotected) {
      if (protected_header.contains(member.key())) {
        return absl::InvalidArgumentError(
            absl::StrCat("JWS header \"", std::string(member.key()), "\" is both protected and unprotected"));
      }
    }
  }
  if (protected_header.empty() && unprotected == nullptr) {
    return absl::InvalidArgumentError("JWS JSON signature has no header");
  }
  bj::object joined = protected_header;
  if (unprotected != nullptr) {
    for (const auto& member : *unprotected) joined[member.key()] = member.value();
  }
  TESSERA_RETURN_IF_ERROR(CheckCriticalHeader(protected_header, unprotected));
  TESSERA_RETURN_IF_ERROR(CheckNoUnencodedPayload(joined));
  TESSERA_ASSIGN_OR_RETURN(Algorithm header_alg, HeaderAlgorithm(joined));
  if (header_alg != alg) return false;  // another recipient's signature
  const bj::value* sig = entry.if_contains("signature");
  if (sig == nullptr || !sig->is_string()) {
    return absl::InvalidArgumentError("JWS JSON \"signature\" is missing or not a string");
  }
  TESSERA_ASSIGN_OR_RETURN(std::string signature, DecodeSegment(View(sig->as_string()), "signature"));
  const std::string signing_input = absl::StrCat(protected_b64, ".", AsAbsl(payload_b64));
  return VerifySignature(alg, key, signing_input, signature).ok();
}

}  // namespace

absl::Status CheckCriticalHeader(const bj::object& protected_header, const bj::object* unprotected_header) {
  const bj::value* crit = protected_header.if_contains("crit");
  if (crit == nullptr) return absl::OkStatus();
  if (!crit->is_array()) return absl::InvalidArgumentError("JOSE header \"crit\" is not an array");
  if (crit->as_array().empty()) return absl::InvalidArgumentError("JOSE header \"crit\" is empty");
  std::set<std::string_view> seen;
  for (const bj::value& v : crit->as_array()) {
    if (!v.is_string()) return absl::InvalidArgumentError("JOSE header \"crit\" holds a non-string");
    const std::string_view name = View(v.as_string());
    if (name.empty()) return absl::InvalidArgumentError("JOSE header \"crit\" holds an empty name");
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat("JOSE header \"crit\" repeats \"", AsAbsl(name), "\""));
    }
    if (std::find(std::begin(kRegisteredNames), std::end(kRegisteredNames), name) != std::end(kRegisteredNames)) {
      return absl::InvalidArgumentError(
          absl::StrCat("JOSE header \"crit\" lists registered parameter \"", AsAbsl(name), "\""));
    }
    const bj::string_view key(name.data(), name.size());
    if (!protected_header.contains(key) && (unprotected_header == nullptr || !unprotected_header->contains(key))) {
      return absl::InvalidArgumentError(
          absl::StrCat("JOSE header \"crit\" lists \"", AsAbsl(name), "\", which the header does not hold"));
    }
    // No extension is understood, so any remaining name is unsupported.
    return absl::InvalidArgumentError(
        absl::StrCat("JOSE header \"crit\" lists unsupported extension \"", AsAbsl(name), "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<CompactJws> ParseCompactJws(std::string_view token, std::size_t max_bytes) {
  // The size cap comes before any decoding or allocation.
  if (token.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWS is ", token.size(), " bytes; the limit is ", max_bytes));
  }
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "compact JWS must have exactly 3 segments; got ", std::count(token.begin(), token.end(), '.') + 1));
  }
  CompactJws jws;
  jws.header_b64 = token.substr(0, dot1);
  jws.payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_b64 = token.substr(dot2 + 1);
  jws.signing_input = token.substr(0, dot2);
  if (jws.header_b64.empty()) return absl::InvalidArgumentError("JWS header segment is empty");
  if (signature_b64.empty()) return absl::InvalidArgumentError("JWS signature segment is empty");
  TESSERA_ASSIGN_OR_RETURN(std::string header_json, DecodeSegment(jws.header_b64, "header"));
  TESSERA_ASSIGN_OR_RETURN(jws.payload, DecodeSegment(jws.payload_b64, "payload"));
  TESSERA_ASSIGN_OR_RETURN(jws.signature, DecodeSegment(signature_b64, "signature"));
  absl::StatusOr<bj::object> header = ParseStrictJsonObject(header_json);
  if (!header.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("JWS header: ", std::string(header.status().message())));
  }
  jws.header = std::move(*header);
  TESSERA_ASSIGN_OR_RETURN(jws.alg, HeaderAlgorithm(jws.header));
  TESSERA_RETURN_IF_ERROR(CheckCriticalHeader(jws.header));
  TESSERA_RETURN_IF_ERROR(CheckNoUnencodedPayload(jws.header));
  return jws;
}

absl::StatusOr<CompactJws> VerifyCompactJws(std::string_view token, Algorithm alg, const Jwk& key,
                                             std::size_t max_bytes) {
  TESSERA_ASSIGN_OR_RETURN(CompactJws jws, ParseCompactJws(token, max_bytes));
  if (jws.alg != alg) {
    return absl::UnauthenticatedError(absl::StrCat("JWS header alg is ", AsAbsl(AlgorithmName(jws.alg)),
                                                   "; the key is bound to ", AsAbsl(AlgorithmName(alg))));
  }
  TESSERA_RETURN_IF_ERROR(VerifySignature(alg, key, jws.signing_input, jws.signature));
  return jws;
}

absl::StatusOr<std::string> VerifyJsonJws(std::string_view json, Algorithm alg, const Jwk& key) {
  if (json.size() > kMaxJsonJwsBytes) {
    return absl::InvalidArgumentError(absl::StrCat("JSON JWS is ", json.size(), " bytes; too large"));
  }
  TESSERA_ASSIGN_OR_RETURN(bj::object jws, ParseStrictJsonObject(json));
  const bj::value* payload = jws.if_contains("payload");
  if (payload == nullptr || !payload->is_string()) {
    return absl::InvalidArgumentError("JSON JWS \"payload\" is missing (detached content is not supported)");
  }
  const std::string_view payload_b64 = View(payload->as_string());
  TESSERA_ASSIGN_OR_RETURN(std::string payload_bytes, DecodeSegment(payload_b64, "payload"));

  std::vector<const bj::object*> entries;
  if (const bj::value* sigs = jws.if_contains("signatures")) {
    // General form; the flattened members must not also be present.
    if (jws.contains("signature") || jws.contains("protected") || jws.contains("header")) {
      return absl::InvalidArgumentError("JSON JWS mixes the general and flattened forms");
    }
    if (!sigs->is_array() || sigs->as_array().empty()) {
      return absl::InvalidArgumentError("JSON JWS \"signatures\" is not a non-empty array");
    }
    for (const bj::value& e : sigs->as_array()) {
      if (!e.is_object()) return absl::InvalidArgumentError("JSON JWS signature entry is not an object");
      entries.push_back(&e.as_object());
    }
  } else {
    entries.push_back(&jws);
  }
  for (const bj::object* entry : entries) {
    TESSERA_ASSIGN_OR_RETURN(bool verified, VerifyJsonSignature(*entry, payload_b64, alg, key));
    if (verified) return payload_bytes;
  }
  return absl::UnauthenticatedError(
      absl::StrCat("no ", AsAbsl(AlgorithmName(alg)), " signature of the JSON JWS verifies with the key"));
}

absl::StatusOr<std::string> SignCompactJwsWithHeader(Algorithm alg, const Jwk& private_key,
                                                     std::string_view protected_header_b64,
                                                     std::string_view payload) {
  TESSERA_ASSIGN_OR_RETURN(std::string header_json, DecodeSegment(protected_header_b64, "header"));
  TESSERA_ASSIGN_OR_RETURN(bj::object header, ParseStrictJsonObject(header_json));
  TESSERA_ASSIGN_OR_RETURN(Algorithm header_alg, HeaderAlgorithm(header));
  if (header_alg != alg) {
    return absl::InvalidArgumentError(absl::StrCat("protected header alg is ", AsAbsl(AlgorithmName(header_alg)),
                                                   ", not ", AsAbsl(AlgorithmName(alg))));
  }
  TESSERA_RETURN_IF_ERROR(CheckCriticalHeader(header));
  std::string token = absl::StrCat(AsAbsl(protected_header_b64), ".", EncodeBase64Url(payload));
  TESSERA_ASSIGN_OR_RETURN(std::string signature, ComputeSignature(alg, private_key, token));
  absl::StrAppend(&token, ".", EncodeBase64Url(signature));
  return token;
}

absl::StatusOr<std::string> SignCompactJws(Algorithm alg, const Jwk& private_key,
                                           const bj::object& extra_header, std::string_view payload) {
  if (!IsSigningAlgorithm(alg)) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(AlgorithmName(alg)), " is not a signature algorithm"));
  }
  bj::object header;
  header["alg"] = AlgorithmName(alg);
  for (const auto& member : extra_header) {
    if (member.key() == "alg") {
      if (!member.value().is_string() || View(member.value().as_string()) != AlgorithmName(alg)) {
        return absl::InvalidArgumentError("extra header \"alg\" contradicts the signing algorithm");
      }
      continue;
    }
    header[member.key()] = member.value();
  }
  return SignCompactJwsWithHeader(alg, private_key, EncodeBase64Url(bj::serialize(header)), payload);
}

}  // namespace tessera::identity::jose
