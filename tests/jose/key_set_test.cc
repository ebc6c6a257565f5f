#include "identity/jose/key_set.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "identity/jose/strict_json.h"
#include "vectors.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

Jwk Key(std::string_view json) {
  absl::StatusOr<bj::object> o = ParseStrictJsonObject(json);
  EXPECT_TRUE(o.ok());
  absl::StatusOr<Jwk> k = ParseJwk(o.value_or(bj::object()));
  EXPECT_TRUE(k.ok()) << k.status();
  return k.value_or(Jwk());
}

Jwk CookbookKey(const char* file, const char* kid = nullptr) {
  bj::value v = LoadVectorJson(std::string("jose-cookbook/jwk/") + file);
  bj::object o = v.is_object() ? v.as_object() : bj::object();
  if (kid != nullptr) o["kid"] = kid;
  absl::StatusOr<Jwk> k = ParseJwk(o);
  EXPECT_TRUE(k.ok()) << k.status();
  return k.value_or(Jwk());
}

Jwk Secret(std::size_t bytes, const char* kid = "") {
  Jwk k;
  k.type = KeyType::kOct;
  k.secret = std::string(bytes, 's');
  k.is_private = true;
  k.kid = kid;
  return k;
}

std::vector<Algorithm> AlgsOf(const std::vector<BoundKey>& bound) {
  std::vector<Algorithm> out;
  for (const BoundKey& b : bound) out.push_back(b.alg);
  return out;
}

TEST(KeySet, JwkAlgBindsExactly) {
  const std::vector<Jwk> keys = {CookbookKey("3_5.symmetric_key_mac_computation.json")};
  const Algorithm allowed[] = {Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512};
  absl::StatusOr<std::vector<BoundKey>> bound = BindSigningKeys(keys, allowed);
  ASSERT_TRUE(bound.ok()) << bound.status();
  EXPECT_EQ(AlgsOf(*bound), std::vector<Algorithm>{Algorithm::kHS256});
  // Its alg is not allowed: an error when strict, skipped otherwise.
  const Algorithm rs_only[] = {Algorithm::kRS256};
  EXPECT_FALSE(BindSigningKeys(keys, rs_only).ok());
  BindOptions lenient;
  lenient.strict = false;
  absl::StatusOr<std::vector<BoundKey>> skipped = BindSigningKeys(keys, rs_only, lenient);
  ASSERT_TRUE(skipped.ok());
  EXPECT_TRUE(skipped->empty());
}

TEST(KeySet, BareSecretBindsToEachReachableHmac) {
  const Algorithm allowed[] = {Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512, Algorithm::kRS256};
  std::vector<Jwk> keys = {Secret(48)};
  absl::StatusOr<std::vector<BoundKey>> bound = BindSigningKeys(keys, allowed);
  ASSERT_TRUE(bound.ok()) << bound.status();
  EXPECT_EQ(AlgsOf(*bound), (std::vector<Algorithm>{Algorithm::kHS256, Algorithm::kHS384}));
  keys = {Secret(64)};
  EXPECT_EQ(BindSigningKeys(keys, allowed)->size(), 3u);
  keys = {Secret(31)};  // reaches no HMAC
  EXPECT_FALSE(BindSigningKeys(keys, allowed).ok());
  const Algorithm rs_only[] = {Algorithm::kRS256, Algorithm::kES256};
  keys = {Secret(64)};  // never binds to anything but HMAC
  EXPECT_FALSE(BindSigningKeys(keys, rs_only).ok());
}

TEST(KeySet, AsymmetricKeysBindByTypeAndCurve) {
  const Algorithm allowed[] = {Algorithm::kES512, Algorithm::kPS256, Algorithm::kEdDSA, Algorithm::kHS256};
  const std::vector<Jwk> keys = {
      CookbookKey("3_1.ec_public_key.json", "ec"), CookbookKey("3_3.rsa_public_key.json", "rsa"),
      Key(R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"ed"})")};
  absl::StatusOr<std::vector<BoundKey>> bound = BindSigningKeys(keys, allowed);
  ASSERT_TRUE(bound.ok()) << bound.status();
  EXPECT_EQ(AlgsOf(*bound), (std::vector<Algorithm>{Algorithm::kES512, Algorithm::kPS256, Algorithm::kEdDSA}));
  // P-521 key when only ES256 is allowed.
  const Algorithm es256[] = {Algorithm::kES256};
  const std::vector<Jwk> ec = {keys[0]};
  EXPECT_FALSE(BindSigningKeys(ec, es256).ok());
}

TEST(KeySet, RsaWithoutAlgIsAmbiguousWithSeveralRsaAlgorithms) {
  const std::vector<Jwk> rsa = {CookbookKey("3_3.rsa_public_key.json")};
  const Algorithm several[] = {Algorithm::kRS256, Algorithm::kPS256};
  absl::StatusOr<std::vector<BoundKey>> bound = BindSigningKeys(rsa, several);
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(std::string(bound.status().message()).find("bilbo.baggins@hobbiton.example"), std::string::npos);
  const Algorithm none_rsa[] = {Algorithm::kHS256};
  EXPECT_FALSE(BindSigningKeys(rsa, none_rsa).ok());  // would be RS256, not allowed
  const Algorithm rs384[] = {Algorithm::kRS384, Algorithm::kES256};
  EXPECT_EQ(AlgsOf(*BindSigningKeys(rsa, rs384)), std::vector<Algorithm>{Algorithm::kRS384});
}

TEST(KeySet, EncryptionKeysAreNotSigningKeys) {
  const Algorithm allowed[] = {Algorithm::kRS256, Algorithm::kES256, Algorithm::kHS256};
  const std::vector<Jwk> enc = {Key(R"({"kty":"oct","k":"AAPapAv4LbFbiVawEjagUBluYqN5rhna-8nuldDvOx8","use":"enc"})")};
  EXPECT_FALSE(BindSigningKeys(enc, allowed).ok());
  const std::vector<Jwk> kw = {Key(R"({"kty":"oct","k":"AAPapAv4LbFbiVawEjagUBluYqN5rhna-8nuldDvOx8","alg":"A256KW"})")};
  EXPECT_FALSE(BindSigningKeys(kw, allowed).ok());
  const std::vector<Jwk> x25519 = {Key(R"({"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"})")};
  const Algorithm with_eddsa[] = {Algorithm::kEdDSA};
  EXPECT_FALSE(BindSigningKeys(x25519, with_eddsa).ok());
}

TEST(KeySet, CandidateKeysByAlgAndKid) {
  const Algorithm allowed[] = {Algorithm::kHS256, Algorithm::kHS512};
  const std::vector<Jwk> keys = {Secret(64, "a"), Secret(32, "b"), Secret(32)};
  absl::StatusOr<std::vector<BoundKey>> bound = BindSigningKeys(keys, allowed);
  ASSERT_TRUE(bound.ok());
  ASSERT_EQ(bound->size(), 4u);  // a:HS256, a:HS512, b:HS256, (no kid):HS256
  auto kids = [](const std::vector<const BoundKey*>& c) {
    std::vector<std::string> out;
    for (const BoundKey* b : c) out.push_back(b->key.kid);
    return out;
  };
  EXPECT_EQ(kids(CandidateKeys(*bound, Algorithm::kHS256, "a")), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(kids(CandidateKeys(*bound, Algorithm::kHS512, "a")), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(CandidateKeys(*bound, Algorithm::kHS512, "b").empty());
  EXPECT_EQ(kids(CandidateKeys(*bound, Algorithm::kHS256, "")), (std::vector<std::string>{"a", "b", ""}));
  EXPECT_TRUE(CandidateKeys(*bound, Algorithm::kRS256, "").empty());
  // kid is an opaque, exact string.
  EXPECT_EQ(kids(CandidateKeys(*bound, Algorithm::kHS512, "A")), std::vector<std::string>{});
}

}  // namespace
}  // namespace tessera::identity::jose
