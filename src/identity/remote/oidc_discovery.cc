#include "identity/remote/oidc_discovery.h"

#include "absl/strings/str_cat.h"
#include <boost/json.hpp>

#include "base/log_safe.h"
#include "identity/jose/strict_json.h"

namespace tessera::identity {

namespace json = boost::json;

std::string DiscoveryUrl(const std::string& issuer) {
  std::string base = issuer;
  if (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/.well-known/openid-configuration";
}

absl::StatusOr<ProviderMetadata> ParseProviderMetadata(std::string_view json_text, const std::string& issuer) {
  absl::StatusOr<json::object> doc = jose::ParseStrictJsonObject(json_text);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("discovery document is not a JSON object: ", doc.status().message()));
  }
  ProviderMetadata out;
  const json::value* iss = doc->if_contains("issuer");
  if (iss == nullptr || !iss->is_string()) return absl::InvalidArgumentError("discovery document has no \"issuer\"");
  out.issuer = std::string(iss->get_string());
  if (out.issuer != issuer) {
    return absl::InvalidArgumentError(absl::StrCat("discovery document is for issuer '", LogSafe(out.issuer),
                                                   "', not '", LogSafe(issuer), "'"));
  }
  const json::value* jwks = doc->if_contains("jwks_uri");
  if (jwks == nullptr || !jwks->is_string()) return absl::InvalidArgumentError("discovery document has no \"jwks_uri\"");
  out.jwks_uri = std::string(jwks->get_string());
  if (absl::Status ok = CheckFetchUrl(out.jwks_uri); !ok.ok()) return ok;
  if (const json::value* algs = doc->if_contains("id_token_signing_alg_values_supported"); algs && algs->is_array()) {
    for (const json::value& a : algs->get_array()) {
      if (a.is_string()) out.signing_algs.emplace_back(a.get_string());
    }
  }
  return out;
}

absl::StatusOr<ProviderMetadata> DiscoverProvider(KeySetFetcher& fetcher, const std::string& issuer) {
  std::string url = DiscoveryUrl(issuer);
  if (absl::Status ok = CheckFetchUrl(url); !ok.ok()) return ok;
  absl::StatusOr<FetchResult> got = fetcher.Get(url);
  if (!got.ok()) return got.status();
  return ParseProviderMetadata(got->body, issuer);
}

}  // namespace tessera::identity
