#include "identity/jose/jwk.h"

#include <string>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "identity/jose/algorithms.h"
#include "identity/jose/base64url.h"
#include "identity/jose/strict_json.h"
#include "support/test_keys.h"
#include "vectors.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

bj::object Obj(std::string_view json) {
  absl::StatusOr<bj::object> o = ParseStrictJsonObject(json);
  EXPECT_TRUE(o.ok()) << o.status();
  return o.ok() ? *o : bj::object();
}

bj::object CookbookKey(std::string_view file) {
  bj::value v = LoadVectorJson(std::string("jose-cookbook/jwk/") + std::string(file));
  return v.is_object() ? v.as_object() : bj::object();
}

std::string PemOf(EVP_PKEY* key, bool private_key) { return ::tessera::testing::PemText(key, private_key); }

// --- algorithms -------------------------------------------------------------

TEST(Algorithms, NamesRoundTrip) {
  for (int i = static_cast<int>(Algorithm::kHS256); i <= static_cast<int>(Algorithm::kPbes2Hs512A256KW); ++i) {
    const Algorithm alg = static_cast<Algorithm>(i);
    std::optional<Algorithm> back = AlgorithmFromName(AlgorithmName(alg));
    ASSERT_TRUE(back.has_value()) << AlgorithmName(alg);
    EXPECT_EQ(*back, alg);
  }
  for (int i = 0; i <= static_cast<int>(ContentEncryption::kA256CbcHs512); ++i) {
    const ContentEncryption enc = static_cast<ContentEncryption>(i);
    EXPECT_EQ(ContentEncryptionFromName(ContentEncryptionName(enc)), enc);
  }
  EXPECT_EQ(AlgorithmName(Algorithm::kRsaOaep256), "RSA-OAEP-256");
  EXPECT_EQ(AlgorithmName(Algorithm::kEcdhEsA128KW), "ECDH-ES+A128KW");
  EXPECT_EQ(ContentEncryptionName(ContentEncryption::kA128CbcHs256), "A128CBC-HS256");
}

TEST(Algorithms, ExactCaseSensitiveNamesAndNoNone) {
  for (const char* name : {"none", "None", "NONE", "nOnE", "hs256", "Hs256", "HS256 ", " HS256", "ES521",
                           "RS1", "", "A256GCM", "eddsa", "ED25519"}) {
    EXPECT_FALSE(AlgorithmFromName(name).has_value()) << name;
  }
  EXPECT_FALSE(ContentEncryptionFromName("a256gcm").has_value());
  EXPECT_FALSE(ContentEncryptionFromName("HS256").has_value());
}

TEST(Algorithms, Classification) {
  EXPECT_TRUE(IsSigningAlgorithm(Algorithm::kHS256));
  EXPECT_TRUE(IsSigningAlgorithm(Algorithm::kEdDSA));
  EXPECT_FALSE(IsSigningAlgorithm(Algorithm::kDir));
  EXPECT_TRUE(IsKeyManagementAlgorithm(Algorithm::kRsaOaep));
  EXPECT_FALSE(IsKeyManagementAlgorithm(Algorithm::kPS512));
}

// --- import -----------------------------------------------------------------

TEST(Jwk, CookbookKeysImport) {
  absl::StatusOr<Jwk> ec_pub = ParseJwk(CookbookKey("3_1.ec_public_key.json"));
  ASSERT_TRUE(ec_pub.ok()) << ec_pub.status();
  EXPECT_EQ(ec_pub->type, KeyType::kEc);
  EXPECT_EQ(ec_pub->crv, "P-521");
  EXPECT_EQ(ec_pub->bits, 521);
  EXPECT_FALSE(ec_pub->is_private);
  EXPECT_EQ(ec_pub->kid, "bilbo.baggins@hobbiton.example");
  EXPECT_EQ(ec_pub->use, "sig");

  absl::StatusOr<Jwk> ec_priv = ParseJwk(CookbookKey("3_2.ec_private_key.json"));
  ASSERT_TRUE(ec_priv.ok()) << ec_priv.status();
  EXPECT_TRUE(ec_priv->is_private);

  absl::StatusOr<Jwk> rsa_pub = ParseJwk(CookbookKey("3_3.rsa_public_key.json"));
  ASSERT_TRUE(rsa_pub.ok()) << rsa_pub.status();
  EXPECT_EQ(rsa_pub->type, KeyType::kRsa);
  EXPECT_EQ(rsa_pub->bits, 2048);

  absl::StatusOr<Jwk> rsa_priv = ParseJwk(CookbookKey("3_4.rsa_private_key.json"));
  ASSERT_TRUE(rsa_priv.ok()) << rsa_priv.status();
  EXPECT_TRUE(rsa_priv->is_private);

  absl::StatusOr<Jwk> mac = ParseJwk(CookbookKey("3_5.symmetric_key_mac_computation.json"));
  ASSERT_TRUE(mac.ok()) << mac.status();
  EXPECT_EQ(mac->type, KeyType::kOct);
  EXPECT_EQ(mac->alg, Algorithm::kHS256);
  EXPECT_EQ(mac->secret.size(), 32u);
  EXPECT_TRUE(mac->is_private);

  // RFC 7520 §3.6 labels a direct-encryption key with its content encryption.
  absl::StatusOr<Jwk> enc = ParseJwk(CookbookKey("3_6.symmetric_key_encryption.json"));
  ASSERT_TRUE(enc.ok()) << enc.status();
  EXPECT_EQ(enc->alg, Algorithm::kDir);
  EXPECT_EQ(enc->enc, ContentEncryption::kA256GCM);
  EXPECT_TRUE(CheckKeyFitsContentEncryption(*enc, ContentEncryption::kA256GCM).ok());
  EXPECT_FALSE(CheckKeyFitsContentEncryption(*enc, ContentEncryption::kA128GCM).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(*enc, Algorithm::kHS256).ok());
}

TEST(Jwk, Rfc8037Ed25519AndThumbprint) {
  absl::StatusOr<Jwk> key = ParseJwk(Obj(R"({"kty":"OKP","crv":"Ed25519",
      "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})"));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(key->is_private);
  // RFC 8037 Appendix A.3.
  EXPECT_EQ(*JwkThumbprint(*key), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  absl::StatusOr<bj::object> pub = PublicJwk(*key);
  ASSERT_TRUE(pub.ok());
  EXPECT_FALSE(pub->contains("d"));
  EXPECT_EQ(pub->at("x").as_string(), "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
  // A private d that does not derive x is refused.
  EXPECT_FALSE(ParseJwk(Obj(R"({"kty":"OKP","crv":"Ed25519",
      "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"21qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})")).ok());
}

TEST(Jwk, Rfc7638ThumbprintRsa) {
  // RFC 7638 §3.1 example key.
  absl::StatusOr<Jwk> key = ParseJwk(Obj(R"({"kty":"RSA",
      "n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
      "e":"AQAB","alg":"RS256","kid":"2011-04-29"})"));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*JwkThumbprint(*key), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  absl::StatusOr<bj::object> pub = PublicJwk(*key);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->at("kid").as_string(), "2011-04-29");
  EXPECT_EQ(pub->at("alg").as_string(), "RS256");
  EXPECT_EQ(pub->at("e").as_string(), "AQAB");
}

TEST(Jwk, PublicJwkOfPrivateKeysHasNoPrivateMembers) {
  absl::StatusOr<Jwk> rsa = ParseJwk(CookbookKey("3_4.rsa_private_key.json"));
  ASSERT_TRUE(rsa.ok());
  absl::StatusOr<bj::object> pub = PublicJwk(*rsa);
  ASSERT_TRUE(pub.ok()) << pub.status();
  for (const char* m : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(pub->contains(m)) << m;
  EXPECT_EQ(pub->at("n"), CookbookKey("3_3.rsa_public_key.json").at("n"));
  absl::StatusOr<Jwk> back = ParseJwk(*pub);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*JwkThumbprint(*back), *JwkThumbprint(*rsa));

  absl::StatusOr<Jwk> ec = ParseJwk(CookbookKey("3_2.ec_private_key.json"));
  ASSERT_TRUE(ec.ok());
  absl::StatusOr<bj::object> ec_pub = PublicJwk(*ec);
  ASSERT_TRUE(ec_pub.ok());
  EXPECT_FALSE(ec_pub->contains("d"));
  EXPECT_EQ(ec_pub->at("x"), CookbookKey("3_1.ec_public_key.json").at("x"));
  EXPECT_EQ(ec_pub->at("y"), CookbookKey("3_1.ec_public_key.json").at("y"));

  absl::StatusOr<Jwk> mac = ParseJwk(CookbookKey("3_5.symmetric_key_mac_computation.json"));
  EXPECT_FALSE(PublicJwk(*mac).ok());
}

TEST(Jwk, RejectsMalformedMembers) {
  const char* bad[] = {
      R"({"kty":"oct"})",
      R"({"kty":"oct","k":""})",
      R"({"kty":"oct","k":"AAAA="})",
      R"({"kty":"oct","k":"AA AA"})",
      R"({"kty":"oct","k":42})",
      R"({"k":"AAAA"})",
      R"({"kty":"oct","k":"AAAA","alg":"none"})",
      R"({"kty":"oct","k":"AAAA","alg":"HS257"})",
      R"({"kty":"oct","k":"AAAA","use":"signature"})",
      R"({"kty":"oct","k":"AAAA","key_ops":"sign"})",
      R"({"kty":"oct","k":"AAAA","key_ops":["sign","sign"]})",
      R"({"kty":"oct","k":"AAAA","key_ops":["sign, verify"]})",
      R"({"kty":"oct","k":"AAAA","use":"enc","key_ops":["sign"]})",
      R"({"kty":"oct","k":"AAAA","alg":"HS256","use":"enc"})",
      R"({"kty":"oct","k":"AAAA","alg":"RS256"})",
      R"({"kty":"DSA","y":"AAAA"})",
      R"({"kty":"rsa","n":"AAAA","e":"AQAB"})",
      R"({"kty":"OKP","crv":"Ed448","x":"AAAA"})",
      R"({"kty":"OKP","crv":"Ed25519","x":"AAAA"})",
      R"({"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo","alg":"EdDSA"})",
      R"({"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo","use":"sig"})",
      R"({"kty":"EC","crv":"P-256K","x":"AAAA","y":"AAAA"})",
      R"({"kty":"kty"})",
  };
  for (const char* json : bad) EXPECT_FALSE(ParseJwk(Obj(json)).ok()) << json;
}

TEST(Jwk, X25519IsForEcdhOnly) {
  absl::StatusOr<Jwk> key = ParseJwk(Obj(R"({"kty":"OKP","crv":"X25519",
      "x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"})"));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(CheckKeyFitsAlgorithm(*key, Algorithm::kEcdhEs).ok());
  EXPECT_TRUE(CheckKeyFitsAlgorithm(*key, Algorithm::kEcdhEsA256KW).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(*key, Algorithm::kEdDSA).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(*key, Algorithm::kES256).ok());
}

bj::object Mutated(bj::object key, const char* member, const std::string& value) {
  key[member] = value;
  return key;
}

TEST(Jwk, EcValidation) {
  const bj::object pub = CookbookKey("3_1.ec_public_key.json");
  const bj::object priv = CookbookKey("3_2.ec_private_key.json");
  ASSERT_TRUE(ParseJwk(pub).ok());
  const std::string x = *DecodeBase64Url(std::string(pub.at("x").as_string()));
  const std::string y = *DecodeBase64Url(std::string(pub.at("y").as_string()));
  // Coordinates must have the curve's exact length (66 bytes for P-521).
  EXPECT_FALSE(ParseJwk(Mutated(pub, "x", EncodeBase64Url(x.substr(1)))).ok());
  EXPECT_FALSE(ParseJwk(Mutated(pub, "x", EncodeBase64Url(std::string(1, '\0') + x))).ok());
  // A point off the curve.
  std::string y2 = y;
  y2.back() ^= 1;
  EXPECT_FALSE(ParseJwk(Mutated(pub, "y", EncodeBase64Url(y2))).ok());
  // The wrong curve for these coordinates.
  EXPECT_FALSE(ParseJwk(Mutated(pub, "crv", "P-384")).ok());
  // A private scalar that does not match the point.
  std::string d = *DecodeBase64Url(std::string(priv.at("d").as_string()));
  d.back() ^= 1;
  EXPECT_FALSE(ParseJwk(Mutated(priv, "d", EncodeBase64Url(d))).ok());
  // d of the wrong length.
  EXPECT_FALSE(ParseJwk(Mutated(priv, "d", EncodeBase64Url(d.substr(1)))).ok());
  // The point at infinity / all-zero coordinates.
  EXPECT_FALSE(ParseJwk(Mutated(Mutated(pub, "x", EncodeBase64Url(std::string(66, '\0'))), "y",
                                EncodeBase64Url(std::string(66, '\0')))).ok());
}

TEST(Jwk, RsaValidation) {
  const bj::object pub = CookbookKey("3_3.rsa_public_key.json");
  const bj::object priv = CookbookKey("3_4.rsa_private_key.json");
  EXPECT_FALSE(ParseJwk(Mutated(pub, "e", "AQ")).ok());    // e = 1
  EXPECT_FALSE(ParseJwk(Mutated(pub, "e", "AQAA")).ok());  // e even
  EXPECT_FALSE(ParseJwk(Mutated(pub, "e", "")).ok());      // e = 0
  const std::string n = *DecodeBase64Url(std::string(pub.at("n").as_string()));
  std::string even_n = n;
  even_n.back() &= static_cast<char>(0xFE);
  EXPECT_FALSE(ParseJwk(Mutated(pub, "n", EncodeBase64Url(even_n))).ok());
  // Floors: a 2048-bit key is refused when 3072 bits are required.
  KeyImportOptions strict;
  strict.min_rsa_bits = 3072;
  EXPECT_FALSE(ParseJwk(pub, strict).ok());
  // Inconsistent private key: p altered.
  std::string p = *DecodeBase64Url(std::string(priv.at("p").as_string()));
  p.back() ^= 2;
  EXPECT_FALSE(ParseJwk(Mutated(priv, "p", EncodeBase64Url(p))).ok());
  // d altered, CRT members absent.
  bj::object d_only = priv;
  for (const char* m : {"p", "q", "dp", "dq", "qi"}) d_only.erase(m);
  EXPECT_TRUE(ParseJwk(d_only).ok());
  std::string d = *DecodeBase64Url(std::string(priv.at("d").as_string()));
  d.back() ^= 2;
  EXPECT_FALSE(ParseJwk(Mutated(d_only, "d", EncodeBase64Url(d))).ok());
  // Some but not all CRT members.
  bj::object partial = priv;
  partial.erase("qi");
  EXPECT_FALSE(ParseJwk(partial).ok());
  bj::object oth = priv;
  oth["oth"] = bj::array();
  EXPECT_FALSE(ParseJwk(oth).ok());
}

TEST(Jwk, PrivateAndSymmetricCanBeForbidden) {
  KeyImportOptions remote;
  remote.allow_private = false;
  remote.allow_symmetric = false;
  EXPECT_TRUE(ParseJwk(CookbookKey("3_3.rsa_public_key.json"), remote).ok());
  EXPECT_TRUE(ParseJwk(CookbookKey("3_1.ec_public_key.json"), remote).ok());
  EXPECT_FALSE(ParseJwk(CookbookKey("3_4.rsa_private_key.json"), remote).ok());
  EXPECT_FALSE(ParseJwk(CookbookKey("3_2.ec_private_key.json"), remote).ok());
  EXPECT_FALSE(ParseJwk(CookbookKey("3_5.symmetric_key_mac_computation.json"), remote).ok());
}

TEST(Jwk, KeySetRules) {
  const std::string rsa = bj::serialize(CookbookKey("3_3.rsa_public_key.json"));
  const std::string ec = bj::serialize(CookbookKey("3_1.ec_public_key.json"));
  const std::string ec_priv = bj::serialize(CookbookKey("3_2.ec_private_key.json"));
  // Both cookbook keys share a kid.
  EXPECT_FALSE(ParseJwkSet(Obj("{\"keys\":[" + rsa + "," + ec + "]}")).ok());
  bj::object ec_other = CookbookKey("3_1.ec_public_key.json");
  ec_other["kid"] = "other";
  absl::StatusOr<std::vector<Jwk>> set =
      ParseJwkSet(Obj("{\"keys\":[" + rsa + "," + bj::serialize(ec_other) + "]}"));
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->size(), 2u);
  // Mixing public and private keys.
  bj::object ec_priv_other = CookbookKey("3_2.ec_private_key.json");
  ec_priv_other["kid"] = "other";
  EXPECT_FALSE(ParseJwkSet(Obj("{\"keys\":[" + rsa + "," + bj::serialize(ec_priv_other) + "]}")).ok());
  EXPECT_FALSE(ParseJwkSet(Obj(R"({"keys":{}})")).ok());
  EXPECT_FALSE(ParseJwkSet(Obj(R"({"keys":[]})")).ok());
  EXPECT_FALSE(ParseJwkSet(Obj(R"({"keys":[1]})")).ok());
  EXPECT_FALSE(ParseJwkSet(Obj(R"({})")).ok());
  (void)ec_priv;
}

TEST(Jwk, KeyFitsAlgorithm) {
  absl::StatusOr<Jwk> rsa = ParseJwk(CookbookKey("3_3.rsa_public_key.json"));
  absl::StatusOr<Jwk> ec = ParseJwk(CookbookKey("3_1.ec_public_key.json"));
  absl::StatusOr<Jwk> mac = ParseJwk(CookbookKey("3_5.symmetric_key_mac_computation.json"));
  ASSERT_TRUE(rsa.ok() && ec.ok() && mac.ok());
  for (Algorithm a : {Algorithm::kRS256, Algorithm::kPS512, Algorithm::kRS512}) {
    EXPECT_TRUE(CheckKeyFitsAlgorithm(*rsa, a).ok());
  }
  // use "sig" excludes encryption.
  EXPECT_FALSE(CheckKeyFitsAlgorithm(*rsa, Algorithm::kRsaOaep).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(*rsa, Algorithm::kHS256).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(*rsa, Algorithm::kES256).ok());
  EXPECT_TRUE(CheckKeyFitsAlgorithm(*ec, Algorithm::kES512).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(*ec, Algorithm::kES256).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(*ec, Algorithm::kHS256).ok());
  EXPECT_TRUE(CheckKeyFitsAlgorithm(*mac, Algorithm::kHS256).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(*mac, Algorithm::kHS384).ok());  // alg is HS256

  // HMAC size rules: at least the hash size.
  auto oct = [](std::size_t n) {
    Jwk k;
    k.type = KeyType::kOct;
    k.secret = std::string(n, 'k');
    k.is_private = true;
    return k;
  };
  EXPECT_FALSE(CheckKeyFitsAlgorithm(oct(0), Algorithm::kHS256).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(oct(31), Algorithm::kHS256).ok());
  EXPECT_TRUE(CheckKeyFitsAlgorithm(oct(32), Algorithm::kHS256).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(oct(47), Algorithm::kHS384).ok());
  EXPECT_TRUE(CheckKeyFitsAlgorithm(oct(100), Algorithm::kHS512).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(oct(63), Algorithm::kHS512).ok());
  // AES: exact sizes.
  EXPECT_TRUE(CheckKeyFitsAlgorithm(oct(16), Algorithm::kA128KW).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(oct(17), Algorithm::kA128KW).ok());
  EXPECT_TRUE(CheckKeyFitsAlgorithm(oct(32), Algorithm::kA256GCMKW).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(oct(24), Algorithm::kA256GCMKW).ok());
  EXPECT_TRUE(CheckKeyFitsContentEncryption(oct(64), ContentEncryption::kA256CbcHs512).ok());
  EXPECT_FALSE(CheckKeyFitsContentEncryption(oct(32), ContentEncryption::kA256CbcHs512).ok());
  EXPECT_TRUE(CheckKeyFitsContentEncryption(oct(32), ContentEncryption::kA128CbcHs256).ok());
  EXPECT_FALSE(CheckKeyFitsContentEncryption(*ec, ContentEncryption::kA128GCM).ok());
}

TEST(Jwk, PemImport) {
  EVP_PKEY* rsa = EVP_RSA_gen(2048);
  ASSERT_NE(rsa, nullptr);
  absl::StatusOr<Jwk> pub = ParsePemKey(PemOf(rsa, false));
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_EQ(pub->type, KeyType::kRsa);
  EXPECT_FALSE(pub->is_private);
  absl::StatusOr<Jwk> priv = ParsePemKey(PemOf(rsa, true));
  ASSERT_TRUE(priv.ok()) << priv.status();
  EXPECT_TRUE(priv->is_private);
  EXPECT_EQ(*JwkThumbprint(*pub), *JwkThumbprint(*priv));
  KeyImportOptions no_private;
  no_private.allow_private = false;
  EXPECT_FALSE(ParsePemKey(PemOf(rsa, true), no_private).ok());
  EVP_PKEY_free(rsa);

  EVP_PKEY* small = EVP_RSA_gen(1024);
  ASSERT_NE(small, nullptr);
  EXPECT_FALSE(ParsePemKey(PemOf(small, false)).ok());
  EVP_PKEY_free(small);

  EVP_PKEY* ec = EVP_EC_gen("P-256");
  ASSERT_NE(ec, nullptr);
  absl::StatusOr<Jwk> ec_key = ParsePemKey(PemOf(ec, true));
  ASSERT_TRUE(ec_key.ok()) << ec_key.status();
  EXPECT_EQ(ec_key->crv, "P-256");
  absl::StatusOr<std::vector<Jwk>> material = ParseKeyMaterial("\n  " + PemOf(ec, false));
  ASSERT_TRUE(material.ok()) << material.status();
  EXPECT_EQ(material->size(), 1u);
  EVP_PKEY_free(ec);

  EVP_PKEY* secp256k1 = EVP_EC_gen("secp256k1");
  ASSERT_NE(secp256k1, nullptr);
  EXPECT_FALSE(ParsePemKey(PemOf(secp256k1, false)).ok());
  EVP_PKEY_free(secp256k1);

  EVP_PKEY* ed = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ASSERT_NE(ed, nullptr);
  absl::StatusOr<Jwk> ed_key = ParsePemKey(PemOf(ed, true));
  ASSERT_TRUE(ed_key.ok()) << ed_key.status();
  EXPECT_EQ(ed_key->crv, "Ed25519");
  EVP_PKEY_free(ed);

  EXPECT_FALSE(ParsePemKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").ok());
  EXPECT_FALSE(ParsePemKey("not a key").ok());
}

TEST(Jwk, KeyMaterialForms) {
  const std::string jwk = bj::serialize(CookbookKey("3_5.symmetric_key_mac_computation.json"));
  absl::StatusOr<std::vector<Jwk>> one = ParseKeyMaterial(jwk);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->size(), 1u);
  absl::StatusOr<std::vector<Jwk>> set = ParseKeyMaterial("{\"keys\":[" + jwk + "]}");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->size(), 1u);
  EXPECT_FALSE(ParseKeyMaterial("secret").ok());
  EXPECT_FALSE(ParseKeyMaterial("{\"kty\":\"oct\",\"k\":\"AAAA\",\"k\":\"BBBB\"}").ok());
  EXPECT_FALSE(ParseKeyMaterial("").ok());
}

TEST(Jwk, RocaKeyRejected) {
  // The key of Wycheproof's jws_rsa_roca_key group (json_web_key_test.json).
  bj::value file = LoadVectorJson("wycheproof/json_web_key_test.json");
  ASSERT_TRUE(file.is_object());
  int found = 0;
  for (const bj::value& group : file.at("testGroups").as_array()) {
    if (group.at("comment").as_string() != "jws_rsa_roca_key") continue;
    ++found;
    const bj::object& pub = group.at("public").as_object();
    const bj::object& key = pub.contains("keys") ? pub.at("keys").as_array()[0].as_object() : pub;
    absl::StatusOr<Jwk> parsed = ParseJwk(key);
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(std::string(parsed.status().message()).find("ROCA"), std::string::npos) << parsed.status();
  }
  EXPECT_EQ(found, 1);
  // Ordinary keys do not carry the fingerprint.
  EXPECT_TRUE(ParseJwk(CookbookKey("3_3.rsa_public_key.json")).ok());
  for (int i = 0; i < 3; ++i) {
    EVP_PKEY* rsa = EVP_RSA_gen(2048);
    ASSERT_NE(rsa, nullptr);
    EXPECT_TRUE(ParsePemKey(PemOf(rsa, false)).ok());
    EVP_PKEY_free(rsa);
  }
}

}  // namespace
}  // namespace tessera::identity::jose
