// `tessera serve` and `tessera token` as real processes: the server outside
// dev mode answers only tokens the CLI mints with its secret (signed, or
// signed and then encrypted to its key), says nothing else to anyone else,
// and never writes a token into its log.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "demo/demo_data.h"
#include "http/test_client.h"
#include "support/tessera_process.h"
#include "support/test_keys.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::TokenFrom;

constexpr char kSecret[] = "process-test-secret-0123456789abcdef";

using testing::RunTessera;

class ServerProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("tessera-process-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "data");
    demo::DemoDataOptions small;
    small.orders = 2000;
    ASSERT_TRUE(demo::CreateSqliteDemoDatabase((dir_ / "data" / "ecom.db").string(), small).ok());
    fs::copy(fs::path(TESSERA_SOURCE_DIR) / "demo" / "model", dir_ / "model", fs::copy_options::recursive);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static std::map<std::string, std::string> ServerEnv(std::map<std::string, std::string> extra) {
    std::map<std::string, std::string> env = {
        {"CUBEJS_DB_TYPE", "sqlite"}, {"CUBEJS_DB_NAME", "data/ecom.db"},
        {"CUBEJS_SCHEMA_PATH", "model"}, {"CUBEJS_DEV_MODE", "false"}, {"PORT", "0"}};
    for (auto& [k, v] : extra) env[k] = v;
    return env;
  }

  // Starts `tessera serve`; returns the port, or 0 (with the output in `log`).
  uint16_t StartServer(const std::map<std::string, std::string>& env, std::string& log) {
    return server_.Start(dir_, ServerEnv(env), log);
  }
  std::string StopServer() { return server_.Stop(); }

  void TearDown() override { StopServer(); }

  static http::testing::RawResponse Get(uint16_t port, const std::string& authorization) {
    http::testing::RawClient client(port);
    std::string request =
        "GET /cubejs-api/v1/load?query=%7B%22measures%22%3A%5B%22Orders.count%22%5D%7D HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\nConnection: close\r\n";
    if (!authorization.empty()) request += "Authorization: " + authorization + "\r\n";
    request += "\r\n";
    EXPECT_TRUE(client.Send(request));
    auto response = client.ReadResponse(false, std::chrono::seconds(30));
    return response ? *response : http::testing::RawResponse{};
  }

  static fs::path dir_;
  testing::ServerProcess server_;
};

fs::path ServerProcessTest::dir_;

TEST_F(ServerProcessTest, RefusesToStartWithAShortSecret) {
  auto [code, out] = RunTessera({"serve"}, dir_, ServerEnv({{"CUBEJS_API_SECRET", "SECRET"}}));
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("CUBEJS_API_SECRET is 6 bytes"), std::string::npos) << out;
  EXPECT_EQ(out.find("SECRET\n"), std::string::npos) << "the secret itself must not be echoed: " << out;
}

TEST_F(ServerProcessTest, RefusesToStartWithoutAnyKey) {
  auto [code, out] = RunTessera({"serve"}, dir_, ServerEnv({}));
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("no key to verify tokens"), std::string::npos) << out;
}

TEST_F(ServerProcessTest, AnswersOnlyTokensMintedWithItsSecret) {
  auto [code, minted] = RunTessera({"token", "--secret", kSecret, "-p", "role=admin"}, dir_);
  ASSERT_EQ(code, 0) << minted;
  EXPECT_NE(minted.find("Payload: {\"role\":\"admin\",\"iat\":"), std::string::npos) << minted;
  EXPECT_NE(minted.find("Expires in: 30 days"), std::string::npos) << minted;
  std::string token = TokenFrom(minted);
  ASSERT_FALSE(token.empty()) << minted;
  auto [other_code, other] = RunTessera({"token", "--secret", "another-secret-that-is-long-enough!!"}, dir_);
  ASSERT_EQ(other_code, 0);
  std::string foreign = TokenFrom(other);

  std::string log;
  uint16_t port = StartServer({{"CUBEJS_API_SECRET", kSecret}}, log);
  ASSERT_GT(port, 0) << log;
  EXPECT_NE(log.find("Tokens: signed with HS256"), std::string::npos) << log;

  auto ok = Get(port, token);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.body.find("\"Orders.count\":\"2000\""), std::string::npos) << ok.body;
  EXPECT_EQ(Get(port, "Bearer " + token).status, 200);

  auto none = Get(port, "");
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(none.body, R"({"error":"Authorization header isn't set"})");
  auto wrong = Get(port, foreign);
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(wrong.body, R"({"error":"Invalid token"})");
  auto garbage = Get(port, "Bearer not.a-token");
  EXPECT_EQ(garbage.body, R"({"error":"Invalid token"})");

  log += StopServer();
  EXPECT_NE(log.find("token refused"), std::string::npos) << log;
  for (const std::string& secret_text : {token, foreign, std::string(kSecret)}) {
    EXPECT_EQ(log.find(secret_text), std::string::npos) << "a token or secret reached the log";
  }
}

TEST_F(ServerProcessTest, EncryptedTokensWhenEncryptionIsRequired) {
  auto [private_pem, public_pem] = testing::GeneratePemKeyPair("RSA");
  fs::path public_file = dir_ / "jwe-public.pem";
  std::ofstream(public_file) << public_pem;
  auto [code, minted] = RunTessera({"token", "--secret", kSecret, "--encrypt-to", public_file.string()}, dir_);
  ASSERT_EQ(code, 0) << minted;
  std::string encrypted = TokenFrom(minted);
  EXPECT_EQ(std::count(encrypted.begin(), encrypted.end(), '.'), 4) << encrypted;
  auto [plain_code, plain] = RunTessera({"token", "--secret", kSecret}, dir_);
  ASSERT_EQ(plain_code, 0);

  std::string log;
  uint16_t port = StartServer({{"CUBEJS_API_SECRET", kSecret},
                               {"TESSERA_JWE_KEY", private_pem},
                               {"TESSERA_JWE_REQUIRED", "true"}},
                              log);
  ASSERT_GT(port, 0) << log;
  EXPECT_NE(log.find("encryption required"), std::string::npos) << log;
  auto ok = Get(port, encrypted);
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto bare = Get(port, TokenFrom(plain));
  EXPECT_EQ(bare.status, 403);
  EXPECT_EQ(bare.body, R"({"error":"Invalid token"})");
  log += StopServer();
  EXPECT_NE(log.find("encryption is required"), std::string::npos) << log;
  EXPECT_EQ(log.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(ServerProcessTest, TokenWithoutExpiryWarns) {
  auto [code, minted] = RunTessera({"token", "--secret", kSecret, "--expiry", "0"}, dir_);
  ASSERT_EQ(code, 0) << minted;
  EXPECT_NE(minted.find("never expires"), std::string::npos) << minted;
  EXPECT_EQ(minted.find("\"exp\""), std::string::npos) << minted;
}


// tessera.yaml's `tenancy:` and `query_rewrite:` sections in a real server:
// each tenant's token reads its own SQLite file, the mandatory filter applies
// to non-admins, and a broken section stops start-up with its line.
TEST_F(ServerProcessTest, TenantsFromTheConfigFile) {
  fs::path dir = dir_ / "tenancy";
  fs::create_directories(dir / "tenants");
  demo::DemoDataOptions a, b;
  a.orders = 300;
  b.orders = 700;
  ASSERT_TRUE(demo::CreateSqliteDemoDatabase((dir / "tenants" / "north.db").string(), a).ok());
  ASSERT_TRUE(demo::CreateSqliteDemoDatabase((dir / "tenants" / "south.db").string(), b).ok());
  fs::copy(fs::path(TESSERA_SOURCE_DIR) / "demo" / "model", dir / "model", fs::copy_options::recursive);
  std::ofstream(dir / "tessera.yaml") << R"(# tenants and rules
tenancy:
  claim: org
  id_pattern: "^[a-z]+$"
  data_source:
    type: sqlite
    file: "tenants/{tenant}.db"
query_rewrite:
  - name: completed orders only
    filter: { member: Orders.status, operator: equals, values: [completed] }
    except_roles: [admin]
)";
  auto mint = [&](const std::vector<std::string>& claims) {
    std::vector<std::string> args = {"token", "--secret", kSecret, "-e", "1 hour"};
    for (const auto& c : claims) {
      args.push_back("-p");
      args.push_back(c);
    }
    return TokenFrom(RunTessera(args, dir).second);
  };
  std::map<std::string, std::string> env = ServerEnv({{"CUBEJS_API_SECRET", kSecret}});
  env.erase("CUBEJS_DB_NAME");  // every tenant has its own file
  std::string log;
  uint16_t port = server_.Start(dir, env, log);
  ASSERT_NE(port, 0) << log;
  EXPECT_NE(log.find("databases of its tenants"), std::string::npos) << log;

  auto count = [&](const std::string& token) -> int64_t {
    http::testing::RawResponse r = Get(port, "Bearer " + token);
    if (r.status != 200) {
      ADD_FAILURE() << r.status << " " << r.body;
      return -1;
    }
    json::value v = json::parse(r.body);
    const json::value& cell = v.at("data").at(0).at("Orders.count");
    return cell.is_string() ? std::stoll(std::string(cell.as_string())) : cell.to_number<int64_t>();
  };
  int64_t north_all = count(mint({"org=north", "role=admin"}));
  int64_t south_all = count(mint({"org=south", "role=admin"}));
  EXPECT_EQ(north_all, 300);
  EXPECT_EQ(south_all, 700);
  int64_t north_completed = count(mint({"org=north", "role=viewer"}));
  EXPECT_GT(north_completed, 0);
  EXPECT_LT(north_completed, north_all);
  http::testing::RawResponse refused = Get(port, "Bearer " + mint({"org=../tenants/north"}));
  EXPECT_EQ(refused.status, 403);
  refused = Get(port, "Bearer " + mint({"role=admin"}));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body, R"x({"error":"Security context is missing the tenant ('org')"})x");
  StopServer();

  // A mistake in a section stops start-up and names its line.
  std::ofstream(dir / "tessera.yaml") << "query_rewrite:\n  - name: x\n    filter: { dimension: tenant, operator: set }\n";
  auto [code, out] = RunTessera({"serve"}, dir, ServerEnv({{"CUBEJS_API_SECRET", kSecret}}));
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("tessera.yaml:2: query_rewrite rule 'x': no cube of the model has a dimension 'tenant'"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace tessera
