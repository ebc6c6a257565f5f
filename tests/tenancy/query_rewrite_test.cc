// Query rewrite rules (tessera.yaml `query_rewrite:`) through the App: the
// mandatory tenant filter on every cube that has the dimension (also cubes
// only the join path reads), exemptions by role and by claim, required
// filters, claims as bound parameters, /dry-run showing the rewritten query,
// and configuration errors with file and line.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tenancy/tenancy_support.h"

namespace tessera::policy_test {
namespace {

class QueryRewriteTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() { shop_ = new ShopDatabase("tessera-rewrite"); }
  static void TearDownTestSuite() {
    delete shop_;
    shop_ = nullptr;
  }

 protected:
  static std::unique_ptr<api::App> MakeApp(const std::string& config, bool dev_mode = false) {
    auto directory = Directory(shop_->model(), config, shop_->dir(), OpenSqlite(shop_->db()));
    if (!directory.ok()) {
      ADD_FAILURE() << directory.status();
      return nullptr;
    }
    if (!dev_mode) return TenantApp(*directory);
    return std::make_unique<api::App>(DefaultOptions(), *directory, identity::MakeDevModeIdentity());
  }
  static int64_t Count(const std::string& where) {
    Sqlite db(shop_->db(), true);
    return db.Count("SELECT count(*) FROM orders WHERE " + where);
  }
  static int64_t Load(api::App& app, const std::string& token, const std::string& query = kCountQuery) {
    http::Response r = LoadAs(app, query, token);
    json::array rows = Rows(r);
    return rows.size() == 1 ? CellInt(rows[0], "Orders.count") : -1;
  }

  static constexpr char kCountQuery[] = R"({"measures":["Orders.count"]})";
  static ShopDatabase* shop_;
};

ShopDatabase* QueryRewriteTest::shop_ = nullptr;

constexpr char kTenantRule[] = R"(
query_rewrite:
  - name: tenant isolation
    filter:
      dimension: tenant_id
      operator: equals
      values: ["{ securityContext.tenant_id }"]
    except_roles: [admin]
)";

TEST_F(QueryRewriteTest, MandatoryFilterKeepsEachTenantToItsRows) {
  auto app = MakeApp(kTenantRule);
  ASSERT_NE(app, nullptr);
  for (const std::string& t : ShopDatabase::Tenants()) {
    int64_t expected = Count("tenant_id = " + SqlQuote(t));
    ASSERT_GT(expected, 0);
    EXPECT_EQ(Load(*app, Token({{"tenant_id", t}})), expected) << t;
  }
  // The same request text, answered from the caches, still differs per tenant.
  for (const std::string& t : ShopDatabase::Tenants()) {
    EXPECT_EQ(Load(*app, Token({{"tenant_id", t}})), Count("tenant_id = " + SqlQuote(t))) << t;
  }
}

TEST_F(QueryRewriteTest, ExceptRolesAreExempt) {
  auto app = MakeApp(kTenantRule);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(Load(*app, Token({{"tenant_id", "a"}, {"role", "admin"}})), Count("1 = 1"));
  EXPECT_EQ(Load(*app, Token({{"tenant_id", "a"}, {"role", json::array{"viewer", "admin"}}})), Count("1 = 1"));
  EXPECT_EQ(Load(*app, Token({{"tenant_id", "a"}, {"role", "administrator"}})), Count("tenant_id = 'a'"));
}

TEST_F(QueryRewriteTest, RolesAndConditionsChooseWhoARuleAppliesTo) {
  auto app = MakeApp(R"(
query_rewrite:
  - name: viewers see completed orders
    roles: [viewer]
    filter: { member: Orders.status, operator: equals, values: [completed] }
  - name: restricted users see their region
    if: "{ securityContext.restricted }"
    filter: { member: Orders.region, operator: equals, values: ["{ securityContext.region }"] }
)");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(Load(*app, Token({{"role", "viewer"}})), Count("status = 'completed'"));
  EXPECT_EQ(Load(*app, Token({{"role", "editor"}})), Count("1 = 1"));
  EXPECT_EQ(Load(*app, Token({{"restricted", true}, {"region", "eu"}})), Count("region = 'eu'"));
  EXPECT_EQ(Load(*app, Token({{"restricted", false}, {"region", "eu"}})), Count("1 = 1"));
  EXPECT_EQ(Load(*app, Token({{"role", "viewer"}, {"restricted", 1}, {"region", "us"}})),
            Count("status = 'completed' AND region = 'us'"));
}

TEST_F(QueryRewriteTest, DryRunShowsTheRewrittenQueryAndJoinedCubesAreFilteredToo) {
  auto app = MakeApp(kTenantRule);
  ASSERT_NE(app, nullptr);
  std::string token = Token({{"tenant_id", "b"}});
  // Customers is read only through the join; it has a tenant_id too.
  std::string q = R"({"measures":["Orders.count"],"dimensions":["Customers.country"]})";
  http::Response r = GetAs(*app, "dry-run", token, q);
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = testing::Json(r);
  const json::array& filters = v.at("normalizedQueries").at(0).at("filters").as_array();
  std::set<std::string> filtered;
  for (const auto& f : filters) {
    EXPECT_EQ(f.at("operator"), "equals");
    EXPECT_EQ(f.at("values"), (json::array{"b"}));
    filtered.insert(std::string(f.at("member").as_string()));
  }
  EXPECT_EQ(filtered, (std::set<std::string>{"Orders.tenant_id", "Customers.tenant_id"}));

  // The rows agree with the data: orders of tenant b, each with its customer
  // of tenant b (the seed joins some orders to other tenants' customers).
  Sqlite db(shop_->db(), true);
  auto truth = db.Query(
      "SELECT c.country, count(*) FROM orders o JOIN customers c ON o.customer_id = c.id "
      "WHERE o.tenant_id = 'b' AND c.tenant_id = 'b' GROUP BY c.country");
  json::array rows = Rows(LoadAs(*app, q, token));
  ASSERT_EQ(rows.size(), truth.size());
  int64_t sum = 0, expected = 0;
  for (const auto& row : rows) sum += CellInt(row, "Orders.count");
  for (const auto& row : truth) expected += std::stoll(*row[1]);
  EXPECT_EQ(sum, expected);
  EXPECT_LT(expected, Count("tenant_id = 'b'"));  // the seed makes the join filter matter
}

TEST_F(QueryRewriteTest, MissingClaimRefusesOnlyQueriesOnFilteredCubes) {
  auto app = MakeApp(kTenantRule);
  ASSERT_NE(app, nullptr);
  std::string token = Token({{"sub", "someone"}});
  http::Response r = LoadAs(*app, kCountQuery, token);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, R"({"error":"Security context is missing 'tenant_id'"})");
  // Products has no tenant_id: the rule does not concern it.
  r = LoadAs(*app, R"({"measures":["Products.count"]})", token);
  EXPECT_EQ(r.status, 200) << r.body;
  // An empty list is refused too, rather than matching everything or nothing.
  r = LoadAs(*app, kCountQuery, Token({{"tenant_id", json::array{}}}));
  EXPECT_EQ(r.status, 403) << r.body;
}

TEST_F(QueryRewriteTest, ClaimValuesAreBoundParameters) {
  auto app = MakeApp(kTenantRule);
  ASSERT_NE(app, nullptr);
  for (const std::string& evil : std::vector<std::string>{"a' OR '1'='1", "a'; DROP TABLE orders; --", "a\" OR 1=1 --", "%", "a/*"}) {
    std::string token = Token({{"tenant_id", evil}});
    EXPECT_EQ(Load(*app, token), 0) << evil;
    http::Response r = GetAs(*app, "sql", token, kCountQuery);
    ASSERT_EQ(r.status, 200) << r.body;
    json::value v = testing::Json(r);
    std::string sql(v.at("sql").at("sql").at(0).as_string());
    EXPECT_EQ(sql.find(evil), std::string::npos) << sql;
    // The claim is the first parameter (the row limit follows it).
    EXPECT_EQ(v.at("sql").at("sql").at(1).at(0), json::string(evil));
  }
  EXPECT_EQ(Count("1 = 1"), ShopDatabase::kOrders);  // nothing was dropped
  // A list claim becomes several values of one filter.
  EXPECT_EQ(Load(*app, Token({{"tenant_id", json::array{"a", "c"}}})), Count("tenant_id IN ('a', 'c')"));
}

TEST_F(QueryRewriteTest, RequiredFilterRefusesQueriesWithoutIt) {
  auto app = MakeApp(R"(
query_rewrite:
  - name: orders need a date range
    require: { member: Orders.created_at }
    except_roles: [admin]
)");
  ASSERT_NE(app, nullptr);
  std::string token = Token({{"sub", "u"}});
  const std::string refused =
      R"x({"type":"UserError","error":"Query must filter on 'Orders.created_at' (query_rewrite rule 'orders need a date range')"})x";
  for (const std::string& q : {
           std::string(kCountQuery),
           std::string(R"({"measures":["Orders.count"],"timeDimensions":[{"dimension":"Orders.created_at","granularity":"month"}]})"),
           std::string(R"({"measures":["Orders.count"],"filters":[{"member":"Orders.created_at","operator":"set"}]})"),
           std::string(R"({"measures":["Orders.count"],"filters":[{"or":[{"member":"Orders.created_at","operator":"afterDate","values":["2023-01-01"]},{"member":"Orders.status","operator":"set"}]}]})"),
           std::string(R"({"measures":["Customers.count"],"dimensions":["Orders.status"]})"),
       }) {
    http::Response r = LoadAs(*app, q, token);
    EXPECT_EQ(r.status, 400) << q << " -> " << r.body;
    EXPECT_EQ(r.body, refused) << q;
  }
  for (const std::string& q : {
           std::string(R"({"measures":["Orders.count"],"timeDimensions":[{"dimension":"Orders.created_at","dateRange":["2023-01-01","2023-12-31"]}]})"),
           std::string(R"({"measures":["Orders.count"],"filters":[{"member":"Orders.created_at","operator":"afterDate","values":["2023-01-01"]}]})"),
           std::string(R"({"measures":["Orders.count"],"filters":[{"and":[{"member":"Orders.created_at","operator":"beforeDate","values":["2024-01-01"]},{"member":"Orders.status","operator":"set"}]}]})"),
           std::string(R"({"measures":["Customers.count"]})"),
       }) {
    http::Response r = LoadAs(*app, q, token);
    EXPECT_EQ(r.status, 200) << q << " -> " << r.body;
  }
  EXPECT_EQ(LoadAs(*app, kCountQuery, Token({{"role", "admin"}})).status, 200);
}

TEST_F(QueryRewriteTest, DevModeAppliesNoRules) {
  auto app = MakeApp(kTenantRule, /*dev_mode=*/true);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(Load(*app, ""), Count("1 = 1"));
}

// A configuration problem and the message (a prefix: file:line and the rule).
struct BadConfig {
  const char* yaml;
  const char* message;
};

TEST_F(QueryRewriteTest, ConfigurationErrorsNameTheFileAndLine) {
  const std::vector<BadConfig> cases = {
      {"query_rewrite:\n  - name: x\n    filter: { dimension: tenant, operator: equals, values: [a] }\n",
       "tessera.yaml:2: query_rewrite rule 'x': no cube of the model has a dimension 'tenant'"},
      {"query_rewrite:\n  - name: x\n    filter: { member: Orders.count, operator: equals, values: [a] }\n",
       "tessera.yaml:2: query_rewrite rule 'x': 'Orders.count' is not a dimension of the model"},
      {"query_rewrite:\n  - name: x\n    filter: { dimension: tenant_id, operator: like, values: [a] }\n",
       "tessera.yaml:2: query_rewrite rule 'x': unknown filter operator 'like'"},
      {"query_rewrite:\n  - name: x\n    filter: { dimension: tenant_id, operator: equals }\n",
       "tessera.yaml:2: query_rewrite rule 'x': operator 'equals' needs values"},
      {"query_rewrite:\n  - filter: { dimension: tenant_id, operator: set }\n", "tessera.yaml:2: query_rewrite: every rule needs a 'name'"},
      {"query_rewrite:\n  - name: x\n    require: { member: Orders.status }\n  - name: x\n    require: { member: Orders.status }\n",
       "tessera.yaml:4: query_rewrite: duplicate rule name 'x'"},
      {"query_rewrite:\n  - name: x\n    require: { member: Orders.status }\n    filter: { dimension: tenant_id, operator: set }\n",
       "tessera.yaml:2: query_rewrite: a rule has exactly one of 'filter' or 'require'"},
      {"query_rewrite:\n  - name: x\n    filter: { dimension: tenant_id, operator: equals, values: [\"t_{ securityContext.t }\"] }\n",
       "tessera.yaml:3: query_rewrite: a security context value must be the whole value"},
      {"query_rewrite:\n  - name: x\n    filter: { dimension: Orders.tenant_id, operator: set }\n",
       "tessera.yaml:3: query_rewrite: 'dimension' is a bare name"},
      {"query_rewrite:\n  - name: x\n    filter: { dimension: tenant_id, operator: set }\n    if: admin\n",
       "tessera.yaml:4: query_rewrite: 'if' is \"{ securityContext.path }\""},
      {"query_rewrite:\n  - name: x\n    filter: { dimension: tenant_id, operator: set }\n    rolez: [a]\n",
       "tessera.yaml:4: query_rewrite: unknown key 'rolez'"},
      {"query_rewrite: {name: x}\n", "tessera.yaml:1: 'query_rewrite' must be a list of rules"},
  };
  for (const BadConfig& c : cases) {
    auto directory = Directory(shop_->model(), c.yaml, shop_->dir(), OpenSqlite(shop_->db()));
    ASSERT_FALSE(directory.ok()) << c.yaml;
    std::string message(directory.status().message());
    EXPECT_EQ(message.rfind(c.message, 0), 0u) << "expected: " << c.message << "\n     got: " << message;
  }
}

}  // namespace
}  // namespace tessera::policy_test
