#pragma once
// OpenID Connect Discovery 1.0: the provider's metadata at
// {issuer}/.well-known/openid-configuration. Only what verification needs is
// read — the jwks_uri and the signing algorithms the provider says it uses —
// and the document's "issuer" must equal the configured issuer exactly
// (§4.3: otherwise another party could hand out its own keys for it).
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "identity/remote/key_set_fetcher.h"

namespace tessera::identity {

struct ProviderMetadata {
  std::string issuer;
  std::string jwks_uri;
  std::vector<std::string> signing_algs;  // id_token_signing_alg_values_supported, when given
};

// "https://idp.example/" -> "https://idp.example/.well-known/openid-configuration"
// (a trailing slash is not doubled; a path is kept, as §4 says).
std::string DiscoveryUrl(const std::string& issuer);

// Parses a discovery document fetched for `issuer`.
absl::StatusOr<ProviderMetadata> ParseProviderMetadata(std::string_view json_text, const std::string& issuer);

// Fetches and parses; the jwks_uri must pass CheckFetchUrl.
absl::StatusOr<ProviderMetadata> DiscoverProvider(KeySetFetcher& fetcher, const std::string& issuer);

}  // namespace tessera::identity
