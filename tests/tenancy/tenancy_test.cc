// Multi-tenancy through the App: the tenant comes from a claim and selects
// its own SQLite file, PostgreSQL database or PostgreSQL schema, its model
// (the shared base, or base plus an overlay of extra cubes), and its cache
// namespace. Ids that could reach outside their folder or schema are refused,
// a thousand tenants share one compiled model, and data sources open lazily
// and close when idle.
#include <atomic>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "driver/pg_test_server.h"
#include "tenancy/tenancy_support.h"

namespace tessera::policy_test {
namespace {

constexpr char kCountQuery[] = R"({"measures":["Orders.count"]})";

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class TenancyTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    shop_ = new ShopDatabase("tessera-tenancy");
    // acme has a's rows, globex c's rows; initech has no file.
    fs::create_directories(shop_->dir() / "tenants");
    ShopDatabase::Write((shop_->dir() / "tenants" / "acme.db").string(), "a");
    ShopDatabase::Write((shop_->dir() / "tenants" / "globex.db").string(), "c");
    // The base model on disk, and an overlay for acme with one more cube.
    WriteFile(shop_->dir() / "model" / "shop.yml", ShopDatabase::kModel);
    WriteFile(shop_->dir() / "overlays" / "acme" / "regions.yml", R"(cubes:
  - name: AcmeRegions
    sql: "SELECT DISTINCT region FROM orders"
    measures:
      - name: count
        type: count
    dimensions:
      - name: region
        sql: region
        type: string
        primary_key: true
)");
    // A broken overlay: it redefines a base cube.
    WriteFile(shop_->dir() / "overlays" / "globex" / "orders.yml", "cubes:\n  - name: Orders\n    sql_table: orders\n");
  }
  static void TearDownTestSuite() {
    delete shop_;
    shop_ = nullptr;
  }

 protected:
  static std::string Config(const std::string& extra = "") {
    return "tenancy:\n  claim: org\n  data_source:\n    type: sqlite\n    file: tenants/{tenant}.db\n" + extra;
  }
  static absl::StatusOr<std::shared_ptr<tenancy::TenantDirectory>> MakeDirectory(const std::string& config,
                                                                                 driver::DataSourcePtr shared = nullptr) {
    return Directory(shop_->model(), config, shop_->dir(), std::move(shared), "role",
                     (shop_->dir() / "model").string());
  }
  static std::unique_ptr<api::App> MakeApp(const std::string& config) {
    auto directory = MakeDirectory(config);
    if (!directory.ok()) {
      ADD_FAILURE() << directory.status();
      return nullptr;
    }
    return TenantApp(*directory);
  }
  static int64_t Truth(const std::string& tenant) {
    Sqlite db(shop_->db(), true);
    return db.Count("SELECT count(*) FROM orders WHERE tenant_id = " + SqlQuote(tenant));
  }
  static int64_t LoadCount(api::App& app, const std::string& token, const std::string& query = kCountQuery,
                           const std::string& measure = "Orders.count") {
    json::array rows = Rows(LoadAs(app, query, token));
    return rows.size() == 1 ? CellInt(rows[0], measure) : -1;
  }

  static ShopDatabase* shop_;
};

ShopDatabase* TenancyTest::shop_ = nullptr;

TEST_F(TenancyTest, EachTenantReadsItsOwnDatabase) {
  auto app = MakeApp(Config());
  ASSERT_NE(app, nullptr);
  ASSERT_NE(Truth("a"), Truth("c"));
  // Twice: the second answers come from the caches, which must keep tenants apart.
  for (int pass = 0; pass < 2; ++pass) {
    EXPECT_EQ(LoadCount(*app, Token({{"org", "acme"}})), Truth("a")) << pass;
    EXPECT_EQ(LoadCount(*app, Token({{"org", "globex"}})), Truth("c")) << pass;
  }
  // The same claims apart from the tenant: one fingerprint per token, but the
  // namespaces differ too.
  EXPECT_EQ(LoadCount(*app, Token({{"org", "acme"}, {"sub", "x"}})), Truth("a"));
  EXPECT_EQ(LoadCount(*app, Token({{"org", "globex"}, {"sub", "x"}})), Truth("c"));
}

TEST_F(TenancyTest, MissingOrMalformedTenantClaimIsRefused) {
  auto app = MakeApp(Config());
  ASSERT_NE(app, nullptr);
  const std::string missing = R"x({"error":"Security context is missing the tenant ('org')"})x";
  for (const std::string& token : std::vector<std::string>{Token({{"sub", "x"}}), Token({{"org", json::array{"acme"}}}),
                                   Token({{"org", json::object{{"id", "acme"}}}}), Token({{"org", nullptr}}),
                                   Token({{"org", true}})}) {
    http::Response r = LoadAs(*app, kCountQuery, token);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body, missing);
    EXPECT_EQ(GetAs(*app, "meta", token).status, 403);
  }
}

TEST_F(TenancyTest, IdsThatCouldLeaveTheirFolderAreRefused) {
  auto app = MakeApp(Config("  id_pattern: \".*\"\n"));
  ASSERT_NE(app, nullptr);
  // Even with a pattern that allows anything.
  for (const std::string& id : std::vector<std::string>{"../tenants/acme", "acme/../globex", ".hidden", "..", "a b", "acme\\x", "", "a'b",
                               "acme\n", std::string(129, 'a'), "acme;", "t%", "\xc3\xa9t\xc3\xa9"}) {
    http::Response r = LoadAs(*app, kCountQuery, Token({{"org", id}}));
    EXPECT_EQ(r.status, 403) << id;
    EXPECT_EQ(r.body, R"({"error":"The token's tenant is not allowed"})") << id;
  }
  EXPECT_EQ(LoadCount(*app, Token({{"org", "acme"}})), Truth("a"));
}

TEST_F(TenancyTest, IdPatternAndAllowListNarrowTheTenants) {
  auto app = MakeApp(Config("  id_pattern: \"^[a-z]+$\"\n  allowed: [acme, initech]\n"));
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(LoadCount(*app, Token({{"org", "acme"}})), Truth("a"));
  EXPECT_EQ(LoadAs(*app, kCountQuery, Token({{"org", "globex"}})).status, 403);  // not in the list
  EXPECT_EQ(LoadAs(*app, kCountQuery, Token({{"org", "Acme"}})).status, 403);   // not the pattern
  // Allowed, but no database: 503, and no file is created.
  http::Response r = LoadAs(*app, kCountQuery, Token({{"org", "initech"}}));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"error":"The tenant's database is not available"})");
  EXPECT_FALSE(fs::exists(shop_->dir() / "tenants" / "initech.db"));
  // Numeric ids are ids too.
  auto numeric = MakeApp(Config());
  ASSERT_NE(numeric, nullptr);
  EXPECT_EQ(LoadAs(*numeric, kCountQuery, Token({{"org", 42}})).status, 503);
}

TEST_F(TenancyTest, OverlayAddsCubesForItsTenantOnly) {
  auto directory = MakeDirectory(Config("  model_overlay: overlays/{tenant}\n"));
  ASSERT_TRUE(directory.ok()) << directory.status();
  ShopDatabase::Write((shop_->dir() / "tenants" / "hooli.db").string(), "b");
  auto app = TenantApp(*directory);
  ASSERT_NE(app, nullptr);
  std::string acme = Token({{"org", "acme"}});
  std::string hooli = Token({{"org", "hooli"}});
  EXPECT_TRUE(Meta(*app, acme).HasCube("AcmeRegions"));
  EXPECT_TRUE(Meta(*app, acme).HasCube("Orders"));
  EXPECT_FALSE(Meta(*app, hooli).HasCube("AcmeRegions"));
  EXPECT_EQ(LoadCount(*app, acme, R"({"measures":["AcmeRegions.count"]})", "AcmeRegions.count"), 3);
  http::Response r = LoadAs(*app, R"({"measures":["AcmeRegions.count"]})", hooli);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(LoadCount(*app, hooli), Truth("b"));
  // globex's overlay redefines Orders: globex is refused (500, details in the
  // log), the others are not affected.
  r = LoadAs(*app, kCountQuery, Token({{"org", "globex"}}));
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(r.body.find("Orders"), std::string::npos) << r.body;
  EXPECT_EQ(LoadCount(*app, acme), Truth("a"));
  // Tenants without an overlay share the base model itself.
  auto t1 = (*directory)->Resolve(json::object{{"org", "hooli"}}, true);
  auto t2 = (*directory)->Resolve(json::object{{"org", "initech"}}, true);
  auto t3 = (*directory)->Resolve(json::object{{"org", "acme"}}, true);
  ASSERT_TRUE(t1.ok() && t2.ok() && t3.ok());
  EXPECT_EQ((*t1)->model.get(), (*t2)->model.get());
  EXPECT_EQ((*t1)->model->model.get(), shop_->model().get());
  EXPECT_NE((*t3)->model.get(), (*t1)->model.get());
  fs::remove(shop_->dir() / "tenants" / "hooli.db");
}

TEST_F(TenancyTest, AThousandTenantsShareOneModelAndTheCacheIsBounded) {
  auto directory = MakeDirectory(Config("  max_tenants: 100\n"));
  ASSERT_TRUE(directory.ok()) << directory.status();
  const tenancy::TenantModel* shared = nullptr;
  for (int i = 0; i < 1000; ++i) {
    auto t = (*directory)->Resolve(json::object{{"org", "t" + std::to_string(i)}}, true);
    ASSERT_TRUE(t.ok()) << t.status();
    if (shared == nullptr) shared = (*t)->model.get();
    ASSERT_EQ((*t)->model.get(), shared);
    EXPECT_EQ((*t)->cache_namespace, "tenant:t" + std::to_string(i) + "\n");
  }
  EXPECT_EQ((*directory)->cached_tenants(), 100u);
  // Resolving opens nothing: data sources open with the first query.
  EXPECT_EQ((*directory)->open_sources(), 0u);
}

TEST_F(TenancyTest, DataSourcesOpenLazilyAndCloseWhenIdle) {
  std::atomic<int64_t> now_s{1000};
  tenancy::TenantDirectoryOptions options;
  options.roles_claim = "role";
  options.config_dir = shop_->dir().string();
  auto config = tenancy::ReadTenancyConfig(Config("  idle_seconds: 60\n  max_open_sources: 1\n"), "tessera.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  options.tenancy = *config;
  options.pool.background_sweeper = false;
  options.pool.now = [&] { return std::chrono::steady_clock::time_point(std::chrono::seconds(now_s.load())); };
  auto directory = tenancy::TenantDirectory::Create(std::move(options), shop_->model(), nullptr);
  ASSERT_TRUE(directory.ok()) << directory.status();
  std::shared_ptr<tenancy::TenantDirectory> dir = *std::move(directory);
  auto app = TenantApp(dir);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(dir->open_sources(), 0u);
  EXPECT_EQ(GetAs(*app, "meta", Token({{"org", "acme"}})).status, 200);
  EXPECT_EQ(dir->open_sources(), 0u);  // /meta needs no database
  EXPECT_EQ(LoadCount(*app, Token({{"org", "acme"}})), Truth("a"));
  EXPECT_EQ(dir->open_sources(), 1u);
  // max_open_sources 1: globex's source replaces acme's.
  EXPECT_EQ(LoadCount(*app, Token({{"org", "globex"}})), Truth("c"));
  EXPECT_EQ(dir->open_sources(), 1u);
  now_s += 59;
  EXPECT_EQ(dir->CloseIdleSources(), 0u);
  now_s += 2;
  EXPECT_EQ(dir->CloseIdleSources(), 1u);
  EXPECT_EQ(dir->open_sources(), 0u);
  // A closed source reopens on the next query (a new query text: not cached).
  EXPECT_EQ(LoadCount(*app, Token({{"org", "acme"}}), R"({"measures":["Orders.count"],"limit":7})"), Truth("a"));
  EXPECT_EQ(dir->open_sources(), 1u);
}

TEST_F(TenancyTest, DevModeUsesTheSharedDatabaseOrNone) {
  auto own = MakeDirectory(Config());
  ASSERT_TRUE(own.ok()) << own.status();
  api::App dev(DefaultOptions(), *own, identity::MakeDevModeIdentity());
  http::Response r = testing::Load(dev, kCountQuery);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("every tenant has its own data source"), std::string::npos) << r.body;
  // Tenancy over a shared database (tenants differ by model or rules): dev
  // mode sees the base model over it.
  auto shared = MakeDirectory("tenancy:\n  claim: org\n", OpenSqlite(shop_->db()));
  ASSERT_TRUE(shared.ok()) << shared.status();
  api::App dev2(DefaultOptions(), *shared, identity::MakeDevModeIdentity());
  json::array rows = Rows(testing::Load(dev2, kCountQuery));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(CellInt(rows[0], "Orders.count"), ShopDatabase::kOrders);
}

TEST_F(TenancyTest, ConfigurationErrorsNameTheFileAndLine) {
  struct Case {
    std::string yaml;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"tenancy:\n  data_source: {type: sqlite, file: \"t/{tenant}.db\"}\n", "tessera.yaml:2: tenancy: 'claim' names"},
      {"tenancy:\n  claim: org\n  data_source: {type: mysql}\n", "tessera.yaml:3: tenancy.data_source: 'type' is sqlite or postgres"},
      {"tenancy:\n  claim: org\n  data_source: {type: sqlite, file: shared.db}\n",
       "tessera.yaml:3: tenancy.data_source: sqlite: 'file' is a path containing {tenant}"},
      {"tenancy:\n  claim: org\n  data_source: {type: postgres, database: analytics}\n",
       "tessera.yaml:3: tenancy.data_source: postgres: 'database' or 'schema' must contain {tenant}"},
      {"tenancy:\n  claim: org\n  id_pattern: \"([a-z\"\n", "tessera.yaml:3: tenancy: invalid pattern"},
      {"tenancy:\n  claim: org\n  max_tenants: 0\n", "tessera.yaml:3: tenancy: 'max_tenants' is a whole number"},
      {"tenancy:\n  claim: org\n  model_overlay: overlays\n", "tessera.yaml:3: tenancy: 'model_overlay' must contain {tenant}"},
      {"tenancy:\n  claim: org\n  tenant_claim: x\n", "tessera.yaml:3: tenancy: unknown key 'tenant_claim'"},
      {"tenancy: [org]\n", "tessera.yaml:1: 'tenancy' must be a mapping"},
  };
  for (const Case& c : cases) {
    auto directory = MakeDirectory(c.yaml, OpenSqlite(shop_->db()));
    ASSERT_FALSE(directory.ok()) << c.yaml;
    std::string message(directory.status().message());
    EXPECT_EQ(message.rfind(c.message, 0), 0u) << "expected: " << c.message << "\n     got: " << message;
  }
  // Tenants sharing the database need one.
  auto none = MakeDirectory("tenancy:\n  claim: org\n", nullptr);
  EXPECT_FALSE(none.ok());
}

TEST(ExpandTenantTest, ReplacesEveryMark) {
  EXPECT_EQ(tenancy::ExpandTenant("tenants/{tenant}.db", "acme"), "tenants/acme.db");
  EXPECT_EQ(tenancy::ExpandTenant("{tenant}_{tenant}", "x"), "x_x");
  EXPECT_EQ(tenancy::ExpandTenant("none", "x"), "none");
  EXPECT_EQ(tenancy::ExpandTenant("{tenant", "x"), "{tenant");
}

// ---------------------------------------------------------------------------
// PostgreSQL: a schema per tenant and a database per tenant, on the test
// server (skipped without TESSERA_TEST_PG_PORT).

class PgTenancyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!driver::testing::HavePgServer()) GTEST_SKIP() << "TESSERA_TEST_PG_PORT is not set";
  }
  // Orders of one tenant, in `schema` of the connected database.
  static void CreateOrders(driver::testing::AdminConnection& admin, const std::string& schema, int rows,
                           const std::string& tenant) {
    admin.Run("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    admin.Run("CREATE SCHEMA " + schema);
    admin.Run("CREATE TABLE " + schema +
              ".orders (id integer primary key, tenant_id text, customer_id integer, status text, region text, "
              "amount integer, created_at timestamp)");
    admin.Run("CREATE TABLE " + schema + ".customers (id integer primary key, tenant_id text, country text)");
    admin.Run("CREATE TABLE " + schema + ".products (id integer primary key, name text)");
    admin.Run("INSERT INTO " + schema + ".orders SELECT g, '" + tenant +
              "', 1, 'completed', 'eu', g, timestamp '2023-01-01' FROM generate_series(1, " + std::to_string(rows) +
              ") g");
  }
  static model::CompiledModelPtr Model() {
    std::string errors;
    model::CompiledModelPtr m = LoadModel(ShopDatabase::kModel, &errors);
    EXPECT_TRUE(m) << errors;
    return m;
  }
  static absl::StatusOr<std::shared_ptr<tenancy::TenantDirectory>> PgDirectory(const std::string& source_yaml) {
    tenancy::TenantDirectoryOptions options;
    options.shared_database = driver::testing::PgConfig(2);
    auto config = tenancy::ReadTenancyConfig("tenancy:\n  claim: org\n  data_source:\n" + source_yaml, "tessera.yaml");
    if (!config.ok()) return config.status();
    options.tenancy = *config;
    auto directory = tenancy::TenantDirectory::Create(std::move(options), Model(), nullptr);
    if (!directory.ok()) return directory.status();
    return std::shared_ptr<tenancy::TenantDirectory>(*std::move(directory));
  }
};

TEST_F(PgTenancyTest, SchemaPerTenant) {
  {
    driver::testing::AdminConnection admin;
    CreateOrders(admin, "tenant_red", 7, "red");
    CreateOrders(admin, "tenant_blue", 11, "blue");
  }
  auto directory = PgDirectory("    type: postgres\n    schema: \"tenant_{tenant}\"\n    schema_pattern: \"^tenant_[a-z]+$\"\n");
  ASSERT_TRUE(directory.ok()) << directory.status();
  auto app = TenantApp(*directory);
  ASSERT_NE(app, nullptr);
  for (int pass = 0; pass < 2; ++pass) {
    json::array red = Rows(LoadAs(*app, kCountQuery, Token({{"org", "red"}})));
    json::array blue = Rows(LoadAs(*app, kCountQuery, Token({{"org", "blue"}})));
    ASSERT_EQ(red.size(), 1u);
    ASSERT_EQ(blue.size(), 1u);
    EXPECT_EQ(CellInt(red[0], "Orders.count"), 7);
    EXPECT_EQ(CellInt(blue[0], "Orders.count"), 11);
  }
  // The id passes the id pattern but the schema name fails the schema allow-list.
  http::Response r = LoadAs(*app, kCountQuery, Token({{"org", "Red1"}}));
  EXPECT_EQ(r.status, 403) << r.body;
  // Ids that would be SQL or search_path syntax never reach the server.
  for (const std::string& id : std::vector<std::string>{"red;DROP SCHEMA tenant_blue", "red\", public", "red,public",
                                                         "red public", "red'--", "red$1", "red\\"}) {
    r = LoadAs(*app, kCountQuery, Token({{"org", id}}));
    EXPECT_EQ(r.status, 403) << id << " -> " << r.body;
  }
  // A tenant whose schema does not exist: an error, never another schema's rows.
  r = LoadAs(*app, kCountQuery, Token({{"org", "green"}}));
  EXPECT_NE(r.status, 200) << r.body;
  driver::testing::AdminConnection admin;
  admin.Run("DROP SCHEMA tenant_red CASCADE");
  admin.Run("DROP SCHEMA tenant_blue CASCADE");
}

TEST_F(PgTenancyTest, DatabasePerTenant) {
  {
    driver::testing::AdminConnection admin;
    for (const std::string& db : std::vector<std::string>{"tessera_tenant_north", "tessera_tenant_south"}) {
      admin.Run("DROP DATABASE IF EXISTS " + db);
      admin.Run("CREATE DATABASE " + db);
    }
  }
  for (const auto& [db, rows] : std::vector<std::pair<std::string, int>>{{"tessera_tenant_north", 5},
                                                                        {"tessera_tenant_south", 9}}) {
    setenv("TESSERA_TEST_PG_DB", db.c_str(), 1);
    driver::testing::AdminConnection admin;
    CreateOrders(admin, "shop", rows, db);
    admin.Run("ALTER DATABASE " + db + " SET search_path = shop");
  }
  unsetenv("TESSERA_TEST_PG_DB");
  auto directory = PgDirectory("    type: postgres\n    database: \"tessera_tenant_{tenant}\"\n");
  ASSERT_TRUE(directory.ok()) << directory.status();
  auto app = TenantApp(*directory);
  ASSERT_NE(app, nullptr);
  json::array north = Rows(LoadAs(*app, kCountQuery, Token({{"org", "north"}})));
  json::array south = Rows(LoadAs(*app, kCountQuery, Token({{"org", "south"}})));
  ASSERT_EQ(north.size(), 1u);
  ASSERT_EQ(south.size(), 1u);
  EXPECT_EQ(CellInt(north[0], "Orders.count"), 5);
  EXPECT_EQ(CellInt(south[0], "Orders.count"), 9);
  http::Response r = LoadAs(*app, kCountQuery, Token({{"org", "east"}}));
  EXPECT_EQ(r.status, 503) << r.body;
  app.reset();
  directory->reset();
  driver::testing::AdminConnection admin;
  for (const std::string& db : std::vector<std::string>{"tessera_tenant_north", "tessera_tenant_south"}) {
    admin.Run("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  }
}

}  // namespace
}  // namespace tessera::policy_test
