// The tutorial's Step 3 end to end: a real `tessera serve` configured with an
// `issuers:` entry for the real OpenID Connect provider of tests/oidc, tokens
// from the provider's login flow, and the data each user may see — the admin
// all of their tenant's rows, an ordinary user the restricted view — plus the
// provider's faults: down at start-up (not ready, then recovers), down later
// (known keys keep serving), slow (no request waits longer than the bound).
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "demo/demo_data.h"
#include "http/test_client.h"
#include "identity/oidc_provider_fixture.h"
#include "support/tessera_process.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr char kAudience[] = "https://tessera.local/api";

class OidcServerTest : public identity::OidcProviderTest {
 protected:
  static void SetUpTestSuite() {
    identity::OidcProviderTest::SetUpTestSuite();
    dir_ = new fs::path(fs::temp_directory_path() / ("tessera-oidc-server-" + std::to_string(::getpid())));
    fs::create_directories(*dir_ / "tenants");
    demo::DemoDataOptions acme, globex;
    acme.orders = 300;
    globex.orders = 700;
    ASSERT_TRUE(demo::CreateSqliteDemoDatabase((*dir_ / "tenants" / "acme.db").string(), acme).ok());
    ASSERT_TRUE(demo::CreateSqliteDemoDatabase((*dir_ / "tenants" / "globex.db").string(), globex).ok());
    fs::copy(fs::path(TESSERA_SOURCE_DIR) / "demo" / "model", *dir_ / "model", fs::copy_options::recursive);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (dir_) fs::remove_all(*dir_, ec);
    delete dir_;
    dir_ = nullptr;
    identity::OidcProviderTest::TearDownTestSuite();
  }
  void TearDown() override {
    StopServer();
    Admin("POST", "/__admin/fault?mode=ok");
  }

  // tessera.yaml: the provider as the one issuer (bound to `tenants`),
  // tenants from its namespaced claim, each with its own SQLite file. The
  // demo model's access policy gives non-admins the restricted view (the
  // rows of one sample slice).
  static void WriteConfig(const std::string& tenants, const std::string& extra = "") {
    std::ofstream(*dir_ / "tessera.yaml") << "issuers:\n"
                                          << "  - issuer: " << *issuer_ << "\n"
                                          << "    audience: " << kAudience << "\n"
                                          << "    claims_namespace: http://localhost:3000\n"
                                          << "    tenants: " << tenants << "\n"
                                          << extra
                                          << R"(tenancy:
  claim: tenant
  id_pattern: "^[a-z]+$"
  data_source:
    type: sqlite
    file: "tenants/{tenant}.db"
)";
  }

  // Starts `tessera serve`; the port, or 0 with the output in `log`.
  uint16_t StartServer(std::string& log) {
    return server_.Start(*dir_,
                         {{"CUBEJS_DB_TYPE", "sqlite"},
                          {"CUBEJS_SCHEMA_PATH", "model"},
                          {"CUBEJS_DEV_MODE", "false"},
                          {"PORT", "0"}},
                         log);
  }
  std::string StopServer() { return server_.Stop(); }

  static http::testing::RawResponse Request(uint16_t port, const std::string& target, const std::string& token) {
    http::testing::RawClient client(port);
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
    request += "\r\n";
    EXPECT_TRUE(client.Send(request));
    auto response = client.ReadResponse(false, std::chrono::seconds(30));
    return response ? *response : http::testing::RawResponse{};
  }

  // Orders.count for the caller, optionally filtered on `member`; minus the
  // HTTP status on refusal.
  static int64_t Count(uint16_t port, const std::string& token, const std::string& member = "",
                       const std::string& value = "") {
    std::string query = R"({"measures":["Orders.count"])";
    if (!member.empty()) {
      query += R"(,"filters":[{"member":")" + member + R"(","operator":"equals","values":[")" + value + R"("]}])";
    }
    query += "}";
    std::string encoded;
    for (unsigned char c : query) {
      if (std::isalnum(c) || c == '.' || c == '_') {
        encoded.push_back(static_cast<char>(c));
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        encoded += buf;
      }
    }
    http::testing::RawResponse r = Request(port, "/cubejs-api/v1/load?query=" + encoded, token);
    if (r.status != 200) return -r.status;
    json::value v = json::parse(r.body);
    const json::value& cell = v.at("data").at(0).at("Orders.count");
    return cell.is_string() ? std::stoll(std::string(cell.as_string())) : cell.to_number<int64_t>();
  }

  static json::value Ready(uint16_t port, int& status) {
    http::testing::RawResponse r = Request(port, "/readyz", "");
    status = r.status;
    json::error_code ec;
    json::value v = json::parse(r.body, ec);
    return ec ? json::value() : v;
  }

  inline static fs::path* dir_ = nullptr;
  testing::ServerProcess server_;
};

TEST_F(OidcServerTest, ProviderTokensSeeWhatTheirRoleAndTenantAllow) {
  const std::string alice = AccessToken("alice@admin.example", "alice-password", "RS256");  // admin, acme
  const std::string bob = AccessToken("bob@acme.example", "bob-password", "ES256");         // user, acme
  const std::string carol = AccessToken("carol@globex.example", "carol-password", "EdDSA");  // user, globex
  ASSERT_FALSE(alice.empty());
  WriteConfig("[acme, globex]");
  std::string log;
  uint16_t port = StartServer(log);
  ASSERT_NE(port, 0) << log;
  EXPECT_NE(log.find("Key set of " + *issuer_ + ": 3 keys"), std::string::npos) << log;

  // The admin sees every row of their tenant; the user of the same tenant
  // only the restricted view — the same number the admin gets by asking for
  // that slice.
  EXPECT_EQ(Count(port, alice), 300);
  int64_t slice = Count(port, alice, "Orders.sampleSlice", "7");
  EXPECT_GT(slice, 0);
  EXPECT_LT(slice, 300);
  EXPECT_EQ(Count(port, bob), slice);
  EXPECT_EQ(Count(port, bob, "Orders.sampleSlice", "6"), 0);  // the policy's filter is added, not replaced
  // Carol's tenant is another database.
  int64_t globex = Count(port, carol);
  EXPECT_GT(globex, 0);
  EXPECT_NE(globex, slice);
  EXPECT_LT(globex, 700);
  // Not the provider's token: refused with Cube's message.
  http::testing::RawResponse refused = Request(port, "/cubejs-api/v1/load?query=%7B%7D", "not.a.token");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body, R"({"error":"Invalid token"})");
  int status = 0;
  json::value ready = Ready(port, status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(ready, json::parse(R"({"health":"HEALTH","issuers":[{"issuer":")" + *issuer_ + R"(","ready":true}],"audit":{"ready":true}})"));
  std::string rest = StopServer();
  // Tokens never reach the log.
  EXPECT_EQ((log + rest).find(alice.substr(alice.rfind('.') + 1)), std::string::npos);

  // The same provider bound to acme only: globex's users are refused even
  // though the provider vouches for their tenant claim.
  WriteConfig("[acme]");
  port = StartServer(log);
  ASSERT_NE(port, 0) << log;
  EXPECT_EQ(Count(port, bob), slice);
  EXPECT_EQ(Count(port, carol), -403);
  rest = StopServer();
  EXPECT_NE(rest.find("may not speak for tenant globex"), std::string::npos) << rest;
}

TEST_F(OidcServerTest, ProviderDownAtStartUpThenRecovers) {
  const std::string bob = AccessToken("bob@acme.example", "bob-password", "RS256");
  ASSERT_FALSE(bob.empty());
  Admin("POST", "/__admin/fault?mode=down");
  // Short bounds so the test sees the retry and the unknown-kid window pass.
  WriteConfig("[acme]", "    min_ttl_seconds: 1\n    max_ttl_seconds: 2\n    unknown_kid_window_seconds: 1\n");
  std::string log;
  uint16_t port = StartServer(log);
  ASSERT_NE(port, 0) << log;  // the server starts anyway
  EXPECT_NE(log.find("Key set of " + *issuer_ + ": not available yet"), std::string::npos) << log;
  int status = 0;
  json::value ready = Ready(port, status);
  EXPECT_EQ(status, 503);
  EXPECT_EQ(ready, json::parse(R"({"health":"DOWN","issuers":[{"issuer":")" + *issuer_ + R"(","ready":false}],"audit":{"ready":true}})"));
  EXPECT_EQ(Count(port, bob), -403);

  Admin("POST", "/__admin/fault?mode=ok");
  // The background retries (backoff capped by min_ttl_seconds) find the keys.
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    Ready(port, status);
    if (status == 200) break;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(status, 200);
  EXPECT_GT(Count(port, bob), 0);

  // Down again later: the keys already known keep serving.
  Admin("POST", "/__admin/fault?mode=down");
  std::this_thread::sleep_for(3s);  // past a refresh (the TTL is clamped to 2 s)
  EXPECT_GT(Count(port, bob), 0);
  Ready(port, status);
  EXPECT_EQ(status, 200);
  std::string rest = StopServer();
  EXPECT_NE((log + rest).find("fetch failed"), std::string::npos) << log << rest;

  // The audit log shows which keys could verify tokens when: none at the
  // start of this run, then the provider's keys once it answered.
  std::vector<json::object> key_sets;
  std::ifstream audit_log(*dir_ / "audit" / "audit.log");
  for (std::string line; std::getline(audit_log, line);) {
    json::object record = json::parse(line).as_object();
    if (record.at("kind").as_string() == "start") key_sets.clear();  // this run's only
    if (record.at("kind").as_string() == "keyset") key_sets.push_back(record);
  }
  ASSERT_GE(key_sets.size(), 2u);
  EXPECT_EQ(key_sets.front().at("issuer").as_string(), *issuer_);
  EXPECT_FALSE(key_sets.front().at("ready").as_bool());
  EXPECT_TRUE(key_sets.front().at("kids").as_array().empty());
  EXPECT_TRUE(key_sets[1].at("ready").as_bool());
  EXPECT_EQ(key_sets[1].at("kids").as_array().size(), 3u) << json::serialize(key_sets[1]);
}

TEST_F(OidcServerTest, SlowProviderDelaysNoRequestBeyondTheBound) {
  const std::string before = AccessToken("bob@acme.example", "bob-password", "ES256");
  WriteConfig("[acme]", "    fetch_timeout_ms: 1000\n    unknown_kid_window_seconds: 1\n");
  std::string log;
  uint16_t port = StartServer(log);
  ASSERT_NE(port, 0) << log;
  ASSERT_GT(Count(port, before), 0);
  // A new signing key, then a provider that takes 8 s to answer for keys.
  std::string old_kid = Header(before).second;
  Admin("POST", "/__admin/rotate?alg=ES256");
  const std::string after = AccessToken("bob@acme.example", "bob-password", "ES256");
  ASSERT_NE(Header(after).second, old_kid);
  Admin("POST", "/__admin/fault?mode=slow&delayMs=8000");

  // The new kid needs a refetch, which times out after 1 s: refused, fast.
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Count(port, after), -403);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_LT(waited, 3s) << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count() << " ms";
  // A known kid never waits on the provider.
  start = std::chrono::steady_clock::now();
  EXPECT_GT(Count(port, before), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);

  // Once the provider answers again, the new key is found (one refetch).
  Admin("POST", "/__admin/fault?mode=ok");
  std::this_thread::sleep_for(1100ms);  // the unknown-kid window
  EXPECT_GT(Count(port, after), 0);
}

}  // namespace
}  // namespace tessera
