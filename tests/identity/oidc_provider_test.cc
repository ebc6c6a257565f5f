// The remote-key layer against a real OpenID Connect provider (npm's
// oidc-provider, tests/oidc): discovery, the key set, tokens obtained through
// a real Authorization Code + PKCE flow and signed RS256, ES256 and EdDSA,
// verified with the fetched keys; then a key rotation picked up by one
// refetch, and a flood of made-up kids that costs at most one fetch.
#include <functional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "identity/jose/base64url.h"
#include "identity/jose/jws.h"
#include "identity/remote/jwks_cache.h"
#include "identity/remote/key_set_fetcher.h"
#include "identity/remote/oidc_discovery.h"
#include "identity/token_identity.h"
#include "identity/token_policy.h"
#include "identity/token_verifier.h"
#include "oidc_provider_fixture.h"

namespace tessera::identity {
namespace {

namespace json = boost::json;

TEST_F(OidcProviderTest, TokensFromTheLoginFlowVerifyWithTheDiscoveredKeys) {
  auto fetcher = MakeCurlFetcher();
  absl::StatusOr<ProviderMetadata> meta = DiscoverProvider(*fetcher, *issuer_);
  ASSERT_TRUE(meta.ok()) << meta.status();
  EXPECT_EQ(meta->jwks_uri, *issuer_ + "/jwks");
  // The issuer with a trailing slash is another issuer.
  EXPECT_FALSE(DiscoverProvider(*fetcher, *issuer_ + "/").ok());
  auto cache = Cache(*meta);
  ASSERT_TRUE(cache->Refresh().ok()) << cache->last_error();
  EXPECT_EQ(cache->Keys()->size(), 3u);
  for (const std::string& alg : std::vector<std::string>{"RS256", "ES256", "EdDSA"}) {
    std::string token = AccessToken("alice@admin.example", "alice-password", alg);
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(Header(token).first, alg);
    absl::StatusOr<json::object> claims = Verify(*cache, token);
    ASSERT_TRUE(claims.ok()) << alg << ": " << claims.status();
    EXPECT_EQ(claims->at("iss"), json::string(*issuer_));
    EXPECT_EQ(claims->at("aud"), "https://tessera.local/api");
    // The tutorial's Auth0 rule shape: an object under the namespace.
    EXPECT_EQ(claims->at("http://localhost:3000"), (json::object{{"role", "admin"}, {"tenant", "acme"}}));
    // One changed byte of the signature and it no longer verifies.
    std::string tampered = token;
    tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(Verify(*cache, tampered).ok()) << alg;
  }
  absl::StatusOr<json::object> bob = Verify(*cache, AccessToken("bob@acme.example", "bob-password", "RS256"));
  ASSERT_TRUE(bob.ok()) << bob.status();
  EXPECT_EQ(bob->at("http://localhost:3000").at("role"), "user");
}

TEST_F(OidcProviderTest, RotationIsPickedUpByOneRefetchAndAKidFloodCostsAtMostOne) {
  auto fetcher = MakeCurlFetcher();
  absl::StatusOr<ProviderMetadata> meta = DiscoverProvider(*fetcher, *issuer_);
  ASSERT_TRUE(meta.ok()) << meta.status();
  auto cache = Cache(*meta);
  ASSERT_TRUE(cache->Refresh().ok());
  std::string before = AccessToken("bob@acme.example", "bob-password", "ES256");
  ASSERT_TRUE(Verify(*cache, before).ok());
  std::string old_kid = Header(before).second;

  json::value rotated = Admin("POST", "/__admin/rotate?alg=ES256");
  std::string new_kid(rotated.at("kid").as_string());
  ASSERT_NE(new_kid, old_kid);
  std::string after = AccessToken("bob@acme.example", "bob-password", "ES256");
  EXPECT_EQ(Header(after).second, new_kid);
  int fetches = JwksFetches();
  ASSERT_TRUE(Verify(*cache, after).ok());         // unknown kid: one refetch
  EXPECT_EQ(JwksFetches(), fetches + 1);
  EXPECT_TRUE(Verify(*cache, before).ok());         // the old key is still published

  // 1,000 tokens naming random kids: no more fetches within the window.
  fetches = JwksFetches();
  std::string body = after.substr(after.find('.'));
  for (int i = 0; i < 1000; ++i) {
    std::string header = jose::EncodeBase64Url(R"({"alg":"ES256","kid":"random-)" + std::to_string(i) + R"("})");
    EXPECT_FALSE(Verify(*cache, header + body).ok());
  }
  EXPECT_LE(JwksFetches(), fetches + 1);

  // The old key is retired: after the refresh its tokens no longer verify.
  Admin("POST", "/__admin/retire?kid=" + old_kid);
  ASSERT_TRUE(cache->Refresh().ok());
  EXPECT_FALSE(Verify(*cache, before).ok());
  EXPECT_TRUE(Verify(*cache, after).ok());

  // Provider down: the known keys keep verifying (within the stale bound).
  Admin("POST", "/__admin/fault?mode=down");
  EXPECT_FALSE(cache->Refresh().ok());
  EXPECT_TRUE(Verify(*cache, after).ok());
  EXPECT_TRUE(cache->ready());
  Admin("POST", "/__admin/fault?mode=ok");
  EXPECT_TRUE(cache->Refresh().ok());
}

// CUBEJS_JWK_URL, as the tutorial's Step 3 configures it: TokenVerifier takes
// the provider's keys, checks the audience and issuer, and refuses the
// classic key-set attacks.
TEST_F(OidcProviderTest, TokenVerifierWithAJwkUrl) {
  TokenSettings settings;
  settings.jwk_url = *issuer_ + "/jwks";
  settings.audience = "https://tessera.local/api";
  settings.issuer = *issuer_;
  absl::StatusOr<TokenPolicy> policy = BuildTokenPolicy(settings);
  ASSERT_TRUE(policy.ok()) << policy.status();
  ASSERT_TRUE(policy->remote_keys->Refresh().ok());
  TokenVerifier verifier(*policy);
  const int64_t now = SystemSeconds();
  std::string rs;
  for (const std::string& alg : std::vector<std::string>{"RS256", "ES256", "EdDSA"}) {
    std::string token = AccessToken("carol@globex.example", "carol-password", alg);
    if (alg == "RS256") rs = token;
    auto verified = verifier.Verify(token, now);
    ASSERT_TRUE(verified.ok()) << alg << ": " << verified.status();
    EXPECT_EQ((*verified)->claims.at("http://localhost:3000").at("tenant"), "globex");
  }
  // Another audience or issuer: refused.
  for (auto change : std::vector<std::function<void(TokenSettings&)>>{
           [](TokenSettings& s) { s.audience = "cubejs"; },
           [&](TokenSettings& s) { s.issuer = *issuer_ + "/"; }}) {
    TokenSettings other = settings;
    change(other);
    absl::StatusOr<TokenPolicy> p = BuildTokenPolicy(other);
    ASSERT_TRUE(p.ok()) << p.status();
    ASSERT_TRUE(p->remote_keys->Refresh().ok());
    EXPECT_FALSE(TokenVerifier(*p).Verify(rs, now).ok());
  }
  // RS256 -> HS256 confusion: the payload re-signed with HMAC keyed by the
  // provider's published RSA key in the forms an attacker would try.
  std::string payload = rs.substr(rs.find('.') + 1);
  payload = payload.substr(0, payload.find('.'));
  std::string jwks = RunCommand("curl -s " + Quote(*issuer_ + "/jwks"));
  json::value set = json::parse(jwks);
  std::string rsa_kid = Header(rs).second;
  for (const auto& k : set.at("keys").as_array()) {
    if (k.at("kid").as_string() != rsa_kid) continue;
    for (const std::string& secret : {json::serialize(k), std::string(k.at("n").as_string())}) {
      jose::Jwk hmac = jose::SecretJwk(secret);
      std::string header = jose::EncodeBase64Url(R"({"alg":"HS256","typ":"JWT","kid":")" + rsa_kid + R"("})");
      auto mac = jose::ComputeSignature(jose::Algorithm::kHS256, hmac, header + "." + payload);
      ASSERT_TRUE(mac.ok());
      EXPECT_FALSE(verifier.Verify(header + "." + payload + "." + jose::EncodeBase64Url(*mac), now).ok());
    }
  }
  // An alg swap on the RSA key (RS256 -> PS256) and "none" are refused.
  std::string sig = rs.substr(rs.rfind('.') + 1);
  for (const std::string& alg : std::vector<std::string>{"PS256", "none", "ES256"}) {
    std::string header = jose::EncodeBase64Url(R"({"alg":")" + alg + R"(","kid":")" + rsa_kid + R"("})");
    EXPECT_FALSE(verifier.Verify(header + "." + payload + "." + sig, now).ok()) << alg;
  }
  // Configuration: only https or loopback http; no HMAC from a key set.
  TokenSettings bad = settings;
  bad.jwk_url = "http://idp.example/jwks";
  EXPECT_FALSE(BuildTokenPolicy(bad).ok());
  bad = settings;
  bad.jwt_algs = "HS256";
  EXPECT_FALSE(BuildTokenPolicy(bad).ok());
}

// A token verified (and cached) before its key was retired is refused once
// the key set no longer holds the key: the cache entry records the key set's
// version.
TEST_F(OidcProviderTest, RetiredKeyStopsTokensAlreadyVerified) {
  TokenSettings settings;
  settings.jwk_url = *issuer_ + "/jwks";
  settings.audience = "https://tessera.local/api";
  absl::StatusOr<TokenPolicy> policy = BuildTokenPolicy(settings);
  ASSERT_TRUE(policy.ok()) << policy.status();
  std::shared_ptr<JwksCache> keys = policy->remote_keys;
  ASSERT_TRUE(keys->Refresh().ok());
  std::unique_ptr<IdentityStage> identity = MakeTokenIdentity(*std::move(policy));
  auto identify = [&](const std::string& token) {
    http::Request req;
    req.headers["authorization"] = "Bearer " + token;
    return identity->Identify(req);
  };
  std::string before = AccessToken("bob@acme.example", "bob-password", "ES256");
  std::string old_kid = Header(before).second;
  ASSERT_TRUE(identify(before).ok());
  ASSERT_TRUE(identify(before).ok());  // from the verified-token cache
  // A refresh that finds the same keys changes nothing.
  uint64_t version = keys->version();
  ASSERT_TRUE(keys->Refresh().ok());
  EXPECT_EQ(keys->version(), version);
  EXPECT_TRUE(identify(before).ok());

  Admin("POST", "/__admin/rotate?alg=ES256");
  Admin("POST", "/__admin/retire?kid=" + old_kid);
  ASSERT_TRUE(keys->Refresh().ok());
  EXPECT_NE(keys->version(), version);
  absl::StatusOr<Principal> refused = identify(before);
  EXPECT_FALSE(refused.ok());
  std::string after = AccessToken("bob@acme.example", "bob-password", "ES256");
  EXPECT_TRUE(identify(after).ok());
}

}  // namespace
}  // namespace tessera::identity
