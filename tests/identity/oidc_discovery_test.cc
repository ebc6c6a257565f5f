// OpenID Connect discovery: the document's issuer must be exactly the one
// configured, its jwks_uri must be fetchable under the same rules as the keys.
#include <gtest/gtest.h>

#include "identity/remote/oidc_discovery.h"

namespace tessera::identity {
namespace {

TEST(OidcDiscoveryTest, DiscoveryUrl) {
  EXPECT_EQ(DiscoveryUrl("https://idp.example"), "https://idp.example/.well-known/openid-configuration");
  EXPECT_EQ(DiscoveryUrl("https://idp.example/"), "https://idp.example/.well-known/openid-configuration");
  EXPECT_EQ(DiscoveryUrl("https://idp.example/realms/a"), "https://idp.example/realms/a/.well-known/openid-configuration");
}

TEST(OidcDiscoveryTest, IssuerMustMatchExactly) {
  const std::string doc =
      R"({"issuer":"https://idp.example/","jwks_uri":"https://idp.example/.well-known/jwks.json",)"
      R"("id_token_signing_alg_values_supported":["RS256","ES256"]})";
  absl::StatusOr<ProviderMetadata> m = ParseProviderMetadata(doc, "https://idp.example/");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->jwks_uri, "https://idp.example/.well-known/jwks.json");
  EXPECT_EQ(m->signing_algs, (std::vector<std::string>{"RS256", "ES256"}));
  // Auth0's issuers end with a slash; without it they are another issuer.
  EXPECT_FALSE(ParseProviderMetadata(doc, "https://idp.example").ok());
  EXPECT_FALSE(ParseProviderMetadata(doc, "https://IDP.example/").ok());
}

TEST(OidcDiscoveryTest, DocumentErrors) {
  EXPECT_FALSE(ParseProviderMetadata("[]", "https://i/").ok());
  EXPECT_FALSE(ParseProviderMetadata(R"({"jwks_uri":"https://i/k"})", "https://i/").ok());
  EXPECT_FALSE(ParseProviderMetadata(R"({"issuer":"https://i/"})", "https://i/").ok());
  // A key set over plain http to another host is refused.
  EXPECT_FALSE(ParseProviderMetadata(R"({"issuer":"https://i/","jwks_uri":"http://evil.example/k"})", "https://i/").ok());
  EXPECT_FALSE(ParseProviderMetadata(R"({"issuer":"https://i/","issuer":"https://i/","jwks_uri":"https://i/k"})",
                                     "https://i/")
                   .ok());
}

}  // namespace
}  // namespace tessera::identity
