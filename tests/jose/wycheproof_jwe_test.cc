// Every JWE case of Wycheproof (C2SP/wycheproof testvectors_v1):
// json_web_encryption_test.json and the JWE groups of json_web_crypto_test.json.
//
// The key is the group's "private" JWK and its "alg" is the configured key
// management algorithm — configuration, never the token: the token's header
// alg must equal it. Each group's policy allows exactly that alg and every enc.
#include <set>
#include <string>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "identity/jose/jwe.h"
#include "identity/jose/jwk.h"
#include "vectors.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

std::string HexToBytes(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

bool HasFlag(const bj::object& test, std::string_view flag) {
  const bj::value* flags = test.if_contains("flags");
  if (flags == nullptr || !flags->is_array()) return false;
  for (const bj::value& f : flags->as_array()) {
    if (f.is_string() && f.as_string() == flag) return true;
  }
  return false;
}

struct GroupKey {
  Algorithm alg = Algorithm::kDir;
  Jwk key;
  bool ok = false;
};

// RFC 7520 §5.6 (Wycheproof's "Figure136" group) labels a direct-encryption
// key with the content encryption it serves ("alg":"A128GCM"). That is not a
// key management algorithm: such a key is configured as "dir", and its "alg"
// member is dropped before import (the importer rightly refuses unknown algs).
GroupKey LoadGroupKey(const bj::object& group) {
  GroupKey out;
  bj::object jwk = group.at("private").as_object();
  const std::string alg_name(jwk.at("alg").as_string());
  if (ContentEncryptionFromName(alg_name).has_value()) {
    out.alg = Algorithm::kDir;
    jwk.erase("alg");
  } else {
    std::optional<Algorithm> alg = AlgorithmFromName(alg_name);
    if (!alg.has_value()) {
      ADD_FAILURE() << "group key alg " << alg_name << " is unknown";
      return out;
    }
    out.alg = *alg;
  }
  absl::StatusOr<Jwk> key = ParseJwk(jwk);
  if (!key.ok()) {
    ADD_FAILURE() << "group key " << bj::serialize(jwk) << " does not import: " << key.status();
    return out;
  }
  out.key = std::move(*key);
  out.ok = true;
  return out;
}

JweDecryptionPolicy GroupPolicy(Algorithm alg) {
  JweDecryptionPolicy policy;
  policy.allowed_algs = {alg};
  policy.allowed_encs = {ContentEncryption::kA128GCM,      ContentEncryption::kA192GCM,
                         ContentEncryption::kA256GCM,      ContentEncryption::kA128CbcHs256,
                         ContentEncryption::kA192CbcHs384, ContentEncryption::kA256CbcHs512};
  // RSA1_5 groups: the legacy algorithm is explicitly enabled here so that
  // Wycheproof's padding cases exercise the Bleichenbacher countermeasure;
  // RunFile also checks that the default policy refuses every such token.
  policy.allow_rsa1_5 = alg == Algorithm::kRsa1_5;
  return policy;
}

struct Tally {
  int valid = 0;
  int invalid = 0;
  std::set<std::int64_t> ids;
};

// Runs every test carrying a "jwe" member; returns what was checked.
Tally RunFile(std::string_view file) {
  Tally tally;
  const bj::value root = LoadVectorJson(file);
  if (!root.is_object()) return tally;
  for (const bj::value& group_value : root.at("testGroups").as_array()) {
    const bj::object& group = group_value.as_object();
    bool has_jwe = false;
    for (const bj::value& t : group.at("tests").as_array()) has_jwe = has_jwe || t.as_object().contains("jwe");
    if (!has_jwe) continue;  // the JWS / JWK groups of json_web_crypto_test.json
    const GroupKey gk = LoadGroupKey(group);
    for (const bj::value& test_value : group.at("tests").as_array()) {
      const bj::object& test = test_value.as_object();
      const std::int64_t tc_id = test.at("tcId").as_int64();
      const std::string comment(test.at("comment").as_string());
      const std::string result(test.at("result").as_string());
      const std::string where = std::string(file) + " tcId " + std::to_string(tc_id) + " (" + comment + ")";
      tally.ids.insert(tc_id);
      if (!gk.ok) {
        ADD_FAILURE() << where << ": group key unusable";
        continue;
      }
      // "JsonSerialization" cases hold the JSON text (or object) where a
      // compact token is required: DecryptCompactJwe must refuse them.
      const bj::value& jwe_value = test.at("jwe");
      const std::string jwe =
          jwe_value.is_string() ? std::string(jwe_value.as_string()) : bj::serialize(jwe_value);

      JweDecryptionPolicy policy = GroupPolicy(gk.alg);
      // Compression is off by default; the only compressed case (RFC 7520
      // §5.9) is expected valid, so the policy for it enables compression.
      policy.allow_compression = HasFlag(test, "CompressedPlaintext") && result == "valid";
      const absl::StatusOr<DecryptedJwe> out = DecryptCompactJwe(jwe, gk.key, policy);

      if (result == "valid") {
        ++tally.valid;
        EXPECT_TRUE(out.ok()) << where << ": valid case rejected: " << out.status();
        if (out.ok() && test.contains("pt")) {
          EXPECT_EQ(out->plaintext, HexToBytes(std::string(test.at("pt").as_string())))
              << where << ": wrong plaintext";
        }
      } else {
        // No case is labelled "acceptable" in these files; one would be
        // treated as must-reject.
        ++tally.invalid;
        EXPECT_FALSE(out.ok()) << where << ": " << result << " case accepted";
      }
      if (gk.alg == Algorithm::kRsa1_5) {
        JweDecryptionPolicy defaults = GroupPolicy(gk.alg);
        defaults.allow_rsa1_5 = false;
        EXPECT_FALSE(DecryptCompactJwe(jwe, gk.key, defaults).ok())
            << where << ": RSA1_5 accepted without allow_rsa1_5";
      }
      if (HasFlag(test, "CompressedPlaintext")) {
        JweDecryptionPolicy defaults = GroupPolicy(gk.alg);
        EXPECT_FALSE(DecryptCompactJwe(jwe, gk.key, defaults).ok())
            << where << ": compressed JWE accepted without allow_compression";
      }
    }
  }
  return tally;
}

TEST(JweWycheproofTest, JsonWebEncryptionTest) {
  const Tally tally = RunFile("wycheproof/json_web_encryption_test.json");
  const bj::value root = LoadVectorJson("wycheproof/json_web_encryption_test.json");
  ASSERT_TRUE(root.is_object());
  // Every test of the file is a JWE test and each tcId ran exactly once.
  EXPECT_EQ(static_cast<std::int64_t>(tally.ids.size()), root.at("numberOfTests").as_int64());
  EXPECT_EQ(tally.ids.size(), 139u);
  EXPECT_EQ(tally.valid + tally.invalid, 139);
  EXPECT_EQ(tally.valid, 65);
  EXPECT_EQ(tally.invalid, 74);
}

TEST(JweWycheproofTest, JsonWebCryptoJweGroups) {
  const Tally tally = RunFile("wycheproof/json_web_crypto_test.json");
  // jwe_aes (tcId 50-66) and jwe_ec (tcId 67-83).
  EXPECT_EQ(tally.ids.size(), 34u);
  EXPECT_EQ(tally.valid, 2);
  EXPECT_EQ(tally.invalid, 32);
  if (!tally.ids.empty()) {
    EXPECT_EQ(*tally.ids.begin(), 50);
    EXPECT_EQ(*tally.ids.rbegin(), 83);
  }
}

}  // namespace
}  // namespace tessera::identity::jose
