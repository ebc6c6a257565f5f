#pragma once
// `issuers:` in tessera.yaml: the external OpenID Connect providers whose
// tokens this API accepts, each bound to its own key set, audience,
// algorithms and (with `tenancy:`) the tenants it may speak for.
//
//   issuers:
//     - issuer: https://example.eu.auth0.com/
//       preset: auth0
//       audience: https://tessera.example/api
//       claims_namespace: http://localhost:3000
//       tenants: [acme, globex]
//     - issuer: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf
//       preset: cognito
//       client_ids: [1example23456789]
//
// A token's `iss` selects the issuer; only that issuer's keys may verify it.
// Without `jwks_uri` the key set is found by OpenID Connect discovery
// ({issuer}/.well-known/openid-configuration, whose `issuer` must match).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tessera::identity {

struct IssuerConfig {
  std::string label;                    // "tessera.yaml:12", for messages
  std::string issuer;                   // the exact `iss` its tokens carry
  std::string preset;                   // "", "auth0" or "cognito"
  std::vector<std::string> audiences;   // the token's aud must hold one
  std::string jwks_uri;                 // empty: from discovery
  std::vector<std::string> algorithms;  // empty: the preset's, or every asymmetric one
  std::string claims_namespace;         // the security context is the object under it
  // The claim (its name in the token's payload: "cognito:groups", "https://example.com/roles")
  // whose value becomes the caller's roles; empty: TESSERA_ROLES_CLAIM as is.
  std::string roles_claim;
  std::vector<std::string> tenants;     // tenants it may speak for; empty: all
  std::string token_use;                // Cognito: the required token_use ("access")
  // Cognito: access tokens carry no aud; their client_id must be one of these.
  std::vector<std::string> client_ids;
  int64_t fetch_timeout_ms = 5000;      // per fetch; bounds a request's wait on an unknown kid
  int64_t min_ttl_seconds = 60;         // clamp of the provider's Cache-Control max-age
  int64_t max_ttl_seconds = 86400;
  int64_t unknown_kid_window_seconds = 60;
  int64_t stale_limit_seconds = 3600;   // known keys serve this long past expiry when the provider is down
};

// The `issuers:` section of `yaml_text` (empty when absent), checked with
// file and line for every problem; presets applied.
absl::StatusOr<std::vector<IssuerConfig>> ReadIssuerConfigs(std::string_view yaml_text, const std::string& label);

}  // namespace tessera::identity
