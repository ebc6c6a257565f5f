// JWS at the JOSE level: round trips for every signature algorithm, and the
// known attack classes against JWT/JWS verifiers.
#include "identity/jose/jws.h"
#include "support/test_keys.h"

#include <string>
#include <vector>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "identity/jose/base64url.h"
#include "identity/jose/jwk.h"
#include "identity/jose/key_set.h"
#include "identity/jose/strict_json.h"
#include "vectors.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

Jwk CookbookKey(const char* file) {
  bj::value v = LoadVectorJson(std::string("jose-cookbook/jwk/") + file);
  absl::StatusOr<Jwk> k = ParseJwk(v.is_object() ? v.as_object() : bj::object());
  EXPECT_TRUE(k.ok()) << k.status();
  return k.value_or(Jwk());
}

Jwk Secret(std::string bytes) { return SecretJwk(bytes); }

std::string Pem(EVP_PKEY* key, bool private_key) { return ::tessera::testing::PemText(key, private_key); }

Jwk GeneratedEc(const char* curve) {
  EVP_PKEY* raw = EVP_EC_gen(curve);
  absl::StatusOr<Jwk> k = ParsePemKey(Pem(raw, true));
  EVP_PKEY_free(raw);
  EXPECT_TRUE(k.ok()) << k.status();
  return k.value_or(Jwk());
}

Jwk Ed25519Key() {
  absl::StatusOr<bj::object> o = ParseStrictJsonObject(R"({"kty":"OKP","crv":"Ed25519",
      "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
  absl::StatusOr<Jwk> k = ParseJwk(*o);
  EXPECT_TRUE(k.ok()) << k.status();
  return k.value_or(Jwk());
}

Jwk PublicOf(const Jwk& key) {
  absl::StatusOr<Jwk> k = ParseJwk(*PublicJwk(key));
  EXPECT_TRUE(k.ok()) << k.status();
  return k.value_or(Jwk());
}

std::string B64(std::string_view s) { return EncodeBase64Url(s); }

// A token whose header is exactly `header_json`, MACed correctly with `key`,
// so that only the header rules can make it fail.
std::string MacedToken(const std::string& header_json, const Jwk& key, const std::string& payload = "{}",
                       Algorithm alg = Algorithm::kHS256) {
  std::string input = B64(header_json) + "." + B64(payload);
  absl::StatusOr<std::string> sig = ComputeSignature(alg, key, input);
  EXPECT_TRUE(sig.ok()) << sig.status();
  return input + "." + B64(sig.value_or("x"));
}

class JwsTest : public ::testing::Test {
 protected:
  const Jwk hmac_ = Secret(std::string("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
};

TEST_F(JwsTest, RoundTripEveryAlgorithm) {
  const Jwk rsa = CookbookKey("3_4.rsa_private_key.json");
  struct Case {
    Algorithm alg;
    Jwk key;
    std::size_t sig_bytes;
  };
  const std::vector<Case> cases = {
      {Algorithm::kHS256, hmac_, 32},        {Algorithm::kHS384, hmac_, 48},
      {Algorithm::kHS512, hmac_, 64},        {Algorithm::kRS256, rsa, 256},
      {Algorithm::kRS384, rsa, 256},         {Algorithm::kRS512, rsa, 256},
      {Algorithm::kPS256, rsa, 256},         {Algorithm::kPS384, rsa, 256},
      {Algorithm::kPS512, rsa, 256},         {Algorithm::kES256, GeneratedEc("P-256"), 64},
      {Algorithm::kES384, GeneratedEc("P-384"), 96}, {Algorithm::kES512, CookbookKey("3_2.ec_private_key.json"), 132},
      {Algorithm::kEdDSA, Ed25519Key(), 64},
  };
  const std::string payload("binary\0payload\xff", 15);
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(AlgorithmName(c.alg)));
    bj::object extra;
    extra["kid"] = "k1";
    extra["typ"] = "JWT";
    absl::StatusOr<std::string> token = SignCompactJws(c.alg, c.key, extra, payload);
    ASSERT_TRUE(token.ok()) << token.status();
    const Jwk verifier = c.key.type == KeyType::kOct ? c.key : PublicOf(c.key);
    absl::StatusOr<CompactJws> jws = VerifyCompactJws(*token, c.alg, verifier);
    ASSERT_TRUE(jws.ok()) << jws.status();
    EXPECT_EQ(jws->payload, payload);
    EXPECT_EQ(jws->signature.size(), c.sig_bytes);
    EXPECT_EQ(jws->alg, c.alg);
    EXPECT_EQ(jws->header.at("kid").as_string(), "k1");
    EXPECT_EQ(std::string(jws->signing_input), token->substr(0, token->rfind('.')));
    // The header's alg must equal the bound algorithm.
    for (Algorithm other : {Algorithm::kHS256, Algorithm::kRS256, Algorithm::kES256, Algorithm::kEdDSA}) {
      if (other != c.alg) {
        EXPECT_FALSE(VerifyCompactJws(*token, other, verifier).ok());
      }
    }
    // Any flipped bit in the signature fails.
    std::string sig = jws->signature;
    sig[sig.size() / 2] ^= 0x01;
    const std::string tampered = token->substr(0, token->rfind('.') + 1) + B64(sig);
    EXPECT_FALSE(VerifyCompactJws(tampered, c.alg, verifier).ok());
  }
}

TEST_F(JwsTest, SigningNeedsPrivateKeyAndConsistentHeader) {
  const Jwk rsa_public = CookbookKey("3_3.rsa_public_key.json");
  EXPECT_FALSE(SignCompactJws(Algorithm::kRS256, rsa_public, {}, "x").ok());
  bj::object extra;
  extra["alg"] = "none";
  EXPECT_FALSE(SignCompactJws(Algorithm::kHS256, hmac_, extra, "x").ok());
  EXPECT_FALSE(SignCompactJws(Algorithm::kA128KW, hmac_, {}, "x").ok());
  EXPECT_FALSE(SignCompactJwsWithHeader(Algorithm::kHS256, hmac_, B64(R"({"alg":"HS512"})"), "x").ok());
  EXPECT_FALSE(SignCompactJwsWithHeader(Algorithm::kHS256, hmac_, B64(R"({"alg":"HS256","alg":"HS256"})"), "x").ok());
}

TEST_F(JwsTest, AlgNoneInEverySpellingIsRefused) {
  for (const char* spelling : {"none", "None", "NONE", "nOnE", "nonE", " none", "none "}) {
    SCOPED_TRACE(spelling);
    const std::string header = std::string("{\"alg\":\"") + spelling + "\"}";
    // Unsigned (empty signature), and with a MAC that would otherwise verify.
    EXPECT_FALSE(ParseCompactJws(B64(header) + "." + B64("{}") + ".").ok());
    const std::string maced = MacedToken(header, hmac_);
    EXPECT_FALSE(ParseCompactJws(maced).ok());
    EXPECT_FALSE(VerifyCompactJws(maced, Algorithm::kHS256, hmac_).ok());
    EXPECT_FALSE(AlgorithmFromName(spelling).has_value());
  }
}

TEST_F(JwsTest, RsaPublicKeyAsHmacSecretFails) {
  // The classic key-confusion attack: the attacker HMACs with the bytes of
  // the server's RSA public key in every serialisation a library might use.
  const Jwk rsa = CookbookKey("3_3.rsa_public_key.json");
  EVP_PKEY* pkey = rsa.pkey.get();
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(pkey, &der);
  ASSERT_GT(der_len, 0);
  const std::string der_bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(der_len));
  OPENSSL_free(der);
  bj::value jwk_json = LoadVectorJson("jose-cookbook/jwk/3_3.rsa_public_key.json");
  const std::string modulus = *DecodeBase64Url(std::string(jwk_json.at("n").as_string()));
  const std::vector<std::string> secrets = {Pem(pkey, false), der_bytes, bj::serialize(jwk_json),
                                            bj::serialize(*PublicJwk(rsa)), modulus, B64(modulus)};
  const Algorithm allowed[] = {Algorithm::kRS256};
  const std::vector<Jwk> configured = {rsa};
  absl::StatusOr<std::vector<BoundKey>> bound = BindSigningKeys(configured, allowed);
  ASSERT_TRUE(bound.ok());
  for (const std::string& secret : secrets) {
    for (Algorithm hs : {Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512}) {
      absl::StatusOr<std::string> forged = SignCompactJws(hs, Secret(secret), {}, R"({"sub":"admin"})");
      ASSERT_TRUE(forged.ok());
      EXPECT_FALSE(VerifyCompactJws(*forged, Algorithm::kRS256, rsa).ok());
      EXPECT_FALSE(VerifyCompactJws(*forged, hs, rsa).ok());  // an RSA key never fits HS*
      EXPECT_FALSE(CheckKeyFitsAlgorithm(rsa, hs).ok());
      EXPECT_TRUE(CandidateKeys(*bound, hs, "").empty());
    }
  }
}

TEST_F(JwsTest, EcPublicKeyAsHmacSecretFails) {
  const Jwk ec = CookbookKey("3_1.ec_public_key.json");
  bj::value jwk_json = LoadVectorJson("jose-cookbook/jwk/3_1.ec_public_key.json");
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(ec.pkey.get(), &der);
  ASSERT_GT(der_len, 0);
  const std::string der_bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(der_len));
  OPENSSL_free(der);
  for (const std::string& secret : {Pem(ec.pkey.get(), false), der_bytes, bj::serialize(jwk_json)}) {
    absl::StatusOr<std::string> forged = SignCompactJws(Algorithm::kHS256, Secret(secret), {}, "{}");
    ASSERT_TRUE(forged.ok());
    EXPECT_FALSE(VerifyCompactJws(*forged, Algorithm::kES512, ec).ok());
    EXPECT_FALSE(VerifyCompactJws(*forged, Algorithm::kHS256, ec).ok());
  }
}

TEST_F(JwsTest, WeakHmacKeysAreRefused) {
  EXPECT_FALSE(CheckKeyFitsAlgorithm(Secret(""), Algorithm::kHS256).ok());
  // All-zero keys are refused when short; a full-length all-zero key is not
  // refused at this level (Wycheproof's "base64" group verifies with one).
  EXPECT_FALSE(CheckKeyFitsAlgorithm(Secret(std::string(16, '\0')), Algorithm::kHS256).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(Secret(std::string(32, '\0')), Algorithm::kHS512).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(Secret(std::string(1, '\0')), Algorithm::kHS256).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(Secret("short"), Algorithm::kHS256).ok());
  EXPECT_FALSE(CheckKeyFitsAlgorithm(Secret(std::string(40, 'k')), Algorithm::kHS384).ok());
  const std::string token = MacedToken(R"({"alg":"HS256"})", hmac_);
  EXPECT_FALSE(VerifyCompactJws(token, Algorithm::kHS256, Secret("")).ok());
  EXPECT_FALSE(VerifyCompactJws(token, Algorithm::kHS256, Secret(std::string(31, '\0'))).ok());
  EXPECT_FALSE(SignCompactJws(Algorithm::kHS256, Secret(""), {}, "{}").ok());
  EXPECT_FALSE(SignCompactJws(Algorithm::kHS256, Secret(std::string(31, '\0')), {}, "{}").ok());
  // A truncated MAC never verifies.
  const std::string full_sig = *DecodeBase64Url(token.substr(token.rfind('.') + 1));
  const std::string prefix = token.substr(0, token.rfind('.') + 1);
  EXPECT_TRUE(VerifyCompactJws(token, Algorithm::kHS256, hmac_).ok());
  for (std::size_t len : {1u, 16u, 31u}) {
    EXPECT_FALSE(VerifyCompactJws(prefix + B64(full_sig.substr(0, len)), Algorithm::kHS256, hmac_).ok());
  }
  EXPECT_FALSE(VerifyCompactJws(prefix + B64(full_sig + "x"), Algorithm::kHS256, hmac_).ok());
}

TEST_F(JwsTest, PsychicEcdsaSignaturesAreRefused) {
  // CVE-2022-21449: r = s = 0 must never verify; nor may r or s >= n.
  const Jwk key = GeneratedEc("P-256");
  const Jwk pub = PublicOf(key);
  const std::string header = B64(R"({"alg":"ES256"})") + "." + B64("{}");
  // n of P-256.
  const std::string n = std::string(
      "\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"
      "\xbc\xe6\xfa\xad\xa7\x17\x9e\x84\xf3\xb9\xca\xc2\xfc\x63\x25\x51", 32);
  const std::string zero(32, '\0');
  std::string one(32, '\0');
  one[31] = 1;
  const std::string all_ff(32, '\xff');
  for (const std::string& sig : {zero + zero, n + n, zero + one, one + zero, n + one, one + n, all_ff + one,
                                 one + all_ff}) {
    EXPECT_FALSE(VerifyCompactJws(header + "." + B64(sig), Algorithm::kES256, pub).ok());
    EXPECT_FALSE(VerifySignature(Algorithm::kES256, pub, header, sig).ok());
  }
}

TEST_F(JwsTest, DerEcdsaSignatureIsRefused) {
  const Jwk key = GeneratedEc("P-256");
  absl::StatusOr<std::string> token = SignCompactJws(Algorithm::kES256, key, {}, "{}");
  ASSERT_TRUE(token.ok());
  const std::string input = token->substr(0, token->rfind('.'));
  // The same input signed by OpenSSL directly yields DER (ASN.1 SEQUENCE of r, s).
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key.pkey.get()), 1);
  std::size_t len = 0;
  ASSERT_EQ(EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()), 1);
  std::string der(len, '\0');
  ASSERT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()), 1);
  der.resize(len);
  EVP_MD_CTX_free(ctx);
  ASSERT_EQ(der[0], '\x30');
  absl::Status status = VerifySignature(Algorithm::kES256, key, input, der);
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(VerifyCompactJws(input + "." + B64(der), Algorithm::kES256, key).ok());
  // DER padded or truncated to 64 bytes does not sneak through either.
  std::string fixed = der;
  fixed.resize(64, '\0');
  EXPECT_FALSE(VerifySignature(Algorithm::kES256, key, input, fixed).ok());
  // The P1363 form verifies.
  EXPECT_TRUE(VerifyCompactJws(*token, Algorithm::kES256, key).ok());
}

TEST_F(JwsTest, RsaSignatureMustHaveModulusLength) {
  const Jwk rsa = CookbookKey("3_4.rsa_private_key.json");
  absl::StatusOr<std::string> token = SignCompactJws(Algorithm::kRS256, rsa, {}, "{}");
  ASSERT_TRUE(token.ok());
  const std::string prefix = token->substr(0, token->rfind('.') + 1);
  const std::string sig = *DecodeBase64Url(token->substr(token->rfind('.') + 1));
  EXPECT_FALSE(VerifyCompactJws(prefix + B64(std::string(1, '\0') + sig), Algorithm::kRS256, rsa).ok());
  EXPECT_FALSE(VerifyCompactJws(prefix + B64(sig.substr(1)), Algorithm::kRS256, rsa).ok());
}

TEST_F(JwsTest, SegmentStructure) {
  const std::string token = MacedToken(R"({"alg":"HS256"})", hmac_);
  ASSERT_TRUE(VerifyCompactJws(token, Algorithm::kHS256, hmac_).ok());
  const std::size_t d1 = token.find('.');
  const std::size_t d2 = token.rfind('.');
  const std::string h = token.substr(0, d1);
  const std::string p = token.substr(d1 + 1, d2 - d1 - 1);
  const std::string s = token.substr(d2 + 1);
  for (const std::string& bad : {
           std::string(), std::string("."), std::string(".."), std::string("..."), h, h + "." + p,
           h + "." + p + ".", "." + p + "." + s, h + ".." + s + "x", h + "." + p + "." + s + ".",
           h + "." + p + "." + s + "." + s, h + "." + p + "." + s + "..", "." + token, token + ".",
           s.substr(0, s.size() - 1) /* truncated signature */,
       }) {
    EXPECT_FALSE(VerifyCompactJws(bad, Algorithm::kHS256, hmac_).ok()) << "'" << bad << "'";
  }
  EXPECT_FALSE(VerifyCompactJws(h + "." + p + "." + s.substr(0, s.size() - 2), Algorithm::kHS256, hmac_).ok());
}

TEST_F(JwsTest, PaddingAndStrayCharactersInEachSegment) {
  const std::string token = MacedToken(R"({"alg":"HS256","kid":"k"})", hmac_, "{\"a\":1}");
  const std::size_t d1 = token.find('.');
  const std::size_t d2 = token.rfind('.');
  const std::string seg[3] = {token.substr(0, d1), token.substr(d1 + 1, d2 - d1 - 1), token.substr(d2 + 1)};
  auto join = [](const std::string& a, const std::string& b, const std::string& c) { return a + "." + b + "." + c; };
  for (int i = 0; i < 3; ++i) {
    for (const std::string& junk : {std::string("="), std::string("=="), std::string(" "), std::string("\n"),
                                    std::string("+"), std::string("/"), std::string("\t"), std::string("\r\n"),
                                    std::string(1, '\0'), std::string("%3D")}) {
      for (bool prepend : {false, true}) {
        std::string s[3] = {seg[0], seg[1], seg[2]};
        s[i] = prepend ? junk + s[i] : s[i] + junk;
        EXPECT_FALSE(VerifyCompactJws(join(s[0], s[1], s[2]), Algorithm::kHS256, hmac_).ok())
            << "segment " << i << " junk " << static_cast<int>(junk[0]) << (prepend ? " before" : " after");
      }
      // In the middle too.
      std::string s[3] = {seg[0], seg[1], seg[2]};
      s[i].insert(s[i].size() / 2, junk);
      EXPECT_FALSE(VerifyCompactJws(join(s[0], s[1], s[2]), Algorithm::kHS256, hmac_).ok());
    }
    // Standard-alphabet characters substituted for their URL-safe twins.
    std::string s[3] = {seg[0], seg[1], seg[2]};
    for (char& c : s[i]) {
      if (c == '-') c = '+';
      if (c == '_') c = '/';
    }
    if (s[i] != seg[i]) {
      EXPECT_FALSE(VerifyCompactJws(join(s[0], s[1], s[2]), Algorithm::kHS256, hmac_).ok());
    }
  }
}

TEST_F(JwsTest, HeaderMustBeStrictJsonObject) {
  const char* bad_headers[] = {
      R"({"alg":"HS256","alg":"none"})",
      R"({"alg":"none","alg":"HS256"})",
      R"({"alg":"HS256","kid":"a","kid":"b"})",
      R"({"alg":"HS256","x":{"y":1,"y":2}})",
      R"({"alg":"HS256","\u0061lg":"HS256"})",
      R"(["alg","HS256"])",
      R"("HS256")",
      "null",
      "1",
      "",
      "{\"alg\":\"HS256\",\"kid\":\"\xff\"}",
      "{\"alg\":\"HS256\",\"kid\":\"\xc3\x28\"}",
      R"({"alg":"HS256","kid":"\ud800"})",
      R"({"alg":"HS256"} )" "x",
      R"({"alg":"HS256",})",
      R"({"alg":256})",
      R"({"alg":null})",
      R"({"alg":["HS256"]})",
      R"({"kid":"k"})",
      R"({"alg":"HS256","b64":false})",
      R"({"alg":"RSA-OAEP"})",
      R"({"alg":"dir"})",
  };
  for (const char* header : bad_headers) {
    EXPECT_FALSE(VerifyCompactJws(MacedToken(header, hmac_), Algorithm::kHS256, hmac_).ok()) << header;
  }
  // Deep nesting within the header is bounded.
  std::string deep = R"({"alg":"HS256","x":)";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  deep += "}";
  EXPECT_FALSE(VerifyCompactJws(MacedToken(deep, hmac_), Algorithm::kHS256, hmac_).ok());
  // Whitespace in the JSON itself is fine (the signature covers the bytes).
  EXPECT_TRUE(VerifyCompactJws(MacedToken("{ \"alg\" : \"HS256\" }", hmac_), Algorithm::kHS256, hmac_).ok());
}

TEST_F(JwsTest, CriticalHeaderRules) {
  const char* bad[] = {
      R"({"alg":"HS256","crit":["exp"],"exp":1})",             // not understood
      R"({"alg":"HS256","crit":["b64"],"b64":true})",          // RFC 7797 not supported
      R"({"alg":"HS256","crit":[]})",                          // empty
      R"({"alg":"HS256","crit":["x","x"],"x":1})",             // duplicate
      R"({"alg":"HS256","crit":["alg"]})",                     // registered name
      R"({"alg":"HS256","crit":["kid"],"kid":"k"})",           // registered name
      R"({"alg":"HS256","crit":["enc"],"enc":"A128GCM"})",     // registered (RFC 7516)
      R"({"alg":"HS256","crit":["absent"]})",                  // not in the header
      R"({"alg":"HS256","crit":"x","x":1})",                   // not an array
      R"({"alg":"HS256","crit":[1]})",                         // not a string
      R"({"alg":"HS256","crit":[""],"":1})",                   // empty name
      R"({"alg":"HS256","crit":null})",
  };
  for (const char* header : bad) {
    EXPECT_FALSE(VerifyCompactJws(MacedToken(header, hmac_), Algorithm::kHS256, hmac_).ok()) << header;
    absl::StatusOr<bj::object> parsed = ParseStrictJsonObject(header);
    ASSERT_TRUE(parsed.ok());
    EXPECT_FALSE(CheckCriticalHeader(*parsed).ok()) << header;
  }
  EXPECT_TRUE(CheckCriticalHeader(*ParseStrictJsonObject(R"({"alg":"HS256"})")).ok());
}

TEST_F(JwsTest, OversizedTokenRejectedBeforeDecoding) {
  const std::string token = MacedToken(R"({"alg":"HS256"})", hmac_);
  EXPECT_TRUE(VerifyCompactJws(token, Algorithm::kHS256, hmac_, token.size()).ok());
  absl::StatusOr<CompactJws> small = ParseCompactJws(token, token.size() - 1);
  ASSERT_FALSE(small.ok());
  EXPECT_NE(std::string(small.status().message()).find("limit"), std::string::npos) << small.status();
  // Garbage over the cap is refused for its size, not its content.
  const std::string huge(kDefaultMaxTokenBytes + 1, '!');
  absl::StatusOr<CompactJws> big = ParseCompactJws(huge);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(std::string(big.status().message()).find("limit"), std::string::npos) << big.status();
  // A well-formed token over the default cap.
  absl::StatusOr<std::string> long_token =
      SignCompactJws(Algorithm::kHS256, hmac_, {}, std::string(kDefaultMaxTokenBytes, 'a'));
  ASSERT_TRUE(long_token.ok());
  EXPECT_FALSE(VerifyCompactJws(*long_token, Algorithm::kHS256, hmac_).ok());
  EXPECT_TRUE(VerifyCompactJws(*long_token, Algorithm::kHS256, hmac_, long_token->size()).ok());
}

TEST_F(JwsTest, ParseExposesPartsAndArbitraryPayload) {
  const std::string token = MacedToken(R"({"alg":"HS256","typ":"JWT"})", hmac_, "not json at all");
  absl::StatusOr<CompactJws> jws = ParseCompactJws(token);
  ASSERT_TRUE(jws.ok()) << jws.status();
  EXPECT_EQ(jws->alg, Algorithm::kHS256);
  EXPECT_EQ(jws->payload, "not json at all");
  EXPECT_EQ(std::string(jws->header_b64), B64(R"({"alg":"HS256","typ":"JWT"})"));
  EXPECT_EQ(std::string(jws->payload_b64), B64("not json at all"));
  EXPECT_EQ(jws->signature.size(), 32u);
  EXPECT_TRUE(VerifySignature(Algorithm::kHS256, hmac_, jws->signing_input, jws->signature).ok());
  // Empty payload is allowed (RFC 7515 permits it); the JWT layer decides.
  EXPECT_TRUE(VerifyCompactJws(MacedToken(R"({"alg":"HS256"})", hmac_, ""), Algorithm::kHS256, hmac_).ok());
}

TEST_F(JwsTest, JsonSerializationRules) {
  const std::string protected_b64 = B64(R"({"alg":"HS256"})");
  const std::string payload_b64 = B64("hello");
  const std::string sig = B64(*ComputeSignature(Algorithm::kHS256, hmac_, protected_b64 + "." + payload_b64));
  const std::string flat = R"({"payload":")" + payload_b64 + R"(","protected":")" + protected_b64 +
                           R"(","signature":")" + sig + R"("})";
  absl::StatusOr<std::string> payload = VerifyJsonJws(flat, Algorithm::kHS256, hmac_);
  ASSERT_TRUE(payload.ok()) << payload.status();
  EXPECT_EQ(*payload, "hello");
  const std::string general = R"({"payload":")" + payload_b64 + R"(","signatures":[{"protected":")" +
                              protected_b64 + R"(","signature":")" + sig + R"("}]})";
  EXPECT_TRUE(VerifyJsonJws(general, Algorithm::kHS256, hmac_).ok());
  EXPECT_FALSE(VerifyJsonJws(general, Algorithm::kHS384, hmac_).ok());
  // Header parameter in both protected and unprotected header.
  const std::string both = R"({"payload":")" + payload_b64 + R"(","protected":")" + protected_b64 +
                           R"(","header":{"alg":"HS256"},"signature":")" + sig + R"("})";
  EXPECT_FALSE(VerifyJsonJws(both, Algorithm::kHS256, hmac_).ok());
  // crit only in the protected header.
  const std::string crit = R"({"payload":")" + payload_b64 + R"(","protected":")" + protected_b64 +
                           R"(","header":{"crit":["x"],"x":1},"signature":")" + sig + R"("})";
  EXPECT_FALSE(VerifyJsonJws(crit, Algorithm::kHS256, hmac_).ok());
  // Duplicate members anywhere.
  const std::string dup = R"({"payload":")" + payload_b64 + R"(","payload":")" + payload_b64 +
                          R"(","protected":")" + protected_b64 + R"(","signature":")" + sig + R"("})";
  EXPECT_FALSE(VerifyJsonJws(dup, Algorithm::kHS256, hmac_).ok());
  // Detached (no payload), mixed forms, empty signatures.
  EXPECT_FALSE(VerifyJsonJws(R"({"protected":")" + protected_b64 + R"(","signature":")" + sig + R"("})",
                             Algorithm::kHS256, hmac_).ok());
  EXPECT_FALSE(VerifyJsonJws(R"({"payload":")" + payload_b64 + R"(","signatures":[]})", Algorithm::kHS256, hmac_).ok());
  EXPECT_FALSE(VerifyJsonJws(R"({"payload":")" + payload_b64 + R"(","signature":")" + sig +
                                 R"(","signatures":[{"protected":")" + protected_b64 + R"(","signature":")" + sig + R"("}]})",
                             Algorithm::kHS256, hmac_).ok());
  // A compact token is not JSON, and JSON is not a compact token.
  EXPECT_FALSE(ParseCompactJws(flat).ok());
  EXPECT_FALSE(VerifyJsonJws(protected_b64 + "." + payload_b64 + "." + sig, Algorithm::kHS256, hmac_).ok());
}

}  // namespace
}  // namespace tessera::identity::jose
