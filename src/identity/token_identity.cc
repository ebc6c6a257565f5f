#include "identity/token_identity.h"

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
    if (!token) return absl::PermissionDeniedError(std::string(kNoAuthorizationMessage));
    int64_t now = clock_();
    std::shared_ptr<const VerifiedToken> verified = cache_.Get(*token, now);
    // Verified with a provider's key before its key set changed: check again
    // (the key may have been retired).
    if (verified != nullptr && verified->key_set_version != 0 &&
        verified->key_set_version != verifier_.policy().remote_keys->version()) {
      verified = nullptr;
    }
    if (verified == nullptr) {
      absl::StatusOr<std::shared_ptr<const VerifiedToken>> result = verifier_.Verify(*token, now);
      if (!result.ok()) {
        spdlog::warn("request {}: token refused: {}", request.request_id,
                     LogSafe(std::string(result.status().message())));
        return absl::PermissionDeniedError(std::string(kInvalidTokenMessage));
      }
      verified = *std::move(result);
      cache_.Put(*token, verified, now);
    } else if (verified->has_exp && now >= verified->exp + verifier_.policy().claims.leeway.count()) {
      // Unreachable while entries end at exp; kept so that a change to the
      // cache's lifetime can never let an expired token through.
      return absl::PermissionDeniedError(std::string(kInvalidTokenMessage));
    }
    Principal who;
    const std::string& ns = verifier_.policy().claims_namespace;
    if (ns.empty()) {
      who.security_context = verified->claims;
    } else if (const boost::json::value* scoped = verified->claims.if_contains(ns); scoped && scoped->is_object()) {
      who.security_context = *scoped;
    } else {
      // No custom claims under the namespace: an empty context, so every
      // claim a model or policy needs is missing (refused), never guessed.
      who.security_context = boost::json::object();
    }
    who.authenticated = true;
    who.cache_fingerprint = verified->fingerprint;
    who.subject = verified->subject;
    who.issuer = verified->issuer;
    return who;
  }

 private:
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
