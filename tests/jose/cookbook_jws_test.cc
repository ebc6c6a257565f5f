// RFC 7520 (JOSE cookbook, ietf-jose/cookbook) JWS examples §4.1–4.8, the
// RFC 7520 §3 keys, and the RFC 8037 Ed25519 example (curve25519/jws.json).
// Every compact/JSON/flattened output verifies; reproducible examples (RSA
// v1.5, HMAC, Ed25519) are re-signed and compared byte for byte; the others
// (RSA-PSS, ECDSA) are verified and round-tripped through signing.
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "identity/jose/base64url.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
#include "vectors.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

struct Example {
  std::string file;
  bj::object doc;
  std::vector<Jwk> keys;
  std::vector<Algorithm> algs;
  std::string payload;
  bool reproducible = false;
  bool detached = false;
};

Example Load(const std::string& file) {
  Example ex;
  ex.file = file;
  bj::value v = LoadVectorJson(file);
  if (!v.is_object()) return ex;
  ex.doc = v.as_object();
  const bj::object& input = ex.doc.at("input").as_object();
  ex.payload = std::string(input.at("payload").as_string());
  const bj::value& key = input.at("key");
  const bj::value& alg = input.at("alg");
  std::vector<const bj::value*> key_values;
  std::vector<const bj::value*> alg_values;
  if (key.is_array()) {
    for (const bj::value& k : key.as_array()) key_values.push_back(&k);
    for (const bj::value& a : alg.as_array()) alg_values.push_back(&a);
  } else {
    key_values.push_back(&key);
    alg_values.push_back(&alg);
  }
  EXPECT_EQ(key_values.size(), alg_values.size()) << file;
  for (std::size_t i = 0; i < key_values.size() && i < alg_values.size(); ++i) {
    absl::StatusOr<Jwk> jwk = ParseJwk(key_values[i]->as_object());
    EXPECT_TRUE(jwk.ok()) << file << ": " << jwk.status();
    if (!jwk.ok()) continue;
    ex.keys.push_back(*jwk);
    std::optional<Algorithm> a = AlgorithmFromName(std::string(alg_values[i]->as_string()));
    EXPECT_TRUE(a.has_value()) << file;
    ex.algs.push_back(a.value_or(Algorithm::kHS256));
  }
  const bj::value* r = ex.doc.if_contains("reproducible");
  ex.reproducible = r != nullptr && r->is_bool() && r->as_bool();
  ex.detached = file.find("detached") != std::string::npos;
  return ex;
}

// The key as a verifier would hold it: public half only (secrets stay secrets).
Jwk VerificationKey(const Jwk& key) {
  if (key.type == KeyType::kOct) return key;
  absl::StatusOr<bj::object> pub = PublicJwk(key);
  EXPECT_TRUE(pub.ok()) << pub.status();
  absl::StatusOr<Jwk> parsed = ParseJwk(pub.value_or(bj::object()));
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.value_or(key);
}

// RFC 7520 §4.5: the detached example omits the payload; a verifier that has
// the content puts it back before verifying.
std::string Reattach(const std::string& compact, const std::string& payload) {
  const std::size_t dot = compact.find('.');
  const std::size_t dot2 = compact.find('.', dot + 1);
  return compact.substr(0, dot + 1) + EncodeBase64Url(payload) + compact.substr(dot2);
}

void CheckExample(const std::string& file) {
  SCOPED_TRACE(file);
  const Example ex = Load(file);
  ASSERT_FALSE(ex.keys.empty());
  const bj::object& output = ex.doc.at("output").as_object();
  int checks = 0;

  if (const bj::value* compact = output.if_contains("compact")) {
    ASSERT_EQ(ex.keys.size(), 1u);
    std::string token(compact->as_string());
    if (ex.detached) {
      // As published (no payload) it does not verify; with the content it does.
      EXPECT_FALSE(VerifyCompactJws(token, ex.algs[0], VerificationKey(ex.keys[0])).ok());
      token = Reattach(token, ex.payload);
    }
    absl::StatusOr<CompactJws> verified = VerifyCompactJws(token, ex.algs[0], VerificationKey(ex.keys[0]));
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_EQ(verified->payload, ex.payload);
    ++checks;
    if (ex.reproducible) {
      const std::string header_b64(ex.doc.at("signing").at("protected_b64u").as_string());
      absl::StatusOr<std::string> signed_token =
          SignCompactJwsWithHeader(ex.algs[0], ex.keys[0], header_b64, ex.payload);
      ASSERT_TRUE(signed_token.ok()) << signed_token.status();
      EXPECT_EQ(*signed_token, token);
      ++checks;
    }
  }
  for (const char* form : {"json", "json_flat"}) {
    const bj::value* json = output.if_contains(form);
    if (json == nullptr) continue;
    bj::object serialized = json->as_object();
    if (ex.detached) serialized["payload"] = EncodeBase64Url(ex.payload);
    // Each signer's signature verifies with that signer's (alg, key).
    for (std::size_t i = 0; i < ex.keys.size(); ++i) {
      absl::StatusOr<std::string> payload =
          VerifyJsonJws(bj::serialize(serialized), ex.algs[i], VerificationKey(ex.keys[i]));
      ASSERT_TRUE(payload.ok()) << form << " signer " << i << ": " << payload.status();
      EXPECT_EQ(*payload, ex.payload);
      ++checks;
    }
  }
  // Reproducible JSON-only examples (§4.6, §4.7): recompute the signature over
  // the published signing input.
  const bj::value& signing = ex.doc.at("signing");
  if (ex.reproducible && signing.is_object() && !output.contains("compact")) {
    absl::StatusOr<std::string> sig =
        ComputeSignature(ex.algs[0], ex.keys[0], std::string(signing.at("sig-input").as_string()));
    ASSERT_TRUE(sig.ok()) << sig.status();
    EXPECT_EQ(EncodeBase64Url(*sig), std::string(signing.at("sig").as_string()));
    ++checks;
  }
  // Every example's keys sign, and what they sign verifies (the only check
  // possible for the randomized RSA-PSS and ECDSA examples).
  for (std::size_t i = 0; i < ex.keys.size(); ++i) {
    bj::object extra;
    if (!ex.keys[i].kid.empty()) extra["kid"] = ex.keys[i].kid;
    absl::StatusOr<std::string> token = SignCompactJws(ex.algs[i], ex.keys[i], extra, ex.payload);
    ASSERT_TRUE(token.ok()) << token.status();
    absl::StatusOr<CompactJws> back = VerifyCompactJws(*token, ex.algs[i], VerificationKey(ex.keys[i]));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->payload, ex.payload);
    ++checks;
  }
  EXPECT_GT(checks, 1);
}

TEST(CookbookJws, RsaV15Signature) { CheckExample("jose-cookbook/jws/4_1.rsa_v15_signature.json"); }
TEST(CookbookJws, RsaPssSignature) { CheckExample("jose-cookbook/jws/4_2.rsa-pss_signature.json"); }
TEST(CookbookJws, EcdsaSignature) { CheckExample("jose-cookbook/jws/4_3.ecdsa_signature.json"); }
TEST(CookbookJws, HmacIntegrityProtection) {
  CheckExample("jose-cookbook/jws/4_4.hmac-sha2_integrity_protection.json");
}
TEST(CookbookJws, DetachedContent) { CheckExample("jose-cookbook/jws/4_5.signature_with_detached_content.json"); }
TEST(CookbookJws, ProtectingSpecificHeaderFields) {
  CheckExample("jose-cookbook/jws/4_6.protecting_specific_header_fields.json");
}
TEST(CookbookJws, ProtectingContentOnly) { CheckExample("jose-cookbook/jws/4_7.protecting_content_only.json"); }
TEST(CookbookJws, MultipleSignatures) { CheckExample("jose-cookbook/jws/4_8.multiple_signatures.json"); }
TEST(CookbookJws, Ed25519Rfc8037) { CheckExample("jose-cookbook/curve25519/jws.json"); }

TEST(CookbookJws, TamperedExamplesFail) {
  const Example ex = Load("jose-cookbook/jws/4_3.ecdsa_signature.json");
  ASSERT_EQ(ex.keys.size(), 1u);
  std::string token(ex.doc.at("output").at("compact").as_string());
  ASSERT_TRUE(VerifyCompactJws(token, Algorithm::kES512, ex.keys[0]).ok());
  // Another algorithm than the one the key is used with.
  EXPECT_FALSE(VerifyCompactJws(token, Algorithm::kES256, ex.keys[0]).ok());
  // A flipped bit in the signature.
  std::string sig = *DecodeBase64Url(token.substr(token.rfind('.') + 1));
  sig[10] ^= 1;
  const std::string tampered = token.substr(0, token.rfind('.') + 1) + EncodeBase64Url(sig);
  EXPECT_FALSE(VerifyCompactJws(tampered, Algorithm::kES512, ex.keys[0]).ok());
  // The JSON form with the payload altered.
  bj::object json = ex.doc.at("output").at("json").as_object();
  json["payload"] = EncodeBase64Url(ex.payload + ".");
  EXPECT_FALSE(VerifyJsonJws(bj::serialize(json), Algorithm::kES512, ex.keys[0]).ok());
}

TEST(CookbookJwk, AllKeysImportAndExport) {
  const char* files[] = {"3_1.ec_public_key.json", "3_2.ec_private_key.json", "3_3.rsa_public_key.json",
                         "3_4.rsa_private_key.json", "3_5.symmetric_key_mac_computation.json",
                         "3_6.symmetric_key_encryption.json"};
  int imported = 0;
  for (const char* f : files) {
    SCOPED_TRACE(f);
    bj::value v = LoadVectorJson(std::string("jose-cookbook/jwk/") + f);
    ASSERT_TRUE(v.is_object());
    absl::StatusOr<Jwk> key = ParseJwk(v.as_object());
    ASSERT_TRUE(key.ok()) << key.status();
    ++imported;
    EXPECT_EQ(key->kid, std::string(v.at("kid").as_string()));
    EXPECT_EQ(key->is_private, v.as_object().contains("d") || v.as_object().contains("k"));
    absl::StatusOr<std::string> thumbprint = JwkThumbprint(*key);
    ASSERT_TRUE(thumbprint.ok());
    if (key->type == KeyType::kOct) continue;
    // The public JWK carries exactly the published public members.
    absl::StatusOr<bj::object> pub = PublicJwk(*key);
    ASSERT_TRUE(pub.ok()) << pub.status();
    for (const char* m : {"kty", "crv", "x", "y", "n", "e", "kid", "use"}) {
      if (v.as_object().contains(m)) {
        EXPECT_EQ(pub->at(m), v.at(m)) << m;
      }
    }
    absl::StatusOr<Jwk> reparsed = ParseJwk(*pub);
    ASSERT_TRUE(reparsed.ok());
    EXPECT_EQ(*JwkThumbprint(*reparsed), *thumbprint);
  }
  EXPECT_EQ(imported, 6);
}

}  // namespace
}  // namespace tessera::identity::jose
