#include "cli/token_minter.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "identity/token_policy.h"
#include "identity/token_verifier.h"
#include "support/test_keys.h"

namespace tessera::cli {
namespace {

namespace json = boost::json;

constexpr char kSecret[] = "minter-test-secret-0123456789abcdef";
constexpr int64_t kNow = 1'800'000'000;

std::pair<std::string, std::string> KeyPair(const std::string& kind) {
  testing::PemKeyPair pair = testing::GeneratePemKeyPair(kind);
  return {pair.private_pem, pair.public_pem};
}

absl::StatusOr<std::shared_ptr<const identity::VerifiedToken>> VerifyWith(
    const identity::TokenSettings& settings, const std::string& token) {
  auto policy = identity::BuildTokenPolicy(settings);
  if (!policy.ok()) return policy.status();
  return identity::TokenVerifier(*policy).Verify(token, kNow + 10);
}

TEST(ParseExpiryTest, CubeCliSpellings) {
  EXPECT_EQ(*ParseExpiry("30 days"), 30 * 86400);
  EXPECT_EQ(*ParseExpiry("1d"), 86400);
  EXPECT_EQ(*ParseExpiry("12h"), 12 * 3600);
  EXPECT_EQ(*ParseExpiry("15 minutes"), 900);
  EXPECT_EQ(*ParseExpiry("2.5 hrs"), 9000);
  EXPECT_EQ(*ParseExpiry("3600"), 3600);
  EXPECT_EQ(*ParseExpiry("0"), 0);
  EXPECT_EQ(*ParseExpiry("1 week"), 7 * 86400);
  EXPECT_FALSE(ParseExpiry("soon").ok());
  EXPECT_FALSE(ParseExpiry("5 fortnights").ok());
  EXPECT_FALSE(ParseExpiry("1000 years").ok());
}

TEST(PayloadPairTest, StringsLikeCubeCli) {
  json::object claims;
  ASSERT_TRUE(AddPayloadPair("role=admin", claims).ok());
  ASSERT_TRUE(AddPayloadPair("tenant=a=b", claims).ok());
  ASSERT_TRUE(AddPayloadPair("empty=", claims).ok());
  EXPECT_EQ(claims.at("role"), "admin");
  EXPECT_EQ(claims.at("tenant"), "a=b");  // only the first '=' separates
  EXPECT_EQ(claims.at("empty"), "");
  EXPECT_FALSE(AddPayloadPair("novalue", claims).ok());
  EXPECT_FALSE(AddPayloadPair("=x", claims).ok());
}

TEST(MintTokenTest, SecretTokenVerifiesWithIatAndExp) {
  MintOptions o;
  o.secret = kSecret;
  o.now_seconds = kNow;
  o.claims["role"] = "admin";
  auto minted = MintToken(o);
  ASSERT_TRUE(minted.ok()) << minted.status();
  EXPECT_EQ(minted->payload.at("iat").as_int64(), kNow);
  EXPECT_EQ(minted->payload.at("exp").as_int64(), kNow + 30 * 86400);
  identity::TokenSettings settings;
  settings.api_secret = kSecret;
  auto verified = VerifyWith(settings, minted->token);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ((*verified)->claims.at("role"), "admin");
  settings.api_secret = std::string(kSecret) + "x";
  EXPECT_FALSE(VerifyWith(settings, minted->token).ok());
}

TEST(MintTokenTest, NoExpiryMeansNoExpClaim) {
  MintOptions o;
  o.secret = kSecret;
  o.now_seconds = kNow;
  o.expiry_seconds = 0;
  auto minted = MintToken(o);
  ASSERT_TRUE(minted.ok());
  EXPECT_FALSE(minted->payload.contains("exp"));
  identity::TokenSettings settings;
  settings.api_secret = kSecret;
  EXPECT_FALSE(VerifyWith(settings, minted->token).ok()) << "exp is required by default";
  settings.require_exp = false;
  EXPECT_TRUE(VerifyWith(settings, minted->token).ok());
}

TEST(MintTokenTest, AsymmetricKeysAndAlgorithms) {
  struct Row {
    const char* kind;
    const char* alg;
  };
  for (const Row& row : {Row{"RSA", "RS256"}, Row{"RSA", "PS256"}, Row{"P-256", "ES256"},
                         Row{"P-384", "ES384"}, Row{"Ed25519", "EdDSA"}}) {
    auto [priv, pub] = KeyPair(row.kind);
    MintOptions o;
    o.key = priv;
    o.alg = row.alg;
    o.kid = "k1";
    o.now_seconds = kNow;
    auto minted = MintToken(o);
    ASSERT_TRUE(minted.ok()) << row.alg << ": " << minted.status();
    identity::TokenSettings settings;
    settings.jwt_key = pub;
    settings.jwt_algs = row.alg;
    auto verified = VerifyWith(settings, minted->token);
    EXPECT_TRUE(verified.ok()) << row.alg << ": " << verified.status();
  }
}

TEST(MintTokenTest, PublicKeyCannotSign) {
  auto [priv, pub] = KeyPair("RSA");
  MintOptions o;
  o.key = pub;
  o.now_seconds = kNow;
  EXPECT_FALSE(MintToken(o).ok());
}

TEST(MintTokenTest, NestedTokenForRsaEcAndSecretRecipients) {
  auto [rsa_priv, rsa_pub] = KeyPair("RSA");
  auto [ec_priv, ec_pub] = KeyPair("P-256");
  const std::string jwe_secret = "0123456789abcdef0123456789abcdef";  // 32 bytes: dir + A256GCM
  struct Row {
    std::string recipient, decryption_key;
  };
  for (const Row& row : {Row{rsa_pub, rsa_priv}, Row{ec_pub, ec_priv}, Row{jwe_secret, jwe_secret}}) {
    MintOptions o;
    o.secret = kSecret;
    o.now_seconds = kNow;
    o.encrypt_to = row.recipient;
    auto minted = MintToken(o);
    ASSERT_TRUE(minted.ok()) << minted.status();
    EXPECT_EQ(std::count(minted->token.begin(), minted->token.end(), '.'), 4);
    identity::TokenSettings settings;
    settings.api_secret = kSecret;
    settings.jwe_key = row.decryption_key;
    settings.jwe_required = true;
    auto verified = VerifyWith(settings, minted->token);
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_TRUE((*verified)->encrypted);
    // The inner token is checked against the signing secret too.
    settings.api_secret = std::string(kSecret) + "-other";
    EXPECT_FALSE(VerifyWith(settings, minted->token).ok());
  }
}

}  // namespace
}  // namespace tessera::cli
