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
};

// `fetcher` serves CUBEJS_JWK_URL (default: libcurl); tests inject one.
absl::StatusOr<TokenPolicy> BuildTokenPolicy(const TokenSettings& settings,
                                             std::shared_ptr<KeySetFetcher> fetcher = nullptr);

// Splits a comma list, trimming spaces and dropping empty items.
std::vector<std::string> SplitList(std::string_view text);

}  // namespace tessera::identity
