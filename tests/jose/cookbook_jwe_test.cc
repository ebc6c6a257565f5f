// RFC 7520 §5 (the JOSE cookbook) JWE examples 5.1-5.13, RFC 8037's X25519
// ECDH-ES example, and §6 (a JWS nested in a JWE). Each example's compact,
// general JSON and flattened JSON outputs are decrypted with its key and must
// give its plaintext. RSA encryption is randomized, so these are decrypted,
// never compared byte for byte. RSA1_5 (5.1, 5.13), PBES2 (5.3) and
// compression (5.9) must be refused by the default policy and accepted only
// with the matching switch.
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "identity/jose/base64url.h"
#include "identity/jose/jwe.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
#include "vectors.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

struct Example {
  std::string file;
  // How many decryptions each serialization must yield (checked, so an
  // example that silently lost an output fails).
  int compact = 0;
  int json = 0;
  int json_flat = 0;
};

struct RecipientKey {
  Algorithm alg = Algorithm::kDir;
  Jwk key;
};

bool IsPbes2(Algorithm alg) {
  return alg == Algorithm::kPbes2Hs256A128KW || alg == Algorithm::kPbes2Hs384A192KW ||
         alg == Algorithm::kPbes2Hs512A256KW;
}

// The configured algorithm of a key: the example's input.alg (one per key for
// 5.13). RFC 7520 §5.6 labels its direct-encryption key with the enc it
// serves ("alg":"A128GCM"), which is no key management algorithm; that member
// is dropped before import and the key is configured as "dir".
std::vector<RecipientKey> KeysOf(const bj::object& input) {
  std::vector<RecipientKey> out;
  std::vector<bj::object> jwks;
  std::vector<std::string> algs;
  if (const bj::value* pwd = input.if_contains("pwd"); pwd != nullptr) {
    // RFC 7520 §5.3: the PBES2 password, used as the bytes of an oct key.
    RecipientKey rk;
    rk.alg = *AlgorithmFromName(std::string(input.at("alg").as_string()));
    rk.key.type = KeyType::kOct;
    rk.key.secret = std::string(pwd->as_string());
    rk.key.is_private = true;
    rk.key.bits = static_cast<int>(rk.key.secret.size() * 8);
    out.push_back(std::move(rk));
    return out;
  }
  const bj::value& key = input.at("key");
  if (key.is_array()) {
    for (const bj::value& k : key.as_array()) jwks.push_back(k.as_object());
    for (const bj::value& a : input.at("alg").as_array()) algs.emplace_back(a.as_string());
  } else {
    jwks.push_back(key.as_object());
    algs.emplace_back(input.at("alg").as_string());
  }
  EXPECT_EQ(jwks.size(), algs.size());
  for (std::size_t i = 0; i < jwks.size() && i < algs.size(); ++i) {
    bj::object jwk = jwks[i];
    if (const bj::value* a = jwk.if_contains("alg");
        a != nullptr && ContentEncryptionFromName(std::string(a->as_string())).has_value()) {
      jwk.erase("alg");
    }
    std::optional<Algorithm> alg = AlgorithmFromName(algs[i]);
    absl::StatusOr<Jwk> parsed = ParseJwk(jwk);
    if (!alg.has_value() || !parsed.ok()) {
      ADD_FAILURE() << "key " << i << " (" << algs[i] << ") unusable: "
                    << (parsed.ok() ? absl::OkStatus() : parsed.status());
      continue;
    }
    RecipientKey rk;
    rk.alg = *alg;
    rk.key = std::move(*parsed);
    out.push_back(std::move(rk));
  }
  return out;
}

// "enc" as the example's protected (or, for 5.12, shared unprotected) header
// says. RFC 7520 §5.13's input.enc has a typo ("A128CBC-H256"), so the
// header, not the input, is the authority.
std::optional<ContentEncryption> EncOf(const bj::object& output) {
  const bj::object& json = output.at("json").as_object();
  if (const bj::value* p = json.if_contains("protected"); p != nullptr) {
    absl::StatusOr<std::string> text = DecodeBase64Url(std::string(p->as_string()));
    if (text.ok()) {
      const bj::value header = bj::parse(*text);
      if (const bj::value* enc = header.as_object().if_contains("enc"); enc != nullptr) {
        return ContentEncryptionFromName(std::string(enc->as_string()));
      }
    }
  }
  if (const bj::value* u = json.if_contains("unprotected"); u != nullptr) {
    if (const bj::value* enc = u->as_object().if_contains("enc"); enc != nullptr) {
      return ContentEncryptionFromName(std::string(enc->as_string()));
    }
  }
  return std::nullopt;
}

class JweCookbookTest : public ::testing::TestWithParam<Example> {};

TEST_P(JweCookbookTest, DecryptsEverySerialization) {
  const Example& example = GetParam();
  const bj::value root = LoadVectorJson(example.file);
  ASSERT_TRUE(root.is_object()) << example.file;
  const bj::object& input = root.at("input").as_object();
  const bj::object& output = root.at("output").as_object();
  const std::string plaintext(input.at("plaintext").as_string());
  const std::optional<ContentEncryption> enc = EncOf(output);
  ASSERT_TRUE(enc.has_value()) << example.file << ": no enc in the header";
  const bool compressed = input.contains("zip");

  int compact = 0;
  int json = 0;
  int json_flat = 0;
  const std::vector<RecipientKey> keys = KeysOf(input);
  ASSERT_FALSE(keys.empty()) << example.file;
  for (const RecipientKey& rk : keys) {
    const std::string what = example.file + " with " + std::string(AlgorithmName(rk.alg)) + "/" +
                             std::string(ContentEncryptionName(*enc));
    JweDecryptionPolicy defaults;
    defaults.allowed_algs = {rk.alg};
    defaults.allowed_encs = {*enc};
    JweDecryptionPolicy enabled = defaults;
    enabled.allow_rsa1_5 = rk.alg == Algorithm::kRsa1_5;
    enabled.allow_pbes2 = IsPbes2(rk.alg);
    enabled.allow_compression = compressed;
    // Gated examples must be refused by the defaults.
    const bool gated = enabled.allow_rsa1_5 || enabled.allow_pbes2 || enabled.allow_compression;

    auto check = [&](const char* form, const absl::StatusOr<DecryptedJwe>& with_defaults,
                     const absl::StatusOr<DecryptedJwe>& with_switch) {
      if (gated) {
        EXPECT_FALSE(with_defaults.ok()) << what << " (" << form << ") accepted by the default policy";
      }
      ASSERT_TRUE(with_switch.ok()) << what << " (" << form << "): " << with_switch.status();
      EXPECT_EQ(with_switch->plaintext, plaintext) << what << " (" << form << ")";
      EXPECT_EQ(with_switch->alg, rk.alg);
      EXPECT_EQ(with_switch->enc, *enc);
    };

    if (const bj::value* token = output.if_contains("compact"); token != nullptr) {
      const std::string t(token->as_string());
      check("compact", DecryptCompactJwe(t, rk.key, defaults), DecryptCompactJwe(t, rk.key, enabled));
      ++compact;
    }
    if (const bj::value* general = output.if_contains("json"); general != nullptr) {
      const std::string t = bj::serialize(*general);
      check("json", DecryptJsonJwe(t, rk.key, defaults), DecryptJsonJwe(t, rk.key, enabled));
      ++json;
    }
    if (const bj::value* flat = output.if_contains("json_flat"); flat != nullptr) {
      const std::string t = bj::serialize(*flat);
      check("json_flat", DecryptJsonJwe(t, rk.key, defaults), DecryptJsonJwe(t, rk.key, enabled));
      ++json_flat;
    }
  }
  EXPECT_EQ(compact, example.compact) << example.file;
  EXPECT_EQ(json, example.json) << example.file;
  EXPECT_EQ(json_flat, example.json_flat) << example.file;
}

const Example kExamples[] = {
    {"jose-cookbook/jwe/5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json", 1, 1, 1},
    {"jose-cookbook/jwe/5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json", 1, 1, 1},
    {"jose-cookbook/jwe/5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json", 1, 1, 1},
    {"jose-cookbook/jwe/5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json", 1,
     1, 1},
    {"jose-cookbook/jwe/5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json", 1, 1, 1},
    {"jose-cookbook/jwe/5_6.direct_encryption_using_aes-gcm.json", 1, 1, 1},
    {"jose-cookbook/jwe/5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json", 1, 1, 1},
    {"jose-cookbook/jwe/5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json", 1, 1, 1},
    {"jose-cookbook/jwe/5_9.compressed_content.json", 1, 1, 1},
    {"jose-cookbook/jwe/5_10.including_additional_authentication_data.json", 0, 1, 1},
    {"jose-cookbook/jwe/5_11.protecting_specific_header_fields.json", 0, 1, 1},
    {"jose-cookbook/jwe/5_12.protecting_content_only.json", 0, 1, 1},
    // Three recipients (RSA1_5, ECDH-ES+A256KW, A256GCMKW): each key decrypts.
    {"jose-cookbook/jwe/5_13.encrypting_to_multiple_recipients.json", 0, 3, 0},
    {"jose-cookbook/curve25519/ecdh-es.json", 1, 1, 1},
};

INSTANTIATE_TEST_SUITE_P(Rfc7520, JweCookbookTest, ::testing::ValuesIn(kExamples),
                         [](const ::testing::TestParamInfo<Example>& info) {
                           std::string name = info.param.file.substr(info.param.file.rfind('/') + 1);
                           name = name.substr(0, name.find('.'));
                           if (info.param.file.find("curve25519") != std::string::npos) name = "x25519_" + name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return "Example_" + name;
                         });

// The AAD of 5.10 is part of what the tag covers: altering it must fail.
TEST(JweCookbookExtraTest, AadIsAuthenticated) {
  const bj::value root = LoadVectorJson("jose-cookbook/jwe/5_10.including_additional_authentication_data.json");
  ASSERT_TRUE(root.is_object());
  const std::vector<RecipientKey> keys = KeysOf(root.at("input").as_object());
  ASSERT_EQ(keys.size(), 1u);
  JweDecryptionPolicy policy;
  policy.allowed_algs = {keys[0].alg};
  policy.allowed_encs = {ContentEncryption::kA128GCM};
  bj::object flat = root.at("output").at("json_flat").as_object();
  ASSERT_TRUE(DecryptJsonJwe(bj::serialize(flat), keys[0].key, policy).ok());
  flat["aad"] = EncodeBase64Url("[\"vcard\"]");
  EXPECT_FALSE(DecryptJsonJwe(bj::serialize(flat), keys[0].key, policy).ok());
  flat.erase("aad");
  EXPECT_FALSE(DecryptJsonJwe(bj::serialize(flat), keys[0].key, policy).ok());
}

// RFC 7520 §6: a JWT signed with PS256, then encrypted (RSA-OAEP, A128GCM).
TEST(JweCookbookExtraTest, NestedSignatureInsideEncryption) {
  const bj::value root = LoadVectorJson("jose-cookbook/6.nesting_signatures_and_encryption.json");
  ASSERT_TRUE(root.is_object());
  const bj::object& sign = root.at("sign").as_object();
  const bj::object& encrypt = root.at("encrypt").as_object();
  absl::StatusOr<Jwk> decryption_key = ParseJwk(encrypt.at("input").at("key").as_object());
  ASSERT_TRUE(decryption_key.ok()) << decryption_key.status();
  absl::StatusOr<Jwk> signing_key = ParseJwk(sign.at("input").at("key").as_object());
  ASSERT_TRUE(signing_key.ok()) << signing_key.status();
  const std::string expected_jws(sign.at("output").at("compact").as_string());
  const std::string expected_payload(sign.at("input").at("payload").as_string());

  JweDecryptionPolicy policy;
  policy.allowed_algs = {Algorithm::kRsaOaep};
  policy.allowed_encs = {ContentEncryption::kA128GCM};
  const bj::object& output = encrypt.at("output").as_object();
  std::vector<absl::StatusOr<DecryptedJwe>> results;
  results.push_back(DecryptCompactJwe(std::string(output.at("compact").as_string()), *decryption_key, policy));
  results.push_back(DecryptJsonJwe(bj::serialize(output.at("json")), *decryption_key, policy));
  results.push_back(DecryptJsonJwe(bj::serialize(output.at("json_flat")), *decryption_key, policy));
  ASSERT_EQ(results.size(), 3u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << "serialization " << i << ": " << results[i].status();
    EXPECT_EQ(results[i]->plaintext, expected_jws) << "serialization " << i;
    EXPECT_EQ(results[i]->header.at("cty").as_string(), "JWT");
    absl::StatusOr<CompactJws> inner = VerifyCompactJws(results[i]->plaintext, Algorithm::kPS256, *signing_key);
    ASSERT_TRUE(inner.ok()) << "serialization " << i << ": " << inner.status();
    EXPECT_EQ(inner->payload, expected_payload);
  }
}

}  // namespace
}  // namespace tessera::identity::jose
