// Replays tests/interop/cube-tokens.json, recorded against real Cube 0.27.53
// by tests/interop/record.sh: every token Cube's own library minted (as
// `cubejs-cli token` does) is accepted by Tessera with the same claims, and
// the token `tessera token` minted was accepted by Cube.
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "identity/token_identity.h"
#include "identity/token_policy.h"
#include "identity/token_verifier.h"

namespace tessera {
namespace {

namespace json = boost::json;

json::object Fixture() {
  std::ifstream in(std::string(TESSERA_SOURCE_DIR) + "/tests/interop/cube-tokens.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str()).as_object();
}

identity::TokenVerifier Verifier(const json::object& fixture) {
  identity::TokenSettings settings;
  settings.api_secret = std::string(fixture.at("secret").as_string());
  auto policy = identity::BuildTokenPolicy(settings);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return identity::TokenVerifier(*std::move(policy));
}

TEST(CubeInteropTest, TesseraAcceptsTokensCubeMinted) {
  json::object fixture = Fixture();
  identity::TokenVerifier verifier = Verifier(fixture);
  const json::array& minted = fixture.at("minted_by_cube").as_array();
  ASSERT_GE(minted.size(), 4u);
  for (const json::value& v : minted) {
    const json::object& row = v.as_object();
    std::string alg(row.at("alg").as_string());
    EXPECT_EQ(row.at("cube_status").as_int64(), 200) << alg << ": Cube accepts its own token";
    auto verified = verifier.Verify(std::string(row.at("token").as_string()), identity::SystemSeconds());
    ASSERT_TRUE(verified.ok()) << alg << ": " << verified.status();
    EXPECT_EQ(json::value((*verified)->claims), row.at("claims")) << alg;
  }
}

TEST(CubeInteropTest, CubeAcceptedTheTokenTesseraMinted) {
  json::object fixture = Fixture();
  const json::object& ours = fixture.at("minted_by_tessera").as_object();
  EXPECT_EQ(ours.at("cube_status").as_int64(), 200) << json::serialize(ours.at("cube_body"));
  EXPECT_TRUE(ours.at("cube_body").as_object().contains("data"));
  // And the same token is, of course, valid for Tessera with that secret.
  identity::TokenVerifier verifier = Verifier(fixture);
  auto verified = verifier.Verify(std::string(ours.at("token").as_string()), identity::SystemSeconds());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ((*verified)->claims.at("role"), "admin");
  EXPECT_EQ((*verified)->claims.at("tenant"), "acme");
}

TEST(CubeInteropTest, AnotherSecretRefusesThem) {
  json::object fixture = Fixture();
  fixture["secret"] = "a-different-secret-of-at-least-32-bytes";
  identity::TokenVerifier verifier = Verifier(fixture);
  for (const json::value& v : fixture.at("minted_by_cube").as_array()) {
    EXPECT_FALSE(verifier.Verify(std::string(v.at("token").as_string()), identity::SystemSeconds()).ok());
  }
}

}  // namespace
}  // namespace tessera
