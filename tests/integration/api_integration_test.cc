// The API end to end: the real HTTP server in front of the App, over a
// SQLite demo database generated for the test (and PostgreSQL when the test
// command provides one). What the differential tests cannot show lives here:
// transport limits, long polling, caching, bound parameters, readiness.
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "api/app.h"
#include "demo/demo_data.h"
#include "driver/data_source.h"
#include "http/server.h"
#include "http/test_client.h"
#include "model/compiled_model.h"
#include "support/app_harness.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using tessera::testing::Call;
using tessera::testing::Json;
using tessera::testing::Load;

std::string SourceDir() {
  const char* env = std::getenv("TESSERA_SOURCE_DIR");
  return env ? env : TESSERA_SOURCE_DIR;
}

std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

int64_t SqliteCount(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr);
  int64_t n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

class ApiIntegrationTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("tessera-it-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    db_ = (dir_ / "ecom.db").string();
    demo::DemoDataOptions small;
    small.orders = 20000;
    ASSERT_TRUE(demo::CreateSqliteDemoDatabase(db_, small).ok());
    model::LoadResult loaded = model::LoadModelDirectory(SourceDir() + "/demo/model");
    ASSERT_TRUE(loaded.model);
    model_ = loaded.model;
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

 protected:
  static driver::DataSourcePtr Sqlite() {
    driver::DataSourceConfig c;
    c.type = "sqlite";
    c.database = db_;
    return *driver::OpenDataSource(c);
  }
  static std::unique_ptr<api::App> MakeApp(api::AppOptions options = {},
                                           driver::DataSourcePtr source = nullptr,
                                           model::CompiledModelPtr model = nullptr) {
    options.worker_threads = 2;
    return std::make_unique<api::App>(options, model ? model : model_, source ? source : Sqlite(),
                                      identity::MakeDevModeIdentity());
  }

  static fs::path dir_;
  static std::string db_;
  static model::CompiledModelPtr model_;
};

fs::path ApiIntegrationTest::dir_;
std::string ApiIntegrationTest::db_;
model::CompiledModelPtr ApiIntegrationTest::model_;

// Serves `app` on a free loopback port for the life of the object.
class LiveServer {
 public:
  LiveServer(std::shared_ptr<http::Handler> handler, http::ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    server_ = *http::Server::Create(options, std::move(handler));
    server_->Start();
  }
  ~LiveServer() { server_->Stop(); }
  uint16_t port() const { return server_->port(); }

  std::optional<http::testing::RawResponse> Get(const std::string& target) {
    http::testing::RawClient client(port());
    client.Send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    return client.ReadResponse(false, std::chrono::seconds(30));
  }

 private:
  std::unique_ptr<http::Server> server_;
};

TEST_F(ApiIntegrationTest, TutorialCurlQueryOverHttp) {
  std::shared_ptr<api::App> app = MakeApp();
  LiveServer server(app);
  auto r = server.Get("/cubejs-api/v1/load?query=" +
                      UrlEncode(R"({"measures": ["Orders.count"], "dimensions": ["Orders.status"]})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(*r->Header("access-control-allow-origin"), "*");
  json::value body = json::parse(r->body);
  const auto& data = body.at("data").as_array();
  ASSERT_EQ(data.size(), 4u);
  int64_t sum = 0;
  for (const auto& row : data) {
    std::string status(row.at("Orders.status").as_string());
    int64_t n = std::stoll(std::string(row.at("Orders.count").as_string()));
    EXPECT_EQ(n, SqliteCount(db_, "SELECT count(*) FROM orders WHERE status = '" + status + "'")) << status;
    sum += n;
  }
  EXPECT_EQ(sum, 20000);
  // Cube's default order: first measure descending.
  for (size_t i = 1; i < data.size(); ++i) {
    EXPECT_GE(std::stoll(std::string(data[i - 1].at("Orders.count").as_string())),
              std::stoll(std::string(data[i].at("Orders.count").as_string())));
  }
  EXPECT_EQ(body.at("dbType"), "sqlite");
}

TEST_F(ApiIntegrationTest, PostBodyGivesTheSameAnswerAsGet) {
  auto app = MakeApp();
  std::string q = R"({"measures":["Orders.totalAmount"],"dimensions":["Products.category"]})";
  http::Response get = Load(*app, q);
  http::Response post = Call(*app, "POST", "/cubejs-api/v1/load", {}, R"({"query":)" + q + "}");
  ASSERT_EQ(get.status, 200);
  ASSERT_EQ(post.status, 200);
  EXPECT_EQ(Json(get).at("data"), Json(post).at("data"));
}

TEST_F(ApiIntegrationTest, OversizedBodyAndUrlAreRefused) {
  std::shared_ptr<api::App> app = MakeApp();
  http::ServerOptions options;
  options.max_body_bytes = 1024;
  options.max_target_bytes = 2048;
  LiveServer server(app, options);
  {
    http::testing::RawClient client(server.port());
    std::string body(4096, 'x');
    client.Send("POST /cubejs-api/v1/load HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 4096\r\n\r\n" + body);
    auto r = client.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
  }
  auto r = server.Get("/cubejs-api/v1/load?query=" + std::string(4096, 'a'));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 414);
}

TEST_F(ApiIntegrationTest, BadInputIsAUserError) {
  auto app = MakeApp();
  struct Case { std::string query; std::string fragment; };
  for (const Case& c : std::vector<Case>{
           {R"({"measures": ["Orders.count"])", "JSON"},
           {R"({"measures": ["Orders.nope"]})", "'nope' not found for path 'Orders.nope'"},
           {R"({"measures": ["Nope.count"]})", "Cube 'Nope' not found for path 'Nope.count'"},
           {R"({"measures": ["Orders.count"], "limit": -1})", "limit"},
           {R"({"measures": ["Orders.count"], "limit": 1000000})", "limit"},
           {R"({"measures": ["Orders.count"], "timezone": "Mars/Base"})", "Mars/Base"},
           {R"({"measures": ["Orders.count"], "filters": [{"member": "Orders.status", "operator": "like", "values": ["x"]}]})", "filters"},
           {R"({"measures": ["Orders.count"], "filters": [{"member": "Orders.status", "operator": "equals"}]})", "Values required"},
           {R"({"measures": ["Orders.count"], "timeDimensions": [{"dimension": "Orders.createdAt", "dateRange": ["2024-13-01", "2024-12-01"]}]})", "2024-13-01"},
       }) {
    http::Response r = Load(*app, c.query);
    EXPECT_EQ(r.status, 400) << c.query << " -> " << r.body;
    json::value v = Json(r);
    ASSERT_TRUE(v.is_object()) << r.body;
    EXPECT_EQ(v.at("type"), "UserError") << r.body;
    EXPECT_NE(std::string(v.at("error").as_string()).find(c.fragment), std::string::npos)
        << c.query << " -> " << r.body;
  }
  http::Response missing = Call(*app, "GET", "/cubejs-api/v1/load");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Json(missing).at("error"), "query param is required");
}

TEST_F(ApiIntegrationTest, FilterValuesAreBoundParametersNeverSqlText) {
  auto app = MakeApp();
  const std::string evil = "completed' OR '1'='1";
  std::string q = R"({"measures":["Orders.count"],"filters":[{"member":"Orders.status","operator":"equals","values":[)" +
                  json::serialize(json::string(evil)) + "]}]}";
  http::Response r = Load(*app, q);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("data").as_array()[0].at("Orders.count"), "0");
  http::Response sql = Call(*app, "GET", "/cubejs-api/v1/sql", {{"query", q}});
  ASSERT_EQ(sql.status, 200);
  json::value s = Json(sql);
  std::string text(s.at("sql").at("sql").as_array()[0].as_string());
  EXPECT_EQ(text.find("OR '1'"), std::string::npos) << text;
  const auto& params = s.at("sql").at("sql").as_array()[1].as_array();
  EXPECT_NE(std::find(params.begin(), params.end(), json::value(evil)), params.end());
}

TEST_F(ApiIntegrationTest, RepeatedQueryIsServedFromCacheUntilRenewed) {
  auto app = MakeApp();
  std::string q = R"({"measures":["Orders.count"],"dimensions":["Users.city"]})";
  http::Response first = Load(*app, q);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  http::Response second = Load(*app, q);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(Json(first).at("lastRefreshTime"), Json(second).at("lastRefreshTime"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::string renew = R"({"measures":["Orders.count"],"dimensions":["Users.city"],"renewQuery":true})";
  http::Response third = Load(*app, renew);
  ASSERT_EQ(third.status, 200) << third.body;
  EXPECT_NE(Json(first).at("lastRefreshTime"), Json(third).at("lastRefreshTime"));
  EXPECT_EQ(Json(first).at("data"), Json(third).at("data"));
  // After the renewal the plain query sees the renewed result, not the
  // response kept from before it.
  http::Response fourth = Load(*app, q);
  EXPECT_EQ(Json(third).at("lastRefreshTime"), Json(fourth).at("lastRefreshTime"));
}

TEST_F(ApiIntegrationTest, SlowQueryAnswersContinueWaitThenTheResult) {
  // A cube whose SQL takes far longer than the 50 ms long-polling interval.
  auto loaded = model::LoadModelFiles({{"slow.yml", R"(cubes:
  - name: Slow
    sql: >
      WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000)
      SELECT x AS id FROM c
    measures:
      - name: count
        type: count
)"}});
  ASSERT_TRUE(loaded.model) << loaded.errors.front().ToString();
  api::AppOptions options;
  options.continue_wait = std::chrono::milliseconds(50);
  auto app = MakeApp(options, nullptr, loaded.model);
  std::string q = R"({"measures":["Slow.count"]})";
  http::Response first = Call(*app, "GET", "/cubejs-api/v1/load", {{"query", q}});
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, R"({"error":"Continue wait"})");
  http::Response done = Load(*app, q);  // repeats while "Continue wait"
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Json(done).at("data").as_array()[0].at("Slow.count"), "3000000");
}

TEST_F(ApiIntegrationTest, HavingOnAMultipliedMeasureUsesDeduplicatedSums) {
  // Orders has_many LineItems, so joining them repeats each order's amount
  // (about twice). A filter on Orders.totalAmount that is not selected must
  // still compare the true, de-duplicated sum: with the threshold just under
  // the second-largest true total exactly two statuses pass, while inflated
  // sums would let the third through as well.
  auto app = MakeApp();
  http::Response all = Load(*app, R"({"measures":["LineItems.count","Orders.totalAmount"],"dimensions":["Orders.status"]})");
  ASSERT_EQ(all.status, 200) << all.body;
  json::value rows = Json(all).at("data");
  std::vector<std::pair<double, std::string>> totals;
  for (const auto& r : rows.as_array()) {
    totals.emplace_back(std::stod(std::string(r.at("Orders.totalAmount").as_string())),
                        std::string(r.at("Orders.status").as_string()));
  }
  ASSERT_GE(totals.size(), 3u);
  std::sort(totals.rbegin(), totals.rend());
  std::string threshold = std::to_string(static_cast<int64_t>(totals[1].first) - 1);
  http::Response filtered = Load(*app, R"({"measures":["LineItems.count"],"dimensions":["Orders.status"],"filters":[{"member":"Orders.totalAmount","operator":"gt","values":[")" + threshold + R"("]}]})");
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  std::set<std::string> passed;
  json::value filtered_json = Json(filtered);
  for (const auto& r : filtered_json.at("data").as_array()) {
    passed.insert(std::string(r.at("Orders.status").as_string()));
  }
  EXPECT_EQ(passed, (std::set<std::string>{totals[0].second, totals[1].second})) << filtered.body;
}

TEST_F(ApiIntegrationTest, SecurityContextValuesNeverDefaultToEmpty) {
  auto loaded = model::LoadModelFiles({{"t.yml", R"(cubes:
  - name: Mine
    sql: "SELECT * FROM orders WHERE tenant_id = {securityContext.tenant_id}"
    measures:
      - name: count
        type: count
)"}});
  ASSERT_TRUE(loaded.model);
  auto app = MakeApp({}, nullptr, loaded.model);
  http::Response r = Load(*app, R"({"measures":["Mine.count"]})");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("tenant_id"), std::string::npos);
}

TEST_F(ApiIntegrationTest, MetaListsOnlyPublicMembers) {
  auto app = MakeApp();
  http::Response r = Call(*app, "GET", "/cubejs-api/v1/meta");
  ASSERT_EQ(r.status, 200);
  std::set<std::string> names;
  json::value meta = Json(r);
  for (const auto& cube : meta.at("cubes").as_array()) {
    for (const auto& d : cube.at("dimensions").as_array()) names.insert(std::string(d.at("name").as_string()));
  }
  EXPECT_TRUE(names.count("Orders.status"));
  EXPECT_FALSE(names.count("Orders.userId"));  // public: false in the demo model
}

TEST_F(ApiIntegrationTest, CorsPreflightAndUnknownPaths) {
  auto app = MakeApp();
  http::Response pre = Call(*app, "OPTIONS", "/cubejs-api/v1/load");
  EXPECT_EQ(pre.status, 204);
  http::Response nope = Call(*app, "GET", "/cubejs-api/v1/nope");
  EXPECT_EQ(nope.status, 404);
  EXPECT_EQ(Call(*app, "GET", "/livez").status, 200);
  EXPECT_EQ(Call(*app, "GET", "/readyz").status, 200);
}

TEST_F(ApiIntegrationTest, DatabaseDownFailsFastAndReadyzSaysSo) {
  driver::DataSourceConfig pg;
  pg.type = "postgres";
  pg.host = "127.0.0.1";
  pg.port = 1;  // nothing listens on port 1
  pg.database = "ecom";
  pg.user = "postgres";
  pg.password = "s3cret-password";
  pg.connect_timeout = std::chrono::milliseconds(2000);
  auto source = driver::OpenDataSource(pg);
  ASSERT_TRUE(source.ok()) << source.status();
  auto app = MakeApp({}, *source);
  http::Response ready = Call(*app, "GET", "/readyz");
  EXPECT_EQ(ready.status, 503);
  http::Response r = Load(*app, R"({"measures":["Orders.count"]})");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.body.find("s3cret-password"), std::string::npos);
}

// Runs scripts/pg-test-server.sh; returns its stdout.
std::string PgServer(const std::string& args) {
  std::string cmd = SourceDir() + "/scripts/pg-test-server.sh " + args + " 2>/dev/null";
  std::string out;
  if (FILE* f = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, f)) out += buf;
    ::pclose(f);
  }
  return out;
}

int PortFrom(const std::string& vars) {
  size_t at = vars.find("PGPORT=");
  return at == std::string::npos ? 0 : std::atoi(vars.c_str() + at + 7);
}

TEST_F(ApiIntegrationTest, PostgresOutageIsReportedAndRecoveredFrom) {
  // A PostgreSQL of this test's own, stopped and started again under a live App.
  std::string pgdir = (dir_ / "pg-outage").string();
  int port = PortFrom(PgServer("start " + pgdir));
  ASSERT_GT(port, 0) << "could not start PostgreSQL with scripts/pg-test-server.sh";
  auto loaded = model::LoadModelFiles({{"one.yml", R"(cubes:
  - name: One
    sql: "SELECT 1 AS id UNION ALL SELECT 2"
    measures:
      - name: count
        type: count
)"}});
  ASSERT_TRUE(loaded.model);
  driver::DataSourceConfig pg;
  pg.type = "postgres";
  pg.host = "127.0.0.1";
  pg.port = port;
  pg.database = "ecom";
  pg.user = "postgres";
  pg.connect_timeout = std::chrono::milliseconds(2000);
  api::AppOptions options;
  options.cache_max_entries = 0;  // every request goes to the database
  auto app = MakeApp(options, *driver::OpenDataSource(pg), loaded.model);
  std::string q = R"({"measures":["One.count"]})";
  EXPECT_EQ(Call(*app, "GET", "/readyz").status, 200);
  EXPECT_EQ(Load(*app, q).status, 200);

  PgServer("stop " + pgdir);
  EXPECT_EQ(Call(*app, "GET", "/readyz").status, 503);
  http::Response down = Load(*app, q);
  EXPECT_EQ(down.status, 503) << down.body;

  ::setenv("PG_FIRST_PORT", std::to_string(port).c_str(), 1);  // ask for the same port back
  int again = PortFrom(PgServer("start " + pgdir));
  ::unsetenv("PG_FIRST_PORT");
  ASSERT_EQ(again, port);
  EXPECT_EQ(Call(*app, "GET", "/readyz").status, 200);
  http::Response up = Load(*app, q);
  EXPECT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(Json(up).at("data").as_array()[0].at("One.count"), "2");
  PgServer("stop " + pgdir);
}

TEST_F(ApiIntegrationTest, PostgresAndSqliteAgree) {
  const char* port = std::getenv("TESSERA_TEST_PG_PORT");
  if (port == nullptr) GTEST_SKIP() << "TESSERA_TEST_PG_PORT is not set";
  driver::DataSourceConfig pg;
  pg.type = "postgres";
  pg.host = "127.0.0.1";
  pg.port = std::atoi(port);
  pg.database = "ecom";
  pg.user = "postgres";
  auto source = driver::OpenDataSource(pg);
  ASSERT_TRUE(source.ok());
  auto pg_app = MakeApp({}, *source);
  EXPECT_EQ(Call(*pg_app, "GET", "/readyz").status, 200);
  // The test command loads the default demo data (100,000 orders) into PostgreSQL.
  http::Response r = Load(*pg_app, R"({"measures":["Orders.count"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("data").as_array()[0].at("Orders.count"), "100000");
  EXPECT_EQ(Json(r).at("dbType"), "postgres");
}

}  // namespace
}  // namespace tessera
