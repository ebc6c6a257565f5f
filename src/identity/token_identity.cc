#include "identity/token_identity.h"

#include "base/internal_reason.h"
#include "base/log_safe.h"

#include <chrono>

#include "absl/strings/ascii.h"
#include <spdlog/spdlog.h>

#include "identity/token_verifier.h"
#include "identity/verified_token_cache.h"

namespace tessera::identity {
namespace {

// Tokens without exp (allowed only when TESSERA_JWT_REQUIRE_EXP=false) are
// re-verified at least this often.
constexpr std::chrono::seconds kMaxCacheAge{300};

class TokenIdentity final : public IdentityStage {
 public:
  TokenIdentity(TokenPolicy policy, Clock clock)
      : cache_(policy.cache_entries, kMaxCacheAge),
        verifier_(std::move(policy)),
        clock_(std::move(clock)) {}

  absl::StatusOr<Principal> Identify(const http::Request& request) const override {
    const std::string* header = request.Header("authorization");
    std::optional<std::string_view> token =
        header == nullptr ? std::nullopt : TokenFromAuthorization(*header);
    if (!token) {
      return WithInternalReason(absl::PermissionDeniedError(std::string(kNoAuthorizationMessage)),
                                header == nullptr ? "no Authorization header" : "the Authorization header holds no token");
    }
    int64_t now = clock_();
    std::shared_ptr<const VerifiedToken> verified = cache_.Get(*token, now);
    // Verified with a provider's key before its key set changed: check again
    // (the key may have been retired).
    if (verified != nullptr && verified->key_set != nullptr &&
        verified->key_set_version != verified->key_set->version()) {
      verified = nullptr;
    }
    if (verified == nullptr) {
      absl::StatusOr<std::shared_ptr<const VerifiedToken>> result = verifier_.Verify(*token, now);
      if (!result.ok()) {
        spdlog::warn("request {}: token refused: {}", request.request_id,
                     LogSafe(std::string(result.status().message())));
        return WithInternalReason(absl::PermissionDeniedError(std::string(kInvalidTokenMessage)),
                                  std::string(result.status().message()));
      }
      verified = *std::move(result);
      cache_.Put(*token, verified, now);
    } else if (verified->has_exp && now >= verified->exp + verifier_.policy().claims.leeway.count()) {
      // Unreachable while entries end at exp; kept so that a change to the
      // cache's lifetime can never let an expired token through.
      return absl::PermissionDeniedError(std::string(kInvalidTokenMessage));
    }
    Principal who;
    const IssuerPolicy* issuer = verified->issuer_policy.get();
    const std::string& ns = issuer ? issuer->claims_namespace : verifier_.policy().claims_namespace;
    if (ns.empty()) {
      who.security_context = verified->claims;
    } else if (const boost::json::value* scoped = verified->claims.if_contains(ns); scoped && scoped->is_object()) {
      who.security_context = *scoped;
    } else {
      // No custom claims under the namespace: an empty context, so every
      // claim a model or policy needs is missing (refused), never guessed.
      who.security_context = boost::json::object();
    }
    if (issuer != nullptr) {
      if (!issuer->roles_claim.empty()) {
        MapRoles(verified->claims, issuer->roles_claim, verifier_.policy().context_roles_claim, who.security_context);
      }
      who.allowed_tenants = issuer->tenants;
    }
    who.authenticated = true;
    who.cache_fingerprint = verified->fingerprint;
    who.subject = verified->subject;
    who.issuer = verified->issuer;
    who.token_ref = verified->token_ref;
    return who;
  }

  std::vector<KeySourceStatus> KeySources() const override {
    std::vector<KeySourceStatus> out;
    auto add = [&](const std::string& name, const JwksCache& keys) {
      KeySourceStatus s;
      s.issuer = name;
      s.ready = keys.ready();
      if (!s.ready) {
        absl::Status error = keys.last_error();
        s.problem = error.ok() ? "no keys fetched yet" : std::string(error.message());
      }
      out.push_back(std::move(s));
    };
    const TokenPolicy& policy = verifier_.policy();
    if (policy.remote_keys) add(policy.remote_keys->label(), *policy.remote_keys);
    for (const auto& issuer : policy.issuers) add(issuer->issuer, *issuer->keys);
    return out;
  }

 private:
  // An issuer's roles claim (e.g. Cognito's "cognito:groups", read from the
  // whole payload) becomes the security context's roles claim, replacing
  // whatever the context held there: the issuer's word on roles is the one
  // configured. Absent in the token: no roles.
  static void MapRoles(const boost::json::object& claims, const std::string& from, const std::string& to,
                       boost::json::value& context) {
    const boost::json::value* roles = claims.if_contains(from);
    if (!context.is_object()) context = boost::json::object();
    // `to` is a dotted path in the context (TESSERA_ROLES_CLAIM).
    boost::json::object* at = &context.as_object();
    std::string_view path = to;
    while (true) {
      size_t dot = path.find('.');
      std::string key(path.substr(0, dot));
      if (dot == std::string_view::npos) {
        if (roles != nullptr) {
          (*at)[key] = *roles;
        } else {
          at->erase(key);
        }
        return;
      }
      boost::json::value& next = (*at)[key];
      if (!next.is_object()) next = boost::json::object();
      at = &next.as_object();
      path.remove_prefix(dot + 1);
    }
  }

  mutable VerifiedTokenCache cache_;
  TokenVerifier verifier_;
  Clock clock_;
};

}  // namespace

std::optional<std::string_view> TokenFromAuthorization(std::string_view value) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  auto trim_front = [&](std::string_view v) {
    while (!v.empty() && space(v.front())) v.remove_prefix(1);
    return v;
  };
  value = trim_front(value);
  while (!value.empty() && space(value.back())) value.remove_suffix(1);
  constexpr std::string_view kScheme = "bearer";
  auto is_scheme = [&](std::string_view v) {
    if (v.size() != kScheme.size()) return false;
    for (size_t i = 0; i < kScheme.size(); ++i) {
      if (absl::ascii_tolower(static_cast<unsigned char>(v[i])) != kScheme[i]) return false;
    }
    return true;
  };
  // "Bearer" with nothing after it carries no token.
  if (is_scheme(value)) return std::nullopt;
  if (value.size() > kScheme.size() && space(value[kScheme.size()])) {
    if (is_scheme(value.substr(0, kScheme.size()))) value = trim_front(value.substr(kScheme.size()));
  }
  if (value.empty()) return std::nullopt;
  return value;
}

int64_t SystemSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::unique_ptr<IdentityStage> MakeTokenIdentity(TokenPolicy policy, Clock clock) {
  return std::make_unique<TokenIdentity>(std::move(policy), std::move(clock));
}

}  // namespace tessera::identity
