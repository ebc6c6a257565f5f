#pragma once
// What a token must be to be accepted: the keys that may have signed it (each
// bound to one algorithm), the keys that may decrypt it, and the claim rules.
// Built once from TokenSettings; immutable afterwards and shared by threads.
#include <chrono>
#include <memory>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "identity/jose/jwe.h"
#include "identity/issuer_config.h"
#include "identity/jose/key_set.h"
#include "identity/remote/jwks_cache.h"
#include "identity/token_settings.h"

namespace tessera::identity {

struct ClaimRules {
  std::vector<std::string> audiences;  // empty: aud not checked
  std::vector<std::string> issuers;    // empty: iss not checked
  std::string subject;                 // empty: sub not checked
  std::chrono::seconds leeway{60};
  bool require_exp = true;
  std::string token_use;               // Cognito: token_use must equal it (empty: not checked)
  // Cognito access tokens have no aud: then client_id must be one of these.
  std::vector<std::string> client_ids;
};

// One external provider of `issuers:`: its keys, and what its tokens must
// be and mean. A token whose iss names it is verified with its keys only.
struct IssuerPolicy {
  std::string issuer;
  std::string label;                     // where it is configured
  std::shared_ptr<JwksCache> keys;
  ClaimRules claims;                     // issuers = {issuer}
  std::string claims_namespace;
  std::string roles_claim;               // empty: the security context's own roles claim
  // Tenants it may speak for (empty: all); shared with every Principal it makes.
  std::shared_ptr<const std::vector<std::string>> tenants;
};

struct TokenPolicy {
  std::vector<jose::BoundKey> signing_keys;
  // CUBEJS_JWK_URL: the provider's keys, fetched and refreshed (null: none).
  std::shared_ptr<JwksCache> remote_keys;
  std::vector<jose::Jwk> decryption_keys;  // empty: encrypted tokens are refused
  jose::JweDecryptionPolicy jwe;
  bool require_encryption = false;
  ClaimRules claims;
  std::size_t max_token_bytes = 8192;
  std::size_t cache_entries = 10000;
  std::string claims_namespace;  // empty: the whole payload is the security context
  // `issuers:` in tessera.yaml; a token whose iss is one of them goes to it.
  std::vector<std::shared_ptr<const IssuerPolicy>> issuers;
  // TESSERA_ROLES_CLAIM: where an issuer's roles_claim puts the roles in the
  // security context.
  std::string context_roles_claim = "role";
  // Whether tokens that name no configured issuer can verify at all (a
  // secret, a key or CUBEJS_JWK_URL is configured).
  bool has_default_keys() const { return !signing_keys.empty() || remote_keys != nullptr || !decryption_keys.empty(); }
};

// `fetcher` serves CUBEJS_JWK_URL (default: libcurl); tests inject one.
absl::StatusOr<TokenPolicy> BuildTokenPolicy(const TokenSettings& settings,
                                             std::shared_ptr<KeySetFetcher> fetcher = nullptr);

// Splits a comma list, trimming spaces and dropping empty items.
std::vector<std::string> SplitList(std::string_view text);

}  // namespace tessera::identity
