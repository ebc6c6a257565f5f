// JWE JSON serialization (RFC 7516 §7.2), general and flattened, for the
// conformance tests: the shared protected/unprotected headers and each
// recipient's header are joined (names must be disjoint, §7.2.1), and each
// recipient whose "alg" fits the key is tried in turn.
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jwe_internal.h"
#include "identity/jose/strict_json.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

absl::StatusOr<std::string_view> StringMember(const bj::object& o, std::string_view name, bool required) {
  const bj::value* v = o.if_contains(bj::string_view(name.data(), name.size()));
  if (v == nullptr) {
    if (required) return absl::InvalidArgumentError(absl::StrCat("JWE JSON has no \"", AsAbsl(name), "\""));
    return std::string_view();
  }
  if (!v->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat("JWE JSON \"", AsAbsl(name), "\" is not a string"));
  }
  return std::string_view(v->as_string().data(), v->as_string().size());
}

absl::StatusOr<const bj::object*> ObjectMember(const bj::object& o, std::string_view name) {
  const bj::value* v = o.if_contains(bj::string_view(name.data(), name.size()));
  if (v == nullptr) return static_cast<const bj::object*>(nullptr);
  if (!v->is_object()) {
    return absl::InvalidArgumentError(absl::StrCat("JWE JSON \"", AsAbsl(name), "\" is not an object"));
  }
  return &v->as_object();
}

// Adds `part` to `joint`; a name present twice is an error (RFC 7516 §7.2.1),
// so an unprotected copy can never shadow a protected value.
absl::Status Join(bj::object& joint, const bj::object* part) {
  if (part == nullptr) return absl::OkStatus();
  for (const auto& member : *part) {
    if (joint.if_contains(member.key()) != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("JWE header parameter \"",
                                                     AsAbsl(std::string_view(member.key().data(), member.key().size())),
                                                     "\" appears in more than one header"));
    }
    joint[member.key()] = member.value();
  }
  return absl::OkStatus();
}

struct Recipient {
  const bj::object* header = nullptr;
  std::string_view encrypted_key_b64;
};

}  // namespace

absl::StatusOr<DecryptedJwe> DecryptJsonJwe(std::string_view json, const Jwk& key,
                                            const JweDecryptionPolicy& policy) {
  if (json.size() > policy.max_token_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("JWE is larger than ", policy.max_token_bytes, " bytes"));
  }
  TESSERA_ASSIGN_OR_RETURN(bj::object root, ParseStrictJsonObject(json));

  TESSERA_ASSIGN_OR_RETURN(std::string_view protected_b64, StringMember(root, "protected", false));
  bj::object protected_header;
  if (!protected_b64.empty()) {
    absl::StatusOr<std::string> decoded = DecodeBase64Url(protected_b64);
    if (!decoded.ok()) return absl::InvalidArgumentError("JWE protected header is not base64url");
    absl::StatusOr<bj::object> parsed = ParseStrictJsonObject(*decoded);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWE protected header is not a strict JSON object: ", parsed.status().message()));
    }
    protected_header = std::move(*parsed);
  }
  TESSERA_ASSIGN_OR_RETURN(const bj::object* unprotected, ObjectMember(root, "unprotected"));
  TESSERA_ASSIGN_OR_RETURN(std::string_view iv_b64, StringMember(root, "iv", false));
  TESSERA_ASSIGN_OR_RETURN(std::string_view ciphertext_b64, StringMember(root, "ciphertext", true));
  TESSERA_ASSIGN_OR_RETURN(std::string_view tag_b64, StringMember(root, "tag", false));
  TESSERA_ASSIGN_OR_RETURN(std::string_view aad_b64, StringMember(root, "aad", false));
  if (root.if_contains("aad") != nullptr && !DecodeBase64Url(aad_b64).ok()) {
    return absl::InvalidArgumentError("JWE \"aad\" is not base64url");
  }

  std::vector<Recipient> recipients;
  if (const bj::value* list = root.if_contains("recipients"); list != nullptr) {
    // General syntax; the flattened members would be ambiguous next to it.
    if (root.if_contains("header") != nullptr || root.if_contains("encrypted_key") != nullptr) {
      return absl::InvalidArgumentError("JWE JSON mixes general and flattened syntax");
    }
    if (!list->is_array() || list->as_array().empty()) {
      return absl::InvalidArgumentError("JWE \"recipients\" must be a non-empty array");
    }
    for (const bj::value& item : list->as_array()) {
      if (!item.is_object()) return absl::InvalidArgumentError("JWE recipient is not an object");
      Recipient r;
      TESSERA_ASSIGN_OR_RETURN(r.header, ObjectMember(item.as_object(), "header"));
      TESSERA_ASSIGN_OR_RETURN(r.encrypted_key_b64, StringMember(item.as_object(), "encrypted_key", false));
      recipients.push_back(r);
    }
  } else {
    Recipient r;
    TESSERA_ASSIGN_OR_RETURN(r.header, ObjectMember(root, "header"));
    TESSERA_ASSIGN_OR_RETURN(r.encrypted_key_b64, StringMember(root, "encrypted_key", false));
    recipients.push_back(r);
  }

  jwe_internal::JweInput input;
  input.protected_header = protected_header;
  // RFC 7516 §5.1 step 14: ASCII(BASE64URL(protected)) [ "." BASE64URL(aad) ].
  input.aad = root.if_contains("aad") != nullptr ? absl::StrCat(AsAbsl(protected_b64), ".", AsAbsl(aad_b64))
                                                 : std::string(protected_b64);
  input.iv_b64 = iv_b64;
  input.ciphertext_b64 = ciphertext_b64;
  input.tag_b64 = tag_b64;

  // The first error from a recipient meant for this key is the one reported;
  // recipients for other keys are skipped silently.
  absl::Status first_error = absl::NotFoundError("no JWE recipient uses an algorithm that fits the key");
  bool have_relevant_error = false;
  for (const Recipient& r : recipients) {
    bj::object joint = protected_header;
    TESSERA_RETURN_IF_ERROR(Join(joint, unprotected));
    TESSERA_RETURN_IF_ERROR(Join(joint, r.header));
    absl::StatusOr<Algorithm> alg = jwe_internal::HeaderAlg(joint);
    if (!alg.ok() || !CheckKeyFitsAlgorithm(key, *alg).ok()) {
      if (!have_relevant_error && !alg.ok()) first_error = alg.status();
      continue;
    }
    input.joint_header = std::move(joint);
    input.encrypted_key_b64 = r.encrypted_key_b64;
    absl::StatusOr<DecryptedJwe> result = jwe_internal::DecryptJweInput(input, key, policy);
    if (result.ok()) return result;
    if (!have_relevant_error) {
      first_error = result.status();
      have_relevant_error = true;
    }
  }
  return first_error;
}

}  // namespace tessera::identity::jose
