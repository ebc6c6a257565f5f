// `issuers:` in tessera.yaml: the reader (presets, errors with file and
// line), and verification with several providers at once — a token's iss
// chooses whose keys verify it, each with its own audience, namespace, roles
// claim and tenants; discovery finds each provider's keys.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "identity/claims_validator.h"
#include "identity/issuer_config.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
#include "identity/token_identity.h"
#include "identity/token_policy.h"
#include "identity/token_verifier.h"
#include "support/test_keys.h"

namespace tessera::identity {
namespace {

namespace json = boost::json;
using jose::Algorithm;

absl::StatusOr<std::vector<IssuerConfig>> Read(const std::string& yaml) {
  return ReadIssuerConfigs(yaml, "tessera.yaml");
}

std::string ErrorOf(const std::string& yaml) {
  auto r = Read(yaml);
  return r.ok() ? std::string("(no error)") : std::string(r.status().message());
}

TEST(IssuerReaderTest, PlainIssuerAndDefaults) {
  auto r = Read(R"(port: 4000
issuers:
  - issuer: https://idp.example
    audience: [https://api.example, other]
    algorithms: ES256
    claims_namespace: https://example.com/claims
    tenants: [acme, globex]
    fetch_timeout_ms: 1500
)");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 1u);
  const IssuerConfig& c = (*r)[0];
  EXPECT_EQ(c.label, "tessera.yaml:3");
  EXPECT_EQ(c.issuer, "https://idp.example");  // exact, no slash added
  EXPECT_EQ(c.audiences, (std::vector<std::string>{"https://api.example", "other"}));
  EXPECT_EQ(c.algorithms, (std::vector<std::string>{"ES256"}));
  EXPECT_EQ(c.claims_namespace, "https://example.com/claims");
  EXPECT_EQ(c.tenants, (std::vector<std::string>{"acme", "globex"}));
  EXPECT_EQ(c.fetch_timeout_ms, 1500);
  EXPECT_EQ(c.min_ttl_seconds, 60);
  EXPECT_TRUE(c.jwks_uri.empty());
  EXPECT_TRUE(c.token_use.empty());
  // No section: no issuers.
  auto none = Read("port: 4000\n");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(IssuerReaderTest, Presets) {
  auto r = Read(R"(issuers:
  - issuer: https://tessera.eu.auth0.com
    preset: auth0
    audience: https://api.example
  - issuer: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC
    preset: cognito
    client_ids: [app-1, app-2]
  - issuer: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Id
    preset: cognito
    token_use: id
    client_ids: app-3
)");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 3u);
  // Auth0 writes iss with a trailing slash; the preset accepts the domain without.
  EXPECT_EQ((*r)[0].issuer, "https://tessera.eu.auth0.com/");
  EXPECT_EQ((*r)[0].algorithms, (std::vector<std::string>{"RS256"}));
  const IssuerConfig& cognito = (*r)[1];
  EXPECT_EQ(cognito.token_use, "access");
  EXPECT_EQ(cognito.roles_claim, "cognito:groups");
  EXPECT_EQ(cognito.client_ids, (std::vector<std::string>{"app-1", "app-2"}));
  EXPECT_TRUE(cognito.audiences.empty());
  EXPECT_EQ(cognito.algorithms, (std::vector<std::string>{"RS256"}));
  // ID tokens have aud = the app client.
  EXPECT_EQ((*r)[2].audiences, (std::vector<std::string>{"app-3"}));
}

TEST(IssuerReaderTest, ErrorsNameTheLine) {
  EXPECT_EQ(ErrorOf("issuers:\n  - issuer: https://idp.example\n"),
            "tessera.yaml:2: issuers: 'audience' is required: the identifier of this API at the provider");
  EXPECT_EQ(ErrorOf("issuers:\n  - issuer: https://idp.example\n    audience: a\n    algorithms: [RS256, HS256]\n"),
            "tessera.yaml:4: issuers: HS256 needs a shared secret; a provider's published keys are public");
  EXPECT_NE(ErrorOf("issuers:\n  - issuer: http://idp.example\n    audience: a\n").find("tessera.yaml:2: issuers:"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("issuers:\n  - issuer: https://a.example\n    audience: a\n  - issuer: https://a.example\n"
                    "    audience: b\n"),
            "tessera.yaml:4: issuers: issuer 'https://a.example' is listed twice");
  EXPECT_NE(ErrorOf("issuers:\n  - issuer: https://a.example\n    audiense: a\n").find("tessera.yaml:3"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("issuers:\n  - issuer: https://a.example\n    preset: okta\n    audience: a\n"),
            "tessera.yaml:3: issuers: 'preset' is auth0 or cognito");
  EXPECT_EQ(ErrorOf("issuers:\n  - issuer: https://a.example\n    preset: cognito\n"),
            "tessera.yaml:2: issuers: cognito: 'client_ids' lists the app clients whose access tokens are accepted");
  EXPECT_EQ(ErrorOf("issuers:\n  - issuer: https://a.example\n    audience: a\n    fetch_timeout_ms: 0\n"),
            "tessera.yaml:4: issuers: 'fetch_timeout_ms' is a whole number from 100 to 60000");
  EXPECT_EQ(ErrorOf("issuers:\n  - issuer: https://a.example\n    audience: a\n    jwks_uri: http://keys.example/\n")
                .rfind("tessera.yaml:4: issuers:", 0),
            0u);
  EXPECT_EQ(ErrorOf("issuers: https://a.example\n"),
            "tessera.yaml:1: 'issuers' is a list of identity providers (each with 'issuer' and 'audience')");
}

// Serves discovery documents and key sets from memory, counting requests.
class MemoryProvider final : public KeySetFetcher {
 public:
  absl::StatusOr<FetchResult> Get(const std::string& url) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_[url];
    auto it = docs_.find(url);
    if (it == docs_.end()) return absl::UnavailableError("404 for " + url);
    return FetchResult{it->second, std::nullopt};
  }
  void Serve(const std::string& url, const std::string& body) {
    std::lock_guard<std::mutex> lock(mu_);
    docs_[url] = body;
  }
  int Calls(const std::string& url) {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_[url];
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> docs_;
  std::map<std::string, int> calls_;
};

struct SigningKey {
  jose::Jwk private_key;
  json::object public_jwk;
};

SigningKey NewKey(const std::string& kind, const std::string& kid) {
  testing::PemKeyPair pair = testing::GeneratePemKeyPair(kind);
  SigningKey k;
  k.private_key = *jose::ParsePemKey(pair.private_pem);
  k.private_key.kid = kid;
  k.public_jwk = *jose::PublicJwk(*jose::ParsePemKey(pair.public_pem));
  k.public_jwk["kid"] = kid;
  return k;
}

std::string Sign(const SigningKey& key, Algorithm alg, json::object claims, int64_t now) {
  claims.emplace("exp", now + 600);
  claims.emplace("iat", now);
  auto token = jose::SignCompactJws(alg, key.private_key, json::object{{"kid", key.private_key.kid}, {"typ", "JWT"}},
                                    json::serialize(claims));
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

constexpr char kAuth0[] = "https://tessera.eu.auth0.com/";
constexpr char kCognito[] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC";
constexpr char kSecret[] = "issuers-test-secret-0123456789abcdef";

class IssuersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Discovery for both; each publishes its own key.
    provider_->Serve(std::string(kAuth0) + ".well-known/openid-configuration",
                     json::serialize(json::object{{"issuer", kAuth0}, {"jwks_uri", std::string(kAuth0) + ".well-known/jwks.json"}}));
    provider_->Serve(std::string(kAuth0) + ".well-known/jwks.json",
                     json::serialize(json::object{{"keys", json::array{auth0_.public_jwk}}}));
    provider_->Serve(std::string(kCognito) + "/.well-known/openid-configuration",
                     json::serialize(json::object{{"issuer", kCognito}, {"jwks_uri", std::string(kCognito) + "/.well-known/jwks.json"}}));
    provider_->Serve(std::string(kCognito) + "/.well-known/jwks.json",
                     json::serialize(json::object{{"keys", json::array{cognito_.public_jwk}}}));
  }

  TokenSettings Settings(bool with_secret) {
    auto issuers = ReadIssuerConfigs(R"(issuers:
  - issuer: https://tessera.eu.auth0.com
    preset: auth0
    audience: https://api.example
    claims_namespace: http://localhost:3000
    tenants: [acme]
  - issuer: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC
    preset: cognito
    client_ids: [app-1]
)",
                                     "tessera.yaml");
    EXPECT_TRUE(issuers.ok()) << issuers.status();
    TokenSettings s;
    s.issuers = *issuers;
    if (with_secret) s.api_secret = kSecret;
    s.roles_claim = "role";
    return s;
  }

  std::unique_ptr<IdentityStage> Identity(const TokenSettings& settings) {
    absl::StatusOr<TokenPolicy> policy = BuildTokenPolicy(settings, provider_);
    EXPECT_TRUE(policy.ok()) << policy.status();
    for (const auto& issuer : policy->issuers) EXPECT_TRUE(issuer->keys->AwaitFirstFetch(std::chrono::seconds(5)).ok());
    return MakeTokenIdentity(*std::move(policy), [this] { return now_; });
  }

  absl::StatusOr<Principal> Identify(IdentityStage& identity, const std::string& token) {
    http::Request req;
    req.headers["authorization"] = "Bearer " + token;
    return identity.Identify(req);
  }

  json::object Auth0Claims() {
    return json::object{{"iss", kAuth0},
                        {"sub", "auth0|alice"},
                        {"aud", json::array{"https://api.example", std::string(kAuth0) + "userinfo"}},
                        {"http://localhost:3000", json::object{{"role", "admin"}, {"tenant", "acme"}}}};
  }
  json::object CognitoClaims() {
    return json::object{{"iss", kCognito},    {"sub", "c-1"},       {"token_use", "access"},
                        {"client_id", "app-1"}, {"cognito:groups", json::array{"analyst", "viewer"}},
                        {"role", "admin"}};
  }

  int64_t now_ = 1800000000;
  std::shared_ptr<MemoryProvider> provider_ = std::make_shared<MemoryProvider>();
  SigningKey auth0_ = NewKey("RSA", "auth0-1");
  SigningKey cognito_ = NewKey("RSA", "cognito-1");
};

TEST_F(IssuersTest, EachIssuersTokensVerifyWithItsOwnKeysAndRules) {
  auto identity = Identity(Settings(false));
  // Auth0: iss with the slash, aud an array, claims under the namespace.
  absl::StatusOr<Principal> alice = Identify(*identity, Sign(auth0_, Algorithm::kRS256, Auth0Claims(), now_));
  ASSERT_TRUE(alice.ok()) << alice.status();
  EXPECT_EQ(alice->security_context, (json::object{{"role", "admin"}, {"tenant", "acme"}}));
  EXPECT_EQ(alice->issuer, kAuth0);
  ASSERT_NE(alice->allowed_tenants, nullptr);
  EXPECT_EQ(*alice->allowed_tenants, (std::vector<std::string>{"acme"}));

  // Cognito: no aud, client_id checked, groups become the roles (replacing
  // the token's own "role").
  absl::StatusOr<Principal> c = Identify(*identity, Sign(cognito_, Algorithm::kRS256, CognitoClaims(), now_));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->security_context.at("role"), (json::array{"analyst", "viewer"}));
  EXPECT_EQ(c->allowed_tenants, nullptr);
  json::object no_groups = CognitoClaims();
  no_groups.erase("cognito:groups");
  c = Identify(*identity, Sign(cognito_, Algorithm::kRS256, no_groups, now_));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->security_context.as_object().contains("role"));

  // Each issuer's rules.
  auto refused = [&](const SigningKey& key, json::object claims) {
    return !Identify(*identity, Sign(key, Algorithm::kRS256, std::move(claims), now_)).ok();
  };
  json::object other_client = CognitoClaims();
  other_client["client_id"] = "app-9";
  EXPECT_TRUE(refused(cognito_, other_client));
  json::object id_token = CognitoClaims();
  id_token["token_use"] = "id";
  id_token["aud"] = "app-1";
  EXPECT_TRUE(refused(cognito_, id_token));
  json::object wrong_aud = Auth0Claims();
  wrong_aud["aud"] = "https://other.example";
  EXPECT_TRUE(refused(auth0_, wrong_aud));
  json::object no_aud = Auth0Claims();
  no_aud.erase("aud");
  EXPECT_TRUE(refused(auth0_, no_aud));
  json::object no_slash = Auth0Claims();
  no_slash["iss"] = "https://tessera.eu.auth0.com";
  EXPECT_TRUE(refused(auth0_, no_slash));

  // A token naming one issuer signed with the other's key: refused, kid or not.
  json::object forged = Auth0Claims();
  EXPECT_TRUE(refused(cognito_, forged));
  SigningKey same_kid = cognito_;
  same_kid.private_key.kid = "auth0-1";
  EXPECT_TRUE(refused(same_kid, forged));
  // An issuer nobody configured: refused (no default keys).
  json::object stranger = Auth0Claims();
  stranger["iss"] = "https://evil.example/";
  EXPECT_TRUE(refused(auth0_, stranger));
}

TEST_F(IssuersTest, ASecretNeverVouchesForAConfiguredIssuer) {
  auto identity = Identity(Settings(true));
  jose::Jwk secret = jose::SecretJwk(kSecret);
  auto hs = [&](json::object claims) {
    claims.emplace("exp", now_ + 600);
    auto t = jose::SignCompactJws(Algorithm::kHS256, secret, json::object{}, json::serialize(claims));
    return Identify(*identity, *t);
  };
  // Tokens of the API's own secret still work for other issuers (or none)...
  EXPECT_TRUE(hs(json::object{{"role", "admin"}}).ok());
  EXPECT_TRUE(hs(json::object{{"iss", "tessera-cli"}}).ok());
  // ...but one naming a configured provider is that provider's to sign.
  absl::StatusOr<Principal> forged = hs(Auth0Claims());
  EXPECT_FALSE(forged.ok());
  EXPECT_EQ(std::string(forged.status().message()), std::string(kInvalidTokenMessage));
  EXPECT_TRUE(Identify(*identity, Sign(auth0_, Algorithm::kRS256, Auth0Claims(), now_)).ok());
}

TEST_F(IssuersTest, DiscoveryIsCheckedAndReportedPerIssuer) {
  // The Cognito document claims to be for another issuer: its keys are never used.
  provider_->Serve(std::string(kCognito) + "/.well-known/openid-configuration",
                   json::serialize(json::object{{"issuer", "https://evil.example"},
                                                {"jwks_uri", std::string(kCognito) + "/.well-known/jwks.json"}}));
  absl::StatusOr<TokenPolicy> policy = BuildTokenPolicy(Settings(false), provider_);
  ASSERT_TRUE(policy.ok()) << policy.status();
  for (const auto& issuer : policy->issuers) issuer->keys->AwaitFirstFetch(std::chrono::seconds(5)).IgnoreError();
  auto identity = MakeTokenIdentity(*std::move(policy), [this] { return now_; });
  std::vector<KeySourceStatus> sources = identity->KeySources();
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].issuer, kAuth0);
  EXPECT_TRUE(sources[0].ready);
  EXPECT_EQ(sources[1].issuer, kCognito);
  EXPECT_FALSE(sources[1].ready);
  EXPECT_NE(sources[1].problem.find("discovery document is for issuer"), std::string::npos) << sources[1].problem;
  EXPECT_EQ(provider_->Calls(std::string(kCognito) + "/.well-known/jwks.json"), 0);
  EXPECT_FALSE(Identify(*identity, Sign(cognito_, Algorithm::kRS256, CognitoClaims(), now_)).ok());
  EXPECT_TRUE(Identify(*identity, Sign(auth0_, Algorithm::kRS256, Auth0Claims(), now_)).ok());
}

TEST_F(IssuersTest, AlgorithmsAreBoundPerIssuer) {
  // The Auth0 preset allows RS256 only: a provider key published for ES256 is skipped.
  SigningKey ec = NewKey("P-256", "auth0-ec");
  provider_->Serve(std::string(kAuth0) + ".well-known/jwks.json",
                   json::serialize(json::object{{"keys", json::array{auth0_.public_jwk, ec.public_jwk}}}));
  auto identity = Identity(Settings(false));
  EXPECT_FALSE(Identify(*identity, Sign(ec, Algorithm::kES256, Auth0Claims(), now_)).ok());
  EXPECT_TRUE(Identify(*identity, Sign(auth0_, Algorithm::kRS256, Auth0Claims(), now_)).ok());
  EXPECT_FALSE(Identify(*identity, Sign(auth0_, Algorithm::kPS256, Auth0Claims(), now_)).ok());
}

TEST(ClaimRulesTest, TokenUseAndClientIds) {
  ClaimRules rules;
  rules.token_use = "access";
  rules.client_ids = {"app-1"};
  auto check = [&](json::object claims) { return ValidateClaims(claims, rules, 100).ok(); };
  rules.require_exp = false;
  EXPECT_TRUE(check({{"token_use", "access"}, {"client_id", "app-1"}}));
  EXPECT_FALSE(check({{"token_use", "id"}, {"client_id", "app-1"}}));
  EXPECT_FALSE(check({{"client_id", "app-1"}}));
  EXPECT_FALSE(check({{"token_use", "access"}, {"client_id", "app-2"}}));
  EXPECT_FALSE(check({{"token_use", "access"}}));
  // With an aud, the aud must name an accepted client or audience.
  EXPECT_TRUE(check({{"token_use", "access"}, {"aud", "app-1"}}));
  EXPECT_FALSE(check({{"token_use", "access"}, {"aud", "app-2"}, {"client_id", "app-1"}}));
}

}  // namespace
}  // namespace tessera::identity
