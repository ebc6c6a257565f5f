// BuildTokenPolicy: weak or contradictory token configuration is refused at
// start-up, and keys are bound to exactly the algorithms they may verify.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "identity/jose/algorithms.h"
#include "identity/token_policy.h"
#include "token_test_support.h"

namespace tessera::identity {
namespace {

using jose::Algorithm;
using namespace tessera::identity::testing;

std::multiset<Algorithm> BoundAlgs(const TokenPolicy& p) {
  std::multiset<Algorithm> out;
  for (const jose::BoundKey& k : p.signing_keys) out.insert(k.alg);
  return out;
}

// The refusal message, or a failure when the settings were accepted.
std::string RefusalOf(const TokenSettings& s) {
  absl::StatusOr<TokenPolicy> p = BuildTokenPolicy(s);
  EXPECT_FALSE(p.ok()) << "settings were accepted";
  return p.ok() ? std::string() : std::string(p.status().message());
}

TokenSettings KeySettings(const std::string& key) {
  TokenSettings s;
  s.jwt_key = key;
  return s;
}

TEST(TokenPolicyTest, ShortApiSecretRefusedNamingVariableAnd32) {
  std::string msg = RefusalOf(SecretSettings(kSecret32.substr(0, 31)));
  EXPECT_NE(msg.find("CUBEJS_API_SECRET"), std::string::npos) << msg;
  EXPECT_NE(msg.find("32"), std::string::npos) << msg;
  EXPECT_NE(msg.find("31 bytes"), std::string::npos) << msg;
  EXPECT_FALSE(BuildTokenPolicy(SecretSettings("secret")).ok());
  EXPECT_FALSE(BuildTokenPolicy(SecretSettings("x")).ok());
}

TEST(TokenPolicyTest, RepeatedByteSecretsRefused) {
  for (const std::string& secret : {std::string(32, '\0'), std::string(64, 'a')}) {
    std::string msg = RefusalOf(SecretSettings(secret));
    EXPECT_NE(msg.find("CUBEJS_API_SECRET"), std::string::npos) << msg;
  }
  TokenSettings s = SecretSettings(kSecret32);
  s.jwe_key = std::string(32, 'e');
  std::string msg = RefusalOf(s);
  EXPECT_NE(msg.find("TESSERA_JWE_KEY"), std::string::npos) << msg;
}

TEST(TokenPolicyTest, ApiSecretOf32BytesBindsHs256Only) {
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(SecretSettings(kSecret32), &p));
  EXPECT_EQ(BoundAlgs(p), (std::multiset<Algorithm>{Algorithm::kHS256}));
}

TEST(TokenPolicyTest, ApiSecretOf64BytesBindsAllHmacAlgorithms) {
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(SecretSettings(kSecret64), &p));
  EXPECT_EQ(BoundAlgs(p),
            (std::multiset<Algorithm>{Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512}));
  for (const jose::BoundKey& k : p.signing_keys) {
    EXPECT_EQ(k.key.type, jose::KeyType::kOct);
    EXPECT_EQ(k.key.secret, kSecret64);
  }
  EXPECT_TRUE(p.decryption_keys.empty());
  EXPECT_FALSE(p.require_encryption);
}

TEST(TokenPolicyTest, ExplicitHs512WithShortSecretRefused) {
  TokenSettings s = SecretSettings(kSecret32);
  s.jwt_algs = "HS512";
  std::string msg = RefusalOf(s);
  EXPECT_NE(msg.find("HS512"), std::string::npos) << msg;
  s.jwt_algs = "HS256, HS384";
  EXPECT_FALSE(BuildTokenPolicy(s).ok());
}

TEST(TokenPolicyTest, ExplicitAlgorithmListRestrictsBinding) {
  TokenSettings s = SecretSettings(kSecret64);
  s.jwt_algs = " HS512 ,";
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(s, &p));
  EXPECT_EQ(BoundAlgs(p), (std::multiset<Algorithm>{Algorithm::kHS512}));
}

TEST(TokenPolicyTest, NoneInAlgorithmListRefused) {
  for (const char* algs : {"none", "None", "NONE", "HS256,none", "HS256, None"}) {
    TokenSettings s = SecretSettings(kSecret32);
    s.jwt_algs = algs;
    std::string msg = RefusalOf(s);
    EXPECT_NE(msg.find("CUBEJS_JWT_ALGS"), std::string::npos) << algs << ": " << msg;
    EXPECT_NE(msg.find("none"), std::string::npos) << algs << ": " << msg;
  }
}

TEST(TokenPolicyTest, UnknownAlgorithmRefused) {
  for (const char* algs : {"HS1024", "hs256", "RS256X", "HS256;RS256"}) {
    TokenSettings s = SecretSettings(kSecret32);
    s.jwt_algs = algs;
    std::string msg = RefusalOf(s);
    EXPECT_NE(msg.find("CUBEJS_JWT_ALGS"), std::string::npos) << algs << ": " << msg;
  }
}

TEST(TokenPolicyTest, KeyManagementAlgorithmInSigningListRefused) {
  for (const char* algs : {"dir", "RSA-OAEP", "A256KW", "HS256,ECDH-ES"}) {
    TokenSettings s = SecretSettings(kSecret32);
    s.jwt_algs = algs;
    std::string msg = RefusalOf(s);
    EXPECT_NE(msg.find("key-management"), std::string::npos) << algs << ": " << msg;
  }
}

TEST(TokenPolicyTest, SecretNeverBindsToAsymmetricAlgorithm) {
  TokenSettings s = SecretSettings(kSecret64);
  s.jwt_algs = "RS256";
  EXPECT_FALSE(BuildTokenPolicy(s).ok());
}

TEST(TokenPolicyTest, RsaKeyNeverBindsToHmac) {
  TokenSettings s = KeySettings(RealRsa().public_pem);
  s.jwt_algs = "HS256";
  EXPECT_FALSE(BuildTokenPolicy(s).ok());
}

TEST(TokenPolicyTest, NoSecretAndNoKeyRefused) {
  std::string msg = RefusalOf(TokenSettings{});
  EXPECT_NE(msg.find("CUBEJS_API_SECRET"), std::string::npos) << msg;
}

TEST(TokenPolicyTest, PrivateRsaKeyAsJwtKeyRefused) {
  std::string msg = RefusalOf(KeySettings(RealRsa().private_pem));
  EXPECT_NE(msg.find("CUBEJS_JWT_KEY"), std::string::npos) << msg;
  EXPECT_NE(msg.find("private"), std::string::npos) << msg;
}

TEST(TokenPolicyTest, PrivateEcKeyAsJwtKeyRefused) {
  EXPECT_FALSE(BuildTokenPolicy(KeySettings(RealEc().private_pem)).ok());
}

TEST(TokenPolicyTest, Rsa1024PublicKeyRefused) {
  std::string msg = RefusalOf(KeySettings(WeakRsa().public_pem));
  EXPECT_NE(msg.find("CUBEJS_JWT_KEY"), std::string::npos) << msg;
  // Also as a JWK.
  EXPECT_FALSE(BuildTokenPolicy(KeySettings(PublicJwkJson(WeakRsa().pkey.get()))).ok());
}

TEST(TokenPolicyTest, RsaPublicPemBindsRs256) {
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(KeySettings(RealRsa().public_pem), &p));
  EXPECT_EQ(BoundAlgs(p), (std::multiset<Algorithm>{Algorithm::kRS256}));
  ASSERT_EQ(p.signing_keys.size(), 1u);
  EXPECT_EQ(p.signing_keys[0].key.type, jose::KeyType::kRsa);
  EXPECT_FALSE(p.signing_keys[0].key.is_private);
}

TEST(TokenPolicyTest, JwtKeyReplacesApiSecret) {
  TokenSettings s = KeySettings(RealRsa().public_pem);
  s.api_secret = kSecret64;
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(s, &p));
  EXPECT_EQ(BoundAlgs(p), (std::multiset<Algorithm>{Algorithm::kRS256}));
}

TEST(TokenPolicyTest, EcP256PublicPemBindsEs256) {
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(KeySettings(RealEc().public_pem), &p));
  EXPECT_EQ(BoundAlgs(p), (std::multiset<Algorithm>{Algorithm::kES256}));
}

TEST(TokenPolicyTest, Ed25519PublicPemBindsEdDsa) {
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(KeySettings(RealEd25519().public_pem), &p));
  EXPECT_EQ(BoundAlgs(p), (std::multiset<Algorithm>{Algorithm::kEdDSA}));
}

TEST(TokenPolicyTest, X25519KeyCannotVerifySignatures) {
  EXPECT_FALSE(BuildTokenPolicy(KeySettings(RealX25519().public_pem)).ok());
}

TEST(TokenPolicyTest, JwkSetWithTwoKeys) {
  std::string set = "{\"keys\":[" + PublicJwkJson(RealRsa().pkey.get(), "rsa-1") + "," +
                    PublicJwkJson(RealEc().pkey.get(), "ec-1") + "]}";
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(KeySettings(set), &p));
  ASSERT_EQ(p.signing_keys.size(), 2u);
  std::set<std::pair<std::string, Algorithm>> got;
  for (const jose::BoundKey& k : p.signing_keys) got.insert({k.key.kid, k.alg});
  EXPECT_EQ(got, (std::set<std::pair<std::string, Algorithm>>{{"rsa-1", Algorithm::kRS256},
                                                              {"ec-1", Algorithm::kES256}}));
}

TEST(TokenPolicyTest, JwkSetWithDuplicateKidRefused) {
  std::string set = "{\"keys\":[" + PublicJwkJson(RealRsa().pkey.get(), "k") + "," +
                    PublicJwkJson(RealEc().pkey.get(), "k") + "]}";
  EXPECT_FALSE(BuildTokenPolicy(KeySettings(set)).ok());
}

TEST(TokenPolicyTest, PemWithLiteralBackslashNAccepted) {
  std::string one_line;
  for (char c : RealRsa().public_pem) {
    if (c == '\n') {
      one_line += "\\n";
    } else {
      one_line.push_back(c);
    }
  }
  ASSERT_EQ(one_line.find('\n'), std::string::npos);
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(KeySettings(one_line), &p));
  EXPECT_EQ(BoundAlgs(p), (std::multiset<Algorithm>{Algorithm::kRS256}));
}

TEST(TokenPolicyTest, JweRsa1_5RefusedUnlessAllowed) {
  TokenSettings s = SecretSettings(kSecret32);
  s.jwe_key = RealRsa().private_pem;
  s.jwe_algs = "RSA-OAEP-256,RSA1_5";
  std::string msg = RefusalOf(s);
  EXPECT_NE(msg.find("RSA1_5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("TESSERA_JWE_ALLOW_RSA1_5"), std::string::npos) << msg;
  s.jwe_allow_rsa1_5 = true;
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(s, &p));
  EXPECT_TRUE(p.jwe.allow_rsa1_5);
  EXPECT_EQ(p.jwe.allowed_algs.count(Algorithm::kRsa1_5), 1u);
}

TEST(TokenPolicyTest, JweDefaultsNeverIncludeRsa1_5OrPbes2) {
  TokenSettings s = SecretSettings(kSecret32);
  s.jwe_key = RealRsa().private_pem;
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(s, &p));
  EXPECT_EQ(p.jwe.allowed_algs, (std::set<Algorithm>{Algorithm::kRsaOaep, Algorithm::kRsaOaep256}));
  EXPECT_FALSE(p.jwe.allow_rsa1_5);
  EXPECT_FALSE(p.jwe.allow_pbes2);
  EXPECT_FALSE(p.jwe.allow_compression);
}

TEST(TokenPolicyTest, JwePbes2RefusedUnlessAllowed) {
  TokenSettings s = SecretSettings(kSecret32);
  s.jwe_key = "correct horse battery staple";
  for (const char* alg : {"PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW"}) {
    s.jwe_algs = alg;
    std::string msg = RefusalOf(s);
    EXPECT_NE(msg.find(alg), std::string::npos) << msg;
    EXPECT_NE(msg.find("TESSERA_JWE_ALLOW_PBES2"), std::string::npos) << msg;
  }
}

TEST(TokenPolicyTest, JweRequiredWithoutKeyRefused) {
  TokenSettings s = SecretSettings(kSecret32);
  s.jwe_required = true;
  std::string msg = RefusalOf(s);
  EXPECT_NE(msg.find("TESSERA_JWE_KEY"), std::string::npos) << msg;
}

TEST(TokenPolicyTest, PublicKeyAsJweKeyRefused) {
  for (const std::string& key : {RealRsa().public_pem, RealEc().public_pem,
                                 PublicJwkJson(RealEc().pkey.get())}) {
    TokenSettings s = SecretSettings(kSecret32);
    s.jwe_key = key;
    std::string msg = RefusalOf(s);
    EXPECT_NE(msg.find("TESSERA_JWE_KEY"), std::string::npos) << msg;
  }
}

TEST(TokenPolicyTest, JweSecretBindsSymmetricKeyManagement) {
  TokenSettings s = SecretSettings(kSecret32);
  s.jwe_key = "jwe-shared-secret-0123456789abcd";
  s.jwe_encs = "A256GCM";
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(s, &p));
  ASSERT_EQ(p.decryption_keys.size(), 1u);
  EXPECT_EQ(p.decryption_keys[0].type, jose::KeyType::kOct);
  EXPECT_EQ(p.jwe.allowed_algs,
            (std::set<Algorithm>{Algorithm::kDir, Algorithm::kA256KW, Algorithm::kA256GCMKW}));
  EXPECT_EQ(p.jwe.allowed_encs, (std::set<jose::ContentEncryption>{jose::ContentEncryption::kA256GCM}));
}

TEST(TokenPolicyTest, JweSigningAlgorithmInKeyManagementListRefused) {
  TokenSettings s = SecretSettings(kSecret32);
  s.jwe_key = "jwe-shared-secret-0123456789abcd";
  s.jwe_algs = "HS256";
  EXPECT_FALSE(BuildTokenPolicy(s).ok());
  s.jwe_algs = "dir";
  s.jwe_encs = "A256GCM,A999GCM";
  EXPECT_FALSE(BuildTokenPolicy(s).ok());
  s.jwe_encs = " , ";
  EXPECT_FALSE(BuildTokenPolicy(s).ok());
}

TEST(TokenPolicyTest, LeewayOutOfRangeRefused) {
  for (int64_t leeway : {int64_t{-1}, int64_t{3601}, int64_t{-3600}, int64_t{1} << 40}) {
    TokenSettings s = SecretSettings(kSecret32);
    s.leeway_seconds = leeway;
    std::string msg = RefusalOf(s);
    EXPECT_NE(msg.find("TESSERA_JWT_LEEWAY_SECONDS"), std::string::npos) << leeway << ": " << msg;
  }
  for (int64_t leeway : {int64_t{0}, int64_t{3600}}) {
    TokenSettings s = SecretSettings(kSecret32);
    s.leeway_seconds = leeway;
    TokenPolicy p;
    ASSERT_NO_FATAL_FAILURE(BuildPolicy(s, &p));
    EXPECT_EQ(p.claims.leeway.count(), leeway);
  }
}

TEST(TokenPolicyTest, ClaimRulesCopiedFromSettings) {
  TokenSettings s = SecretSettings(kSecret32);
  s.audience = "api-1, api-2";
  s.issuer = "https://issuer.example";
  s.subject = "svc";
  s.require_exp = false;
  TokenPolicy p;
  ASSERT_NO_FATAL_FAILURE(BuildPolicy(s, &p));
  EXPECT_EQ(p.claims.audiences, (std::vector<std::string>{"api-1", "api-2"}));
  EXPECT_EQ(p.claims.issuers, (std::vector<std::string>{"https://issuer.example"}));
  EXPECT_EQ(p.claims.subject, "svc");
  EXPECT_FALSE(p.claims.require_exp);
}

}  // namespace
}  // namespace tessera::identity
