#include "identity/claims_validator.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"

namespace tessera::identity {
namespace {

namespace json = boost::json;

absl::Status Refuse(std::string message) { return absl::PermissionDeniedError(message); }

// A NumericDate (RFC 7519 §2) is a JSON number of seconds; fractions allowed.
absl::Status ReadNumericDate(const json::object& claims, const char* name, bool& present,
                             double& seconds) {
  present = false;
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return absl::OkStatus();
  if (v->is_int64()) {
    seconds = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    seconds = static_cast<double>(v->get_uint64());
  } else if (v->is_double() && std::isfinite(v->get_double())) {
    seconds = v->get_double();
  } else {
    return Refuse(absl::StrCat("claim '", name, "' is not a number of seconds"));
  }
  present = true;
  return absl::OkStatus();
}

bool IsString(const json::value* v) { return v != nullptr && v->is_string(); }

std::string Text(const json::value& v) { return std::string(v.get_string()); }

}  // namespace

absl::Status ValidateClaims(const json::object& claims, const ClaimRules& rules,
                            int64_t now_seconds) {
  const double now = static_cast<double>(now_seconds);
  const double leeway = static_cast<double>(rules.leeway.count());

  bool has_exp = false, has_nbf = false, has_iat = false;
  double exp = 0, nbf = 0, iat = 0;
  if (absl::Status s = ReadNumericDate(claims, "exp", has_exp, exp); !s.ok()) return s;
  if (absl::Status s = ReadNumericDate(claims, "nbf", has_nbf, nbf); !s.ok()) return s;
  if (absl::Status s = ReadNumericDate(claims, "iat", has_iat, iat); !s.ok()) return s;
  if (!has_exp && rules.require_exp) return Refuse("token has no 'exp' claim and one is required");
  // RFC 7519 §4.1.4: reject "on or after" exp; the leeway absorbs clock skew.
  if (has_exp && now >= exp + leeway) {
    return Refuse(absl::StrCat("token expired at ", static_cast<int64_t>(exp), " (now ",
                               now_seconds, ", leeway ", rules.leeway.count(), " s)"));
  }
  if (has_nbf && now + leeway < nbf) {
    return Refuse(absl::StrCat("token not valid before ", static_cast<int64_t>(nbf), " (now ",
                               now_seconds, ")"));
  }
  // A token issued in the future comes from a skewed or forged clock.
  if (has_iat && now + leeway < iat) {
    return Refuse(absl::StrCat("token issued in the future (iat ", static_cast<int64_t>(iat),
                               ", now ", now_seconds, ")"));
  }

  const json::value* iss = claims.if_contains("iss");
  if (iss != nullptr && !iss->is_string()) return Refuse("claim 'iss' is not a string");
  const json::value* sub = claims.if_contains("sub");
  if (sub != nullptr && !sub->is_string()) return Refuse("claim 'sub' is not a string");
  const json::value* aud = claims.if_contains("aud");
  std::vector<std::string> audiences;
  if (aud != nullptr) {
    if (aud->is_string()) {
      audiences.push_back(Text(*aud));
    } else if (aud->is_array()) {
      for (const json::value& a : aud->get_array()) {
        if (!a.is_string()) return Refuse("claim 'aud' holds a value that is not a string");
        audiences.push_back(Text(a));
      }
    } else {
      return Refuse("claim 'aud' is neither a string nor an array of strings");
    }
  }

  if (!rules.issuers.empty()) {
    if (!IsString(iss)) return Refuse("token has no 'iss' claim and an issuer is required");
    if (std::find(rules.issuers.begin(), rules.issuers.end(), Text(*iss)) == rules.issuers.end()) {
      return Refuse("token's issuer is not an accepted issuer");
    }
  }
  if (!rules.token_use.empty()) {
    const json::value* use = claims.if_contains("token_use");
    if (!IsString(use) || Text(*use) != rules.token_use) {
      return Refuse(absl::StrCat("token's 'token_use' is not '", rules.token_use, "'"));
    }
  }
  if (aud == nullptr && !rules.client_ids.empty()) {
    // Cognito access tokens name their app client instead of an audience.
    const json::value* client = claims.if_contains("client_id");
    if (!IsString(client) ||
        std::find(rules.client_ids.begin(), rules.client_ids.end(), Text(*client)) == rules.client_ids.end()) {
      return Refuse("token has no 'aud' and its 'client_id' is not an accepted client");
    }
  } else if (!rules.audiences.empty() || !rules.client_ids.empty()) {
    // A token that has an aud must name this API (or, from Cognito, one of
    // the accepted app clients, as its ID tokens do).
    auto accepted = [&](const std::string& a) {
      return std::find(rules.audiences.begin(), rules.audiences.end(), a) != rules.audiences.end() ||
             std::find(rules.client_ids.begin(), rules.client_ids.end(), a) != rules.client_ids.end();
    };
    bool match = std::any_of(audiences.begin(), audiences.end(), accepted);
    if (!match) return Refuse("token's audience does not include this API");
  }
  if (!rules.subject.empty()) {
    if (!IsString(sub) || Text(*sub) != rules.subject) return Refuse("token's subject is not the required subject");
  }
  return absl::OkStatus();
}

}  // namespace tessera::identity
