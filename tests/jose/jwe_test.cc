// JWE round trips for every supported alg × enc, and the attacks and
// downgrades a decrypter must refuse (RFC 7516, RFC 7518, RFC 8725 §3).
#include "identity/jose/jwe.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "identity/jose/base64url.h"
#include "identity/jose/jwe_crypto.h"
#include "identity/jose/jwk.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

constexpr char kGeneric[] = "JWE decryption failed";

const ContentEncryption kAllEncs[] = {
    ContentEncryption::kA128GCM,      ContentEncryption::kA192GCM,      ContentEncryption::kA256GCM,
    ContentEncryption::kA128CbcHs256, ContentEncryption::kA192CbcHs384, ContentEncryption::kA256CbcHs512,
};

std::size_t CekSize(ContentEncryption enc) {
  switch (enc) {
    case ContentEncryption::kA128GCM: return 16;
    case ContentEncryption::kA192GCM: return 24;
    case ContentEncryption::kA256GCM: return 32;
    case ContentEncryption::kA128CbcHs256: return 32;
    case ContentEncryption::kA192CbcHs384: return 48;
    case ContentEncryption::kA256CbcHs512: return 64;
  }
  return 0;
}

Jwk OctKey(std::size_t bytes) {
  Jwk key;
  key.type = KeyType::kOct;
  key.secret = crypto::RandomBytes(bytes);
  key.is_private = true;
  key.bits = static_cast<int>(bytes * 8);
  return key;
}

Jwk GeneratedKey(KeyType type, const std::string& crv) {
  EVP_PKEY* raw = nullptr;
  int bits = 0;
  if (type == KeyType::kRsa) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
    bits = 2048;
  } else if (type == KeyType::kEc) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", crv.c_str());
    bits = crv == "P-256" ? 256 : crv == "P-384" ? 384 : 521;
  } else {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, crv.c_str());
    bits = 253;
  }
  EXPECT_NE(raw, nullptr) << crv;
  Jwk key;
  key.type = type;
  key.crv = type == KeyType::kRsa ? "" : crv;
  key.is_private = true;
  key.pkey = EvpPkeyPtr(raw, EvpPkeyFree());
  key.bits = bits;
  return key;
}

// Keys are costly to generate (RSA): one set for the whole file.
const Jwk& Rsa() {
  static const Jwk key = GeneratedKey(KeyType::kRsa, "");
  return key;
}
const Jwk& Ec(const std::string& crv) {
  static const Jwk p256 = GeneratedKey(KeyType::kEc, "P-256");
  static const Jwk p384 = GeneratedKey(KeyType::kEc, "P-384");
  static const Jwk p521 = GeneratedKey(KeyType::kEc, "P-521");
  static const Jwk x25519 = GeneratedKey(KeyType::kOkp, "X25519");
  if (crv == "P-256") return p256;
  if (crv == "P-384") return p384;
  if (crv == "P-521") return p521;
  return x25519;
}

JweDecryptionPolicy PolicyFor(Algorithm alg, ContentEncryption enc) {
  JweDecryptionPolicy policy;
  policy.allowed_algs = {alg};
  policy.allowed_encs = {enc};
  return policy;
}

std::vector<std::string> Split(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = token.find('.', start);
    parts.push_back(token.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += '.';
    out += parts[i];
  }
  return out;
}

bj::object HeaderOf(const std::string& token) {
  return bj::parse(*DecodeBase64Url(Split(token)[0])).as_object();
}

// Re-encodes the protected header after `edit`; the other segments stay.
std::string WithHeader(const std::string& token, const std::function<void(bj::object&)>& edit) {
  std::vector<std::string> parts = Split(token);
  bj::object header = HeaderOf(token);
  edit(header);
  parts[0] = EncodeBase64Url(bj::serialize(header));
  return Join(parts);
}

std::string FlipByte(const std::string& b64, std::size_t index) {
  std::string bytes = *DecodeBase64Url(b64);
  bytes[index] = static_cast<char>(bytes[index] ^ 0x01);
  return EncodeBase64Url(bytes);
}

std::string Encrypt(Algorithm alg, ContentEncryption enc, const Jwk& key, std::string_view plaintext,
                    const bj::object& extra = {}) {
  absl::StatusOr<std::string> token = EncryptCompactJwe(alg, enc, key, extra, plaintext);
  EXPECT_TRUE(token.ok()) << AlgorithmName(alg) << "/" << ContentEncryptionName(enc) << ": " << token.status();
  return token.ok() ? *token : std::string();
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

// ---------------------------------------------------------------- round trips

struct RoundTripCase {
  std::string name;
  Algorithm alg;
  std::function<Jwk(ContentEncryption)> key;
};

class JweRoundTripTest : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(JweRoundTripTest, EveryEncRoundTrips) {
  const RoundTripCase& c = GetParam();
  for (ContentEncryption enc : kAllEncs) {
    SCOPED_TRACE(std::string(ContentEncryptionName(enc)));
    const Jwk key = c.key(enc);
    bj::object extra;
    extra["kid"] = "k1";
    // Keep PBKDF2 cheap in tests; the default count is exercised elsewhere.
    if (c.name.rfind("PBES2", 0) == 0) extra["p2c"] = 1000;
    const std::string plaintext = "round trip for " + c.name;
    const std::string token = Encrypt(c.alg, enc, key, plaintext, extra);
    ASSERT_FALSE(token.empty());
    JweDecryptionPolicy policy = PolicyFor(c.alg, enc);
    policy.allow_rsa1_5 = c.alg == Algorithm::kRsa1_5;
    policy.allow_pbes2 = c.name.rfind("PBES2", 0) == 0;
    absl::StatusOr<DecryptedJwe> out = DecryptCompactJwe(token, key, policy);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->plaintext, plaintext);
    EXPECT_EQ(out->alg, c.alg);
    EXPECT_EQ(out->enc, enc);
    EXPECT_EQ(out->header.at("kid").as_string(), "k1");
    EXPECT_EQ(out->header.at("alg").as_string(), AlgorithmName(c.alg));
    // Fresh CEK and IV each time: the same input never gives the same token.
    EXPECT_NE(Encrypt(c.alg, enc, key, plaintext, extra), token);
  }
}

std::vector<RoundTripCase> RoundTripCases() {
  auto oct = [](std::size_t n) { return [n](ContentEncryption) { return OctKey(n); }; };
  auto ec = [](std::string crv) { return [crv](ContentEncryption) { return Ec(crv); }; };
  std::vector<RoundTripCase> cases = {
      {"dir", Algorithm::kDir, [](ContentEncryption enc) { return OctKey(CekSize(enc)); }},
      {"A128KW", Algorithm::kA128KW, oct(16)},
      {"A192KW", Algorithm::kA192KW, oct(24)},
      {"A256KW", Algorithm::kA256KW, oct(32)},
      {"A128GCMKW", Algorithm::kA128GCMKW, oct(16)},
      {"A192GCMKW", Algorithm::kA192GCMKW, oct(24)},
      {"A256GCMKW", Algorithm::kA256GCMKW, oct(32)},
      {"RSA_OAEP", Algorithm::kRsaOaep, [](ContentEncryption) { return Rsa(); }},
      {"RSA_OAEP_256", Algorithm::kRsaOaep256, [](ContentEncryption) { return Rsa(); }},
      {"RSA1_5", Algorithm::kRsa1_5, [](ContentEncryption) { return Rsa(); }},
      {"PBES2_HS256_A128KW", Algorithm::kPbes2Hs256A128KW, oct(12)},
      {"PBES2_HS384_A192KW", Algorithm::kPbes2Hs384A192KW, oct(20)},
      {"PBES2_HS512_A256KW", Algorithm::kPbes2Hs512A256KW, oct(30)},
  };
  const std::pair<Algorithm, std::string> ecdh_algs[] = {{Algorithm::kEcdhEs, "ECDH_ES"},
                                                         {Algorithm::kEcdhEsA128KW, "ECDH_ES_A128KW"},
                                                         {Algorithm::kEcdhEsA192KW, "ECDH_ES_A192KW"},
                                                         {Algorithm::kEcdhEsA256KW, "ECDH_ES_A256KW"}};
  for (const auto& [alg, name] : ecdh_algs) {
    for (const std::string crv : {"P-256", "P-384", "P-521", "X25519"}) {
      std::string curve = crv;
      curve.erase(std::remove(curve.begin(), curve.end(), '-'), curve.end());
      cases.push_back({name + "_" + curve, alg, ec(crv)});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, JweRoundTripTest, ::testing::ValuesIn(RoundTripCases()),
                         [](const ::testing::TestParamInfo<RoundTripCase>& info) { return info.param.name; });

TEST(JweTest, CompressedRoundTripNeedsPermission) {
  const Jwk key = OctKey(16);
  bj::object extra;
  extra["zip"] = "DEF";
  const std::string plaintext(3000, 'z');
  const std::string token = Encrypt(Algorithm::kA128KW, ContentEncryption::kA128GCM, key, plaintext, extra);
  EXPECT_LT(token.size(), plaintext.size()) << "the plaintext was compressed";

  JweDecryptionPolicy policy = PolicyFor(Algorithm::kA128KW, ContentEncryption::kA128GCM);
  absl::StatusOr<DecryptedJwe> refused = DecryptCompactJwe(token, key, policy);
  ASSERT_FALSE(refused.ok()) << "zip without permission";
  EXPECT_NE(Message(refused.status()).find("compression"), std::string::npos) << refused.status();

  policy.allow_compression = true;
  absl::StatusOr<DecryptedJwe> out = DecryptCompactJwe(token, key, policy);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->plaintext, plaintext);

  // The cap applies to the inflated size.
  policy.max_plaintext_bytes = 2999;
  absl::StatusOr<DecryptedJwe> capped = DecryptCompactJwe(token, key, policy);
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(Message(capped.status()), kGeneric);
}

TEST(JweTest, DefaultPbes2IterationCountIsAcceptedByDefaultPolicy) {
  const Jwk password = OctKey(24);
  const std::string token =
      Encrypt(Algorithm::kPbes2Hs256A128KW, ContentEncryption::kA128GCM, password, "secret", {});
  EXPECT_EQ(HeaderOf(token).at("p2c").as_int64(), 310000);
  EXPECT_GE(DecodeBase64Url(std::string(HeaderOf(token).at("p2s").as_string()))->size(), 8u);
  JweDecryptionPolicy policy = PolicyFor(Algorithm::kPbes2Hs256A128KW, ContentEncryption::kA128GCM);
  policy.allow_pbes2 = true;
  absl::StatusOr<DecryptedJwe> out = DecryptCompactJwe(token, password, policy);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->plaintext, "secret");
}

TEST(JweTest, EcdhEsHeaderCarriesPublicEpkAndApuApv) {
  const Jwk& key = Ec("P-256");
  bj::object extra;
  extra["apu"] = EncodeBase64Url("Alice");
  extra["apv"] = EncodeBase64Url("Bob");
  const std::string token = Encrypt(Algorithm::kEcdhEs, ContentEncryption::kA128GCM, key, "hi", extra);
  const bj::object header = HeaderOf(token);
  const bj::object& epk = header.at("epk").as_object();
  EXPECT_EQ(epk.at("kty").as_string(), "EC");
  EXPECT_EQ(epk.at("crv").as_string(), "P-256");
  EXPECT_EQ(epk.if_contains("d"), nullptr) << "epk must be public";
  EXPECT_TRUE(Split(token)[1].empty()) << "ECDH-ES direct has no encrypted key";
  absl::StatusOr<DecryptedJwe> out =
      DecryptCompactJwe(token, key, PolicyFor(Algorithm::kEcdhEs, ContentEncryption::kA128GCM));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->plaintext, "hi");
  // apu/apv are bound into the KDF: changing one breaks decryption.
  const std::string altered = WithHeader(token, [](bj::object& h) { h["apu"] = EncodeBase64Url("Mallory"); });
  absl::StatusOr<DecryptedJwe> bad =
      DecryptCompactJwe(altered, key, PolicyFor(Algorithm::kEcdhEs, ContentEncryption::kA128GCM));
  ASSERT_FALSE(bad.ok());
}

TEST(JweTest, EncryptRefusesKeysThatDoNotFitAndReservedHeaderMembers) {
  EXPECT_FALSE(EncryptCompactJwe(Algorithm::kA128KW, ContentEncryption::kA128GCM, OctKey(32), {}, "x").ok());
  EXPECT_FALSE(EncryptCompactJwe(Algorithm::kDir, ContentEncryption::kA256GCM, OctKey(16), {}, "x").ok());
  EXPECT_FALSE(EncryptCompactJwe(Algorithm::kRsaOaep, ContentEncryption::kA128GCM, Ec("P-256"), {}, "x").ok());
  EXPECT_FALSE(EncryptCompactJwe(Algorithm::kHS256, ContentEncryption::kA128GCM, OctKey(32), {}, "x").ok());
  bj::object extra;
  extra["enc"] = "A256GCM";
  EXPECT_FALSE(EncryptCompactJwe(Algorithm::kA128KW, ContentEncryption::kA128GCM, OctKey(16), extra, "x").ok());
}

// ----------------------------------------------------------------- attacks

class JweAttackTest : public ::testing::Test {
 protected:
  JweAttackTest()
      : key_(OctKey(16)),
        policy_(PolicyFor(Algorithm::kA128KW, ContentEncryption::kA128GCM)),
        token_(Encrypt(Algorithm::kA128KW, ContentEncryption::kA128GCM, key_, "attack at dawn")) {}

  absl::Status Decrypt(const std::string& token) { return DecryptCompactJwe(token, key_, policy_).status(); }

  Jwk key_;
  JweDecryptionPolicy policy_;
  std::string token_;
};

TEST_F(JweAttackTest, BaselineDecrypts) {
  absl::StatusOr<DecryptedJwe> out = DecryptCompactJwe(token_, key_, policy_);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->plaintext, "attack at dawn");
}

TEST_F(JweAttackTest, EncNotAllowed) {
  const std::string token = Encrypt(Algorithm::kA128KW, ContentEncryption::kA256GCM, key_, "x");
  const absl::Status s = Decrypt(token);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("enc A256GCM is not allowed"), std::string::npos) << s;
}

TEST_F(JweAttackTest, AlgNotAllowed) {
  policy_.allowed_algs = {Algorithm::kA256KW};
  const absl::Status s = Decrypt(token_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("alg A128KW is not allowed"), std::string::npos) << s;
}

TEST_F(JweAttackTest, AlgAndEncSwapped) {
  const std::string token = WithHeader(token_, [](bj::object& h) {
    h["alg"] = "A128GCM";
    h["enc"] = "A128KW";
  });
  const absl::Status s = Decrypt(token);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("not a key management algorithm"), std::string::npos) << s;
}

TEST_F(JweAttackTest, SigningAlgorithmInAlgIsRefused) {
  const absl::Status s = Decrypt(WithHeader(token_, [](bj::object& h) { h["alg"] = "HS256"; }));
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(Decrypt(WithHeader(token_, [](bj::object& h) { h["alg"] = "none"; })).ok());
  EXPECT_FALSE(Decrypt(WithHeader(token_, [](bj::object& h) { h.erase("enc"); })).ok());
  EXPECT_FALSE(Decrypt(WithHeader(token_, [](bj::object& h) { h["enc"] = 1; })).ok());
}

TEST_F(JweAttackTest, TruncatedGcmTag) {
  std::vector<std::string> parts = Split(token_);
  const std::string tag = *DecodeBase64Url(parts[4]);
  for (std::size_t len : {15u, 12u, 8u, 4u, 0u}) {
    parts[4] = EncodeBase64Url(tag.substr(0, len));
    const absl::Status s = Decrypt(Join(parts));
    ASSERT_FALSE(s.ok()) << "tag of " << len << " bytes";
    EXPECT_EQ(Message(s), kGeneric);
  }
  parts[4] = EncodeBase64Url(tag + "x");
  EXPECT_EQ(Message(Decrypt(Join(parts))), kGeneric) << "extended tag";
}

TEST_F(JweAttackTest, ModifiedTagCiphertextIvEncryptedKey) {
  for (std::size_t segment : {1u, 2u, 3u, 4u}) {
    std::vector<std::string> parts = Split(token_);
    parts[segment] = FlipByte(parts[segment], 0);
    const absl::Status s = Decrypt(Join(parts));
    ASSERT_FALSE(s.ok()) << "segment " << segment;
    EXPECT_EQ(Message(s), kGeneric) << "segment " << segment;
  }
}

TEST_F(JweAttackTest, ModifiedProtectedHeaderBreaksTheAad) {
  const absl::Status s = Decrypt(WithHeader(token_, [](bj::object& h) { h["kid"] = "other"; }));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(Message(s), kGeneric);
  // Same JSON members, different encoding (whitespace): still different AAD.
  std::vector<std::string> parts = Split(token_);
  const std::string json = *DecodeBase64Url(parts[0]);
  parts[0] = EncodeBase64Url(json.substr(0, 1) + " " + json.substr(1));
  EXPECT_EQ(Message(Decrypt(Join(parts))), kGeneric);
}

TEST_F(JweAttackTest, WrongSegmentCounts) {
  std::vector<std::string> parts = Split(token_);
  std::vector<std::string> four(parts.begin(), parts.begin() + 4);
  std::vector<std::string> six = parts;
  six.push_back("");
  std::vector<std::string> six_full = parts;
  six_full.push_back(parts[4]);
  for (const std::string& token : {Join(four), Join(six), Join(six_full), std::string(), std::string("....")}) {
    const absl::Status s = Decrypt(token);
    ASSERT_FALSE(s.ok()) << token;
  }
  EXPECT_NE(Message(Decrypt(Join(four))).find("five segments"), std::string::npos);
  EXPECT_NE(Message(Decrypt(Join(six))).find("five segments"), std::string::npos);
}

TEST_F(JweAttackTest, OversizedTokenIsRefusedBeforeDecoding) {
  policy_.max_token_bytes = token_.size() - 1;
  const absl::Status s = Decrypt(token_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("larger than"), std::string::npos) << s;
  policy_.max_token_bytes = kDefaultMaxTokenBytes;
  EXPECT_FALSE(Decrypt(std::string(kDefaultMaxTokenBytes + 1, 'A')).ok());
}

TEST_F(JweAttackTest, NonStrictEncodingAndJson) {
  std::vector<std::string> parts = Split(token_);
  std::vector<std::string> padded = parts;
  padded[0] += "=";
  EXPECT_FALSE(Decrypt(Join(padded)).ok()) << "padding is not base64url as JOSE uses it";
  const std::string json = *DecodeBase64Url(parts[0]);
  parts[0] = EncodeBase64Url(json.substr(0, json.size() - 1) + ",\"alg\":\"A128KW\"}");
  const absl::Status dup = Decrypt(Join(parts));
  ASSERT_FALSE(dup.ok()) << "duplicate member";
  EXPECT_NE(Message(dup), kGeneric) << "header errors are reported before the crypto stage";
  parts[0] = EncodeBase64Url("[1]");
  EXPECT_FALSE(Decrypt(Join(parts)).ok());
}

TEST_F(JweAttackTest, UnknownCritIsRefused) {
  const absl::Status s = Decrypt(WithHeader(token_, [](bj::object& h) {
    h["exp"] = 1;
    h["crit"] = bj::array{"exp"};
  }));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("crit"), std::string::npos) << s;
  EXPECT_FALSE(Decrypt(WithHeader(token_, [](bj::object& h) { h["crit"] = bj::array{}; })).ok());
  EXPECT_FALSE(Decrypt(WithHeader(token_, [](bj::object& h) { h["crit"] = bj::array{"enc"}; })).ok());
  EXPECT_FALSE(Decrypt(WithHeader(token_, [](bj::object& h) { h["crit"] = bj::array{"absent"}; })).ok());
}

TEST_F(JweAttackTest, KeyBoundToAnotherAlgorithm) {
  key_.alg = Algorithm::kA128GCMKW;
  policy_.allowed_algs = {Algorithm::kA128KW, Algorithm::kA128GCMKW};
  const absl::Status s = Decrypt(token_);
  ASSERT_FALSE(s.ok()) << "the token's alg must be the key's configured alg";
}

TEST_F(JweAttackTest, EmptyPolicyAllowsNothing) {
  policy_.allowed_algs.clear();
  EXPECT_FALSE(Decrypt(token_).ok());
  policy_ = PolicyFor(Algorithm::kA128KW, ContentEncryption::kA128GCM);
  policy_.allowed_encs.clear();
  EXPECT_FALSE(Decrypt(token_).ok());
}

TEST_F(JweAttackTest, JsonSerializationIsNotCompact) {
  const std::vector<std::string> parts = Split(token_);
  const std::string json = "{\"protected\":\"" + parts[0] + "\",\"encrypted_key\":\"" + parts[1] + "\",\"iv\":\"" +
                           parts[2] + "\",\"ciphertext\":\"" + parts[3] + "\",\"tag\":\"" + parts[4] + "\"}";
  EXPECT_FALSE(Decrypt(json).ok());
  absl::StatusOr<DecryptedJwe> as_json = DecryptJsonJwe(json, key_, policy_);
  ASSERT_TRUE(as_json.ok()) << as_json.status();
  EXPECT_EQ(as_json->plaintext, "attack at dawn");
}

TEST(JweTest, DirWithNonEmptyEncryptedKey) {
  const Jwk key = OctKey(16);
  const std::string token = Encrypt(Algorithm::kDir, ContentEncryption::kA128GCM, key, "x");
  std::vector<std::string> parts = Split(token);
  ASSERT_TRUE(parts[1].empty());
  parts[1] = EncodeBase64Url(std::string(16, 'k'));
  const absl::Status s =
      DecryptCompactJwe(Join(parts), key, PolicyFor(Algorithm::kDir, ContentEncryption::kA128GCM)).status();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("empty encrypted key"), std::string::npos) << s;
  // A dir key of the wrong size for enc is refused as a key problem.
  EXPECT_FALSE(
      DecryptCompactJwe(token, OctKey(32), PolicyFor(Algorithm::kDir, ContentEncryption::kA128GCM)).ok());
}

TEST(JweTest, EcdhEsDirectWithNonEmptyEncryptedKey) {
  const Jwk& key = Ec("P-256");
  std::vector<std::string> parts = Split(Encrypt(Algorithm::kEcdhEs, ContentEncryption::kA128GCM, key, "x"));
  parts[1] = EncodeBase64Url(std::string(24, 'k'));
  const absl::Status s =
      DecryptCompactJwe(Join(parts), key, PolicyFor(Algorithm::kEcdhEs, ContentEncryption::kA128GCM)).status();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("empty encrypted key"), std::string::npos) << s;
}

class JweEpkTest : public ::testing::Test {
 protected:
  JweEpkTest()
      : policy_(PolicyFor(Algorithm::kEcdhEsA128KW, ContentEncryption::kA128GCM)),
        token_(Encrypt(Algorithm::kEcdhEsA128KW, ContentEncryption::kA128GCM, Ec("P-256"), "x")) {}

  absl::Status DecryptWithEpk(const std::function<void(bj::object&)>& edit) {
    const std::string token = WithHeader(token_, [&](bj::object& h) { edit(h["epk"].as_object()); });
    return DecryptCompactJwe(token, Ec("P-256"), policy_).status();
  }

  JweDecryptionPolicy policy_;
  std::string token_;
};

TEST_F(JweEpkTest, Baseline) {
  EXPECT_TRUE(DecryptCompactJwe(token_, Ec("P-256"), policy_).ok());
}

TEST_F(JweEpkTest, EpkOnAnotherCurve) {
  const bj::object other = *PublicJwk(Ec("P-384"));
  const absl::Status s = DecryptWithEpk([&](bj::object& epk) { epk = other; });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("epk"), std::string::npos) << s;
  const bj::object x25519 = *PublicJwk(Ec("X25519"));
  const absl::Status t = DecryptWithEpk([&](bj::object& epk) { epk = x25519; });
  ASSERT_FALSE(t.ok());
  EXPECT_NE(Message(t).find("epk"), std::string::npos) << t;
}

TEST_F(JweEpkTest, EpkPointNotOnCurve) {
  const absl::Status s = DecryptWithEpk([](bj::object& epk) {
    std::string y = *DecodeBase64Url(std::string(epk["y"].as_string()));
    y.back() = static_cast<char>(y.back() ^ 0x01);
    epk["y"] = EncodeBase64Url(y);
  });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("epk"), std::string::npos) << s;
}

TEST_F(JweEpkTest, EpkCarryingPrivateKey) {
  const absl::Status s = DecryptWithEpk([](bj::object& epk) { epk["d"] = EncodeBase64Url(std::string(32, 'd')); });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("epk"), std::string::npos) << s;
}

TEST_F(JweEpkTest, EpkMissingOrNotAnObject) {
  const std::string missing = WithHeader(token_, [](bj::object& h) { h.erase("epk"); });
  EXPECT_FALSE(DecryptCompactJwe(missing, Ec("P-256"), policy_).ok());
  const std::string text = WithHeader(token_, [](bj::object& h) { h["epk"] = "x"; });
  EXPECT_FALSE(DecryptCompactJwe(text, Ec("P-256"), policy_).ok());
  const absl::Status oct = DecryptWithEpk([](bj::object& epk) {
    epk = bj::object{{"kty", "oct"}, {"k", EncodeBase64Url("0123456789abcdef")}};
  });
  EXPECT_FALSE(oct.ok());
}

TEST(JweTest, P2cAboveTheCap) {
  const Jwk password = OctKey(16);
  bj::object extra;
  extra["p2c"] = 5000;
  const std::string token =
      Encrypt(Algorithm::kPbes2Hs256A128KW, ContentEncryption::kA128GCM, password, "x", extra);
  JweDecryptionPolicy policy = PolicyFor(Algorithm::kPbes2Hs256A128KW, ContentEncryption::kA128GCM);
  policy.allow_pbes2 = true;
  policy.max_pbes2_iterations = 4999;
  absl::Status s = DecryptCompactJwe(token, password, policy).status();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("p2c"), std::string::npos) << s;
  policy.max_pbes2_iterations = 5000;
  EXPECT_TRUE(DecryptCompactJwe(token, password, policy).ok());
  // A huge count is refused before any PBKDF2 work (this would take hours).
  policy.max_pbes2_iterations = 310000;
  for (const bj::value& bad : {bj::value(std::int64_t{1} << 40), bj::value(std::uint64_t{1} << 63),
                               bj::value(0), bj::value(-1), bj::value(1000.0), bj::value("1000")}) {
    const std::string edited = WithHeader(token, [&](bj::object& h) { h["p2c"] = bad; });
    EXPECT_FALSE(DecryptCompactJwe(edited, password, policy).ok()) << bj::serialize(bad);
  }
  const std::string short_salt =
      WithHeader(token, [](bj::object& h) { h["p2s"] = EncodeBase64Url("1234567"); });
  s = DecryptCompactJwe(short_salt, password, policy).status();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("p2s"), std::string::npos) << s;
}

TEST(JweTest, Pbes2RefusedUnlessEnabled) {
  const Jwk password = OctKey(16);
  bj::object extra;
  extra["p2c"] = 1000;
  const std::string token =
      Encrypt(Algorithm::kPbes2Hs256A128KW, ContentEncryption::kA128GCM, password, "x", extra);
  const JweDecryptionPolicy policy = PolicyFor(Algorithm::kPbes2Hs256A128KW, ContentEncryption::kA128GCM);
  const absl::Status s = DecryptCompactJwe(token, password, policy).status();
  ASSERT_FALSE(s.ok()) << "listed in allowed_algs but allow_pbes2 is off";
  EXPECT_NE(Message(s).find("allow_pbes2"), std::string::npos) << s;
}

TEST(JweTest, Rsa1_5RefusedByDefault) {
  const std::string token = Encrypt(Algorithm::kRsa1_5, ContentEncryption::kA128GCM, Rsa(), "x");
  JweDecryptionPolicy policy = PolicyFor(Algorithm::kRsa1_5, ContentEncryption::kA128GCM);
  const absl::Status s = DecryptCompactJwe(token, Rsa(), policy).status();
  ASSERT_FALSE(s.ok()) << "listed in allowed_algs but allow_rsa1_5 is off";
  EXPECT_NE(Message(s).find("allow_rsa1_5"), std::string::npos) << s;
  EXPECT_FALSE(JweDecryptionPolicy{}.allow_rsa1_5);
  EXPECT_FALSE(JweDecryptionPolicy{}.allow_pbes2);
  EXPECT_FALSE(JweDecryptionPolicy{}.allow_compression);
}

TEST(JweTest, Rsa1_5PaddingAndTagFailuresLookTheSame) {
  const Jwk& key = Rsa();
  const std::string token = Encrypt(Algorithm::kRsa1_5, ContentEncryption::kA128CbcHs256, key, "x");
  JweDecryptionPolicy policy = PolicyFor(Algorithm::kRsa1_5, ContentEncryption::kA128CbcHs256);
  policy.allow_rsa1_5 = true;  // explicitly enabled to test the Bleichenbacher countermeasure
  ASSERT_TRUE(DecryptCompactJwe(token, key, policy).ok());
  std::vector<std::string> bad_padding = Split(token);
  bad_padding[1] = FlipByte(bad_padding[1], 10);
  std::vector<std::string> bad_tag = Split(token);
  bad_tag[4] = FlipByte(bad_tag[4], 0);
  std::vector<std::string> garbage_key = Split(token);
  garbage_key[1] = EncodeBase64Url(std::string(256, '\x01'));
  // A CEK of the wrong size (valid padding) is no different either.
  std::vector<std::string> wrong_size = Split(token);
  wrong_size[1] = EncodeBase64Url(*crypto::RsaEncryptKey(key.pkey.get(), crypto::RsaPadding::kPkcs1v15,
                                                        std::string(16, 'c')));
  for (const auto& parts : {bad_padding, bad_tag, garbage_key, wrong_size}) {
    const absl::Status s = DecryptCompactJwe(Join(parts), key, policy).status();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(Message(s), kGeneric);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(JweTest, WrongCekSizeAfterUnwrap) {
  // A128KW carrying a 32-byte key for A128GCM (needs 16): refused, generically.
  const Jwk kek = OctKey(16);
  const std::string token = Encrypt(Algorithm::kA128KW, ContentEncryption::kA128GCM, kek, "x");
  std::vector<std::string> parts = Split(token);
  parts[1] = EncodeBase64Url(*crypto::AesKeyWrap(kek.secret, std::string(32, 'c')));
  const absl::Status s =
      DecryptCompactJwe(Join(parts), kek, PolicyFor(Algorithm::kA128KW, ContentEncryption::kA128GCM)).status();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(Message(s), kGeneric);
}

TEST(JweTest, GcmKwNeedsIvAndTagOfTheRightSize) {
  const Jwk kek = OctKey(16);
  const std::string token = Encrypt(Algorithm::kA128GCMKW, ContentEncryption::kA128GCM, kek, "x");
  const JweDecryptionPolicy policy = PolicyFor(Algorithm::kA128GCMKW, ContentEncryption::kA128GCM);
  ASSERT_TRUE(DecryptCompactJwe(token, kek, policy).ok());
  const std::vector<std::function<void(bj::object&)>> edits = {
      [](bj::object& h) { h.erase("iv"); },
      [](bj::object& h) { h.erase("tag"); },
      [](bj::object& h) { h["iv"] = EncodeBase64Url(std::string(16, 'i')); },
      [](bj::object& h) {
        std::string tag = *DecodeBase64Url(std::string(h["tag"].as_string()));
        h["tag"] = EncodeBase64Url(tag.substr(0, 12));
      },
      [](bj::object& h) { h["tag"] = 5; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    EXPECT_FALSE(DecryptCompactJwe(WithHeader(token, edits[i]), kek, policy).ok()) << "edit " << i;
  }
}

TEST(JweTest, ZipMustBeDefAndProtected) {
  const Jwk key = OctKey(16);
  JweDecryptionPolicy policy = PolicyFor(Algorithm::kA128KW, ContentEncryption::kA128GCM);
  policy.allow_compression = true;
  const std::string token = Encrypt(Algorithm::kA128KW, ContentEncryption::kA128GCM, key, "x");
  const std::string other = WithHeader(token, [](bj::object& h) { h["zip"] = "GZIP"; });
  const absl::Status s = DecryptCompactJwe(other, key, policy).status();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("zip"), std::string::npos) << s;
}


// ------------------------------------------------------ JSON serialization

class JweJsonTest : public ::testing::Test {
 protected:
  JweJsonTest()
      : key_(OctKey(16)),
        policy_(PolicyFor(Algorithm::kA128KW, ContentEncryption::kA128GCM)),
        parts_(Split(Encrypt(Algorithm::kA128KW, ContentEncryption::kA128GCM, key_, "json body"))) {}

  bj::object Flattened() const {
    return bj::object{{"protected", parts_[0]}, {"encrypted_key", parts_[1]}, {"iv", parts_[2]},
                      {"ciphertext", parts_[3]}, {"tag", parts_[4]}};
  }
  absl::StatusOr<DecryptedJwe> Decrypt(const bj::object& json) {
    return DecryptJsonJwe(bj::serialize(json), key_, policy_);
  }

  Jwk key_;
  JweDecryptionPolicy policy_;
  std::vector<std::string> parts_;
};

TEST_F(JweJsonTest, FlattenedAndGeneral) {
  absl::StatusOr<DecryptedJwe> flat = Decrypt(Flattened());
  ASSERT_TRUE(flat.ok()) << flat.status();
  EXPECT_EQ(flat->plaintext, "json body");
  bj::object general = Flattened();
  general.erase("encrypted_key");
  general["recipients"] = bj::array{bj::object{{"encrypted_key", parts_[1]}}};
  absl::StatusOr<DecryptedJwe> out = Decrypt(general);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->plaintext, "json body");
}

TEST_F(JweJsonTest, TriesEachRecipientThatFitsTheKey) {
  // The first recipient's CEK is wrapped under another key of the same alg.
  const std::string foreign = EncodeBase64Url(*crypto::AesKeyWrap(OctKey(16).secret, std::string(16, 'c')));
  bj::object general = Flattened();
  general.erase("encrypted_key");
  general["recipients"] = bj::array{bj::object{{"encrypted_key", foreign}}, bj::object{{"encrypted_key", parts_[1]}}};
  absl::StatusOr<DecryptedJwe> out = Decrypt(general);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->plaintext, "json body");
  // Only the foreign one: the generic failure.
  general["recipients"] = bj::array{bj::object{{"encrypted_key", foreign}}};
  absl::StatusOr<DecryptedJwe> failed = Decrypt(general);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(Message(failed.status()), kGeneric);
}

TEST_F(JweJsonTest, HeaderNamesMustBeDisjoint) {
  bj::object json = Flattened();
  json["unprotected"] = bj::object{{"alg", "A128KW"}};
  EXPECT_FALSE(Decrypt(json).ok()) << "alg both protected and unprotected";
  json = Flattened();
  json["header"] = bj::object{{"enc", "A128GCM"}};
  EXPECT_FALSE(Decrypt(json).ok()) << "enc both protected and per-recipient";
}

TEST_F(JweJsonTest, ZipAndCritMustBeProtected) {
  policy_.allow_compression = true;
  bj::object json = Flattened();
  json["unprotected"] = bj::object{{"zip", "DEF"}};
  absl::StatusOr<DecryptedJwe> zip = Decrypt(json);
  ASSERT_FALSE(zip.ok());
  EXPECT_NE(Message(zip.status()).find("protected"), std::string::npos) << zip.status();
  json = Flattened();
  json["unprotected"] = bj::object{{"x", 1}, {"crit", bj::array{"x"}}};
  EXPECT_FALSE(Decrypt(json).ok());
}

TEST_F(JweJsonTest, MalformedStructure) {
  bj::object mixed = Flattened();
  mixed["recipients"] = bj::array{bj::object{{"encrypted_key", parts_[1]}}};
  EXPECT_FALSE(Decrypt(mixed).ok()) << "general and flattened at once";
  bj::object empty = Flattened();
  empty.erase("encrypted_key");
  empty["recipients"] = bj::array{};
  EXPECT_FALSE(Decrypt(empty).ok());
  bj::object no_ct = Flattened();
  no_ct.erase("ciphertext");
  EXPECT_FALSE(Decrypt(no_ct).ok());
  bj::object bad_aad = Flattened();
  bad_aad["aad"] = "not base64url!";
  EXPECT_FALSE(Decrypt(bad_aad).ok());
  bj::object extra_aad = Flattened();
  extra_aad["aad"] = EncodeBase64Url("added later");
  EXPECT_FALSE(Decrypt(extra_aad).ok()) << "aad not covered by the tag";
  EXPECT_FALSE(DecryptJsonJwe("[]", key_, policy_).ok());
  EXPECT_FALSE(DecryptJsonJwe("{\"ciphertext\":\"\",\"ciphertext\":\"\"}", key_, policy_).ok());
}

TEST_F(JweJsonTest, NoRecipientFitsTheKey) {
  absl::StatusOr<DecryptedJwe> out = DecryptJsonJwe(bj::serialize(Flattened()), Rsa(), policy_);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kNotFound) << out.status();
}

}  // namespace
}  // namespace tessera::identity::jose
