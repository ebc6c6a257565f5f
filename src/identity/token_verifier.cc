#include "identity/token_verifier.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include <boost/json/serialize.hpp>
#include "identity/jose/jwe_crypto.h"

#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "identity/claims_validator.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jwe.h"
#include "identity/jose/jws.h"
#include "identity/jose/strict_json.h"

namespace tessera::identity {
namespace {

namespace json = boost::json;

absl::Status Refuse(std::string message) { return absl::PermissionDeniedError(message); }

// Keeps the status code uniform (PermissionDenied) while keeping the JOSE
// layer's precise message for the log.
absl::Status AsRefusal(const absl::Status& s, std::string_view context) {
  return absl::PermissionDeniedError(absl::StrCat(AsAbsl(context), ": ", std::string(s.message())));
}

std::string HexSha256(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : jose::crypto::Sha256(data)) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

bool IsSymmetricKeyManagement(jose::Algorithm alg) {
  switch (alg) {
    case jose::Algorithm::kDir:
    case jose::Algorithm::kA128KW:
    case jose::Algorithm::kA192KW:
    case jose::Algorithm::kA256KW:
    case jose::Algorithm::kA128GCMKW:
    case jose::Algorithm::kA192GCMKW:
    case jose::Algorithm::kA256GCMKW:
      return true;
    default:
      return false;
  }
}

// RFC 8725 §3.11 explicit typing: a JWT of another kind (a logout token, a
// security event) must not be accepted as an access token.
bool AcceptableTyp(const json::object& header) {
  const json::value* typ = header.if_contains("typ");
  if (typ == nullptr) return true;
  if (!typ->is_string()) return false;
  std::string t = absl::AsciiStrToLower(std::string(typ->get_string()));
  return t == "jwt" || t == "at+jwt" || t == "application/jwt" || t == "application/at+jwt";
}

// The protected header of a compact JWE, read to choose the decryption key.
absl::StatusOr<json::object> JweHeader(std::string_view token) {
  std::string_view first = token.substr(0, token.find('.'));
  TESSERA_ASSIGN_OR_RETURN(std::string text, jose::DecodeBase64Url(first));
  return jose::ParseStrictJsonObject(text);
}

std::string StringMember(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A validated NumericDate as whole seconds, clamped: a double beyond int64's
// range must not be cast (undefined behaviour), and a far-future exp only
// bounds how long the verified token may stay cached.
int64_t WholeSeconds(const json::value& v) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 2;
  if (v.is_int64()) return std::min(v.get_int64(), kMax);
  if (v.is_uint64()) return v.get_uint64() > static_cast<uint64_t>(kMax) ? kMax : static_cast<int64_t>(v.get_uint64());
  double d = v.get_double();
  if (d >= static_cast<double>(kMax)) return kMax;
  if (d <= -static_cast<double>(kMax)) return -kMax;
  return static_cast<int64_t>(std::floor(d));
}

}  // namespace

TokenVerifier::TokenVerifier(TokenPolicy policy) : policy_(std::move(policy)) {}

std::shared_ptr<const IssuerPolicy> TokenVerifier::IssuerOf(std::string_view payload) const {
  if (policy_.issuers.empty()) return nullptr;
  // Only to choose whose keys to try: the claims are validated after the
  // signature, and then iss must equal the chosen issuer again.
  absl::StatusOr<json::object> claims = jose::ParseStrictJsonObject(payload);
  if (!claims.ok()) return nullptr;
  const json::value* iss = claims->if_contains("iss");
  if (iss == nullptr || !iss->is_string()) return nullptr;
  for (const auto& issuer : policy_.issuers) {
    if (issuer->issuer == iss->get_string()) return issuer;
  }
  return nullptr;
}

absl::StatusOr<std::string> TokenVerifier::VerifySigned(std::string_view jws, VerifiedToken& out) const {
  absl::StatusOr<jose::CompactJws> parsed = jose::ParseCompactJws(jws, policy_.max_token_bytes);
  if (!parsed.ok()) return AsRefusal(parsed.status(), "malformed signed token");
  if (!AcceptableTyp(parsed->header)) return Refuse("token's 'typ' is not a JWT type");
  std::string kid = StringMember(parsed->header, "kid");
  if (parsed->header.contains("kid") && !parsed->header.at("kid").is_string()) {
    return Refuse("token's 'kid' is not a string");
  }
  // A token naming a configured issuer is that issuer's to vouch for: only
  // its keys are tried, never the secret or the default key set.
  std::shared_ptr<const IssuerPolicy> issuer = IssuerOf(parsed->payload);
  std::vector<const jose::BoundKey*> candidates;
  const JwksCache* key_set = issuer ? issuer->keys.get() : policy_.remote_keys.get();
  if (issuer == nullptr) {
    if (!policy_.has_default_keys()) return Refuse("token's issuer is not a configured issuer");
    candidates = jose::CandidateKeys(policy_.signing_keys, parsed->alg, kid);
  }
  // The provider's keys (kept alive here while they are used): an unknown kid
  // may mean a rotation, which the cache picks up with one bounded refetch.
  BoundKeysPtr remote;
  uint64_t version = 0;
  if (candidates.empty() && key_set != nullptr) {
    // Read before the keys: a set that changes meanwhile makes the token's
    // version stale, hence re-verified — never newer than its key.
    JwksCache& cache = issuer ? *issuer->keys : *policy_.remote_keys;
    version = cache.version();
    remote = cache.KeysFor(kid);
    candidates = jose::CandidateKeys(*remote, parsed->alg, kid);
  }
  if (candidates.empty()) {
    return Refuse(absl::StrCat("no ", issuer ? absl::StrCat("key of issuer ", issuer->issuer) : std::string("configured key"),
                               " verifies alg ", AsAbsl(jose::AlgorithmName(parsed->alg)),
                               kid.empty() ? std::string() : " with the token's kid"));
  }
  absl::Status last;
  for (const jose::BoundKey* key : candidates) {
    last = jose::VerifySignature(key->alg, key->key, parsed->signing_input, parsed->signature);
    if (last.ok()) {
      if (version != 0) {
        out.key_set_version = version;
        out.key_set = key_set;
      }
      out.issuer_policy = std::move(issuer);
      return std::move(parsed->payload);
    }
  }
  return AsRefusal(last, "signature check failed");
}

absl::StatusOr<std::string> TokenVerifier::Decrypt(std::string_view jwe,
                                                   bool& payload_is_signed_jwt) const {
  if (policy_.decryption_keys.empty()) {
    return Refuse("encrypted token, but no decryption key is configured (TESSERA_JWE_KEY)");
  }
  absl::StatusOr<json::object> header = JweHeader(jwe);
  if (!header.ok()) return AsRefusal(header.status(), "malformed encrypted token");
  std::string alg_name = StringMember(*header, "alg");
  std::optional<jose::Algorithm> alg = jose::AlgorithmFromName(alg_name);
  if (!alg || !jose::IsKeyManagementAlgorithm(*alg)) {
    return Refuse("encrypted token names no known key management algorithm");
  }
  std::string kid = StringMember(*header, "kid");
  absl::Status last = Refuse("no configured decryption key fits the token's alg and kid");
  for (const jose::Jwk& key : policy_.decryption_keys) {
    if (!kid.empty() && !key.kid.empty() && key.kid != kid) continue;
    if (!jose::CheckKeyFitsAlgorithm(key, *alg).ok()) continue;
    absl::StatusOr<jose::DecryptedJwe> decrypted = jose::DecryptCompactJwe(jwe, key, policy_.jwe);
    if (!decrypted.ok()) {
      last = AsRefusal(decrypted.status(), "decryption failed");
      continue;
    }
    // RFC 7519 §5.2: cty "JWT" marks a nested token; compare case-insensitively.
    std::string cty = absl::AsciiStrToLower(StringMember(decrypted->header, "cty"));
    payload_is_signed_jwt = cty == "jwt";
    if (!payload_is_signed_jwt && !IsSymmetricKeyManagement(decrypted->alg)) {
      return Refuse(
          "encrypted token for a public key carries no signed JWT (cty JWT): anyone could have made it");
    }
    // A JWE alone carries the only header there is, so its typ matters as
    // much as a JWS's (a logout token encrypted with the shared key is not
    // an access token).
    if (!AcceptableTyp(decrypted->header)) {
      return Refuse("encrypted token's 'typ' is not a JWT type");
    }
    return std::move(decrypted->plaintext);
  }
  return last;
}

absl::StatusOr<std::shared_ptr<const VerifiedToken>> TokenVerifier::Verify(
    std::string_view token, int64_t now_seconds) const {
  // The size cap comes before any decoding, so a huge header costs nothing.
  if (token.size() > policy_.max_token_bytes) {
    return Refuse(absl::StrCat("token is ", token.size(), " bytes; the limit is ",
                               policy_.max_token_bytes));
  }
  size_t dots = static_cast<size_t>(std::count(token.begin(), token.end(), '.'));
  auto verified = std::make_shared<VerifiedToken>();
  std::string payload;
  if (dots == 2) {
    if (policy_.require_encryption) {
      return Refuse("signed token that is not encrypted, and encryption is required (TESSERA_JWE_REQUIRED)");
    }
    TESSERA_ASSIGN_OR_RETURN(payload, VerifySigned(token, *verified));
  } else if (dots == 4) {
    bool nested = false;
    TESSERA_ASSIGN_OR_RETURN(std::string plaintext, Decrypt(token, nested));
    verified->encrypted = true;
    if (nested) {
      // The inner token must be a signed JWT, verified with the signing keys
      // (never with the decryption key), and must not be encrypted again.
      if (std::count(plaintext.begin(), plaintext.end(), '.') != 2) {
        return Refuse("encrypted token's content is not a compact signed JWT");
      }
      TESSERA_ASSIGN_OR_RETURN(payload, VerifySigned(plaintext, *verified));
    } else {
      // The shared JWE key vouches for its holders, not for a provider.
      if (IssuerOf(plaintext) != nullptr) {
        return Refuse("encrypted token names a configured issuer but carries no token signed by it");
      }
      payload = std::move(plaintext);
    }
  } else {
    return Refuse(absl::StrCat("token has ", dots + 1, " segments; a JWS has 3 and a JWE 5"));
  }

  absl::StatusOr<json::object> claims = jose::ParseStrictJsonObject(payload);
  if (!claims.ok()) return AsRefusal(claims.status(), "token's claims are not a JSON object");
  // An issuer's own rules (its audience, its iss) for its tokens.
  TESSERA_RETURN_IF_ERROR(ValidateClaims(
      *claims, verified->issuer_policy ? verified->issuer_policy->claims : policy_.claims, now_seconds));
  if (const json::value* exp = claims->if_contains("exp")) {
    verified->has_exp = true;
    verified->exp = WholeSeconds(*exp);
  }
  verified->subject = StringMember(*claims, "sub");
  verified->issuer = StringMember(*claims, "iss");
  verified->fingerprint = HexSha256(json::serialize(*claims));
  std::string jti = StringMember(*claims, "jti");
  verified->token_ref = !jti.empty() && jti.size() <= 128 ? absl::StrCat("jti:", jti)
                                                          : absl::StrCat("sha256:", HexSha256(token).substr(0, 32));
  verified->claims = std::move(*claims);
  return std::shared_ptr<const VerifiedToken>(std::move(verified));
}

}  // namespace tessera::identity
