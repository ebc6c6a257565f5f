// Access-policy semantics through the App (tokens in, JSON out) on a small
// SQLite database: who matches a policy (roles, groups, conditions, the
// roles claim), how matching policies unite (members and rows), what hidden
// members do in every part of a query and in /meta, how row filters bind
// claims, and that caches never mix security contexts.
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "policy/policy_support.h"

namespace tessera::policy_test {
namespace {

constexpr int kOrders = 300;
constexpr int kCustomers = 12;

const std::vector<std::string> kStatuses = {"completed", "processing", "shipped", "cancelled"};
const std::vector<std::string> kRegions = {"eu", "us", "apac"};
const std::vector<std::string> kTenants = {"a", "b", "c"};
const std::vector<std::string> kCountries = {"DE", "US", "FR"};

std::string Indent(const std::string& text, int n) {
  std::stringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) out += (line.empty() ? "" : std::string(static_cast<size_t>(n), ' ') + line) + "\n";
  return out;
}

// The model; each policy text starts at column 0 with "access_policy:".
std::string ModelYaml(const std::string& orders_policy, const std::string& customers_policy = "") {
  return R"(cubes:
  - name: Orders
    sql_table: orders
    joins:
      - name: Customers
        sql: "{CUBE}.customer_id = {Customers}.id"
        relationship: many_to_one
    measures:
      - name: count
        type: count
      - name: total
        sql: amount
        type: sum
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
        public: true
      - name: status
        sql: status
        type: string
      - name: region
        sql: region
        type: string
      - name: amount
        sql: amount
        type: number
      - name: tenant
        sql: tenant
        type: string
      - name: created_at
        sql: created_at
        type: time
    segments:
      - name: big
        sql: "{CUBE}.amount >= 100"
)" + Indent(orders_policy, 4) +
         R"(  - name: Customers
    sql_table: customers
    measures:
      - name: count
        type: count
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: name
        sql: name
        type: string
      - name: country
        sql: country
        type: string
    segments:
      - name: named
        sql: "{CUBE}.name IS NOT NULL"
)" + Indent(customers_policy, 4);
}

constexpr char kTenantFilter[] = R"(access_policy:
  - role: "*"
    row_level:
      filters:
        - member: tenant
          operator: equals
          values: ["{ securityContext.tenant }"]
)";

constexpr char kAdminOnly[] = R"(access_policy:
  - role: admin
    row_level:
      allow_all: true
)";

class AccessPolicyTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    dir_ = new fs::path(MakeTempDir("tessera-policy-semantics"));
    db_ = new std::string((*dir_ / "shop.db").string());
    Sqlite db(*db_);
    db.Exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, country TEXT)");
    db.Exec(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, status TEXT, region TEXT, "
        "amount INTEGER, tenant TEXT, created_at TEXT)");
    db.Exec("BEGIN");
    for (int i = 1; i <= kCustomers; ++i) {
      db.Query("INSERT INTO customers VALUES (?1, ?2, ?3)",
               {std::to_string(i), "customer " + std::to_string(i), kCountries[static_cast<size_t>(i) % 3]});
    }
    for (int id = 1; id <= kOrders; ++id) {
      char created[32];
      std::snprintf(created, sizeof created, "2024-%02d-%02d 12:00:00", 1 + id % 3, 1 + id % 28);
      db.Query("INSERT INTO orders VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
               {std::to_string(id), std::to_string(id % kCustomers + 1), kStatuses[static_cast<size_t>(id) % 4],
                kRegions[static_cast<size_t>(id / 3) % 3], std::to_string((id * 37) % 250),
                kTenants[static_cast<size_t>(id / 7) % 3], std::string(created)});
    }
    db.Exec("COMMIT");
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (dir_) fs::remove_all(*dir_, ec);
    delete dir_;
    delete db_;
    dir_ = nullptr;
    db_ = nullptr;
  }

 protected:
  static std::unique_ptr<api::App> MakeApp(const std::string& orders_policy, const std::string& customers_policy = "",
                                           api::AppOptions options = DefaultOptions(), bool dev_mode = false) {
    std::string errors;
    std::string yaml = ModelYaml(orders_policy, customers_policy);
    model::CompiledModelPtr model = LoadModel(yaml, &errors);
    if (!model) {
      ADD_FAILURE() << "model refused:\n" << errors << "\n" << yaml;
      return nullptr;
    }
    return dev_mode ? DevApp(model, OpenSqlite(*db_), options) : TokenApp(model, OpenSqlite(*db_), options);
  }

  static int64_t Truth(const std::string& where) {
    Sqlite db(*db_, true);
    return db.Count("SELECT count(*) FROM orders" + (where.empty() ? "" : " WHERE " + where));
  }
  static std::map<std::string, int64_t> TruthBy(const std::string& column, const std::string& where) {
    Sqlite db(*db_, true);
    std::map<std::string, int64_t> out;
    for (const auto& row : db.Query("SELECT " + column + ", count(*) FROM orders" +
                                    (where.empty() ? "" : " WHERE " + where) + " GROUP BY 1")) {
      out[*row[0]] = std::stoll(*row[1]);
    }
    return out;
  }

  // Orders.count for a one-row query; -1 (with a failure) otherwise.
  static int64_t CountAs(api::App& app, const std::string& token,
                         const std::string& query = R"({"measures":["Orders.count"]})",
                         const std::string& key = "Orders.count") {
    http::Response r = LoadAs(app, query, token);
    if (r.status != 200) {
      ADD_FAILURE() << query << " -> " << r.status << " " << r.body;
      return -1;
    }
    json::array rows = Rows(r);
    if (rows.size() != 1) {
      ADD_FAILURE() << query << ": " << rows.size() << " rows: " << r.body.substr(0, 500);
      return -1;
    }
    return CellInt(rows[0], key);
  }

  // {dimension value -> measure} from a grouped query.
  static std::map<std::string, int64_t> CountsBy(api::App& app, const std::string& token, const std::string& dim,
                                                 const std::string& measure = "Orders.count") {
    std::string q = json::serialize(json::object{{"measures", json::array{json::string(measure)}},
                                                 {"dimensions", json::array{json::string(dim)}},
                                                 {"limit", 5000}});
    http::Response r = LoadAs(app, q, token);
    std::map<std::string, int64_t> out;
    EXPECT_EQ(r.status, 200) << q << " -> " << r.body;
    if (r.status != 200) return out;
    for (const auto& row : Rows(r)) {
      out[CellText(row.as_object().if_contains(dim)).value_or("<null>")] = CellInt(row, measure);
    }
    return out;
  }

  static void ExpectHidden(api::App& app, const std::string& token, const std::string& query,
                           const std::string& member) {
    http::Response r = LoadAs(app, query, token);
    EXPECT_EQ(r.status, 403) << query << " -> " << r.body;
    EXPECT_EQ(r.body, HiddenMemberBody(member)) << query;
  }

  static fs::path* dir_;
  static std::string* db_;
};

fs::path* AccessPolicyTest::dir_ = nullptr;
std::string* AccessPolicyTest::db_ = nullptr;

TEST_F(AccessPolicyTest, CubeWithoutPoliciesIsOpenToEveryone) {
  auto app = MakeApp(kAdminOnly);
  ASSERT_NE(app, nullptr);
  for (const std::string& token : {Token({}), Token({{"role", "viewer"}}), Token({{"role", "admin"}})}) {
    EXPECT_EQ(CountAs(*app, token, R"({"measures":["Customers.count"]})", "Customers.count"), kCustomers);
    MetaView meta = Meta(*app, token);
    EXPECT_TRUE(meta.Has("Customers.count"));
    EXPECT_TRUE(meta.Has("Customers.country"));
  }
}

TEST_F(AccessPolicyTest, UserMatchingNoPolicyCannotUseTheCubeAtAll) {
  auto app = MakeApp(kAdminOnly);
  ASSERT_NE(app, nullptr);
  for (const std::string& token : {Token({{"role", "viewer"}}), Token({}), Token({{"role", json::array{"x", "y"}}}),
                                   Token({{"role", "*"}}), Token({{"role", json::array{"*"}}})}) {
    ExpectHidden(*app, token, R"({"measures":["Orders.count"]})", "Orders.count");
    ExpectHidden(*app, token, R"({"measures":["Orders.count"],"dimensions":["Orders.status"]})", "Orders.count");
    ExpectHidden(*app, token, R"({"dimensions":["Orders.status"]})", "Orders.status");
    ExpectHidden(*app, token, R"({"measures":["Customers.count"],"dimensions":["Orders.status"]})", "Orders.status");
    ExpectHidden(*app, token,
                 R"({"measures":["Customers.count"],"filters":[{"member":"Orders.status","operator":"set"}]})",
                 "Orders.status");
    ExpectHidden(*app, token,
                 R"({"measures":["Customers.count"],"timeDimensions":[{"dimension":"Orders.created_at","granularity":"month"}]})",
                 "Orders.created_at");
    ExpectHidden(*app, token, R"({"measures":["Customers.count"],"segments":["Orders.big"]})", "Orders.big");
    ExpectHidden(*app, token,
                 R"({"measures":["Customers.count"],"dimensions":["Customers.country"],"order":{"Orders.amount":"desc"}})",
                 "Orders.amount");
    // Nor through the other query endpoints.
    for (const char* endpoint : {"sql", "dry-run"}) {
      http::Response r = GetAs(*app, endpoint, token, R"({"measures":["Orders.count"]})");
      EXPECT_EQ(r.status, 403) << endpoint << " -> " << r.body;
      EXPECT_EQ(r.body, HiddenMemberBody("Orders.count")) << endpoint;
    }
    MetaView meta = Meta(*app, token);
    EXPECT_FALSE(meta.HasCube("Orders")) << "a cube the user may not use is listed in /meta";
    EXPECT_TRUE(meta.HasCube("Customers"));
  }
  std::string admin = Token({{"role", "admin"}});
  EXPECT_EQ(CountAs(*app, admin), kOrders);
  EXPECT_TRUE(Meta(*app, admin).Has("Orders.count"));
}

TEST_F(AccessPolicyTest, HiddenMembersAreRefusedInEveryPartOfAQuery) {
  auto app = MakeApp(R"(access_policy:
  - role: "*"
    member_level:
      includes: [count, status, tenant]
)");
  ASSERT_NE(app, nullptr);
  std::string token = Token({{"role", "viewer"}});
  MetaView meta = Meta(*app, token);
  EXPECT_EQ(meta.measures["Orders"], (std::set<std::string>{"Orders.count"}));
  EXPECT_EQ(meta.dimensions["Orders"], (std::set<std::string>{"Orders.status", "Orders.tenant"}));
  EXPECT_TRUE(meta.segments["Orders"].empty());
  // Visible members work, over every row (no row_level: every row).
  EXPECT_EQ(CountsBy(*app, token, "Orders.status"), TruthBy("status", ""));
  // Hidden ones, wherever they appear.
  ExpectHidden(*app, token, R"({"measures":["Orders.total"]})", "Orders.total");
  ExpectHidden(*app, token, R"({"measures":["Orders.count"],"dimensions":["Orders.region"]})", "Orders.region");
  ExpectHidden(*app, token, R"({"measures":["Orders.count"],"dimensions":["Orders.id"]})", "Orders.id");
  ExpectHidden(*app, token,
               R"({"measures":["Orders.count"],"timeDimensions":[{"dimension":"Orders.created_at","granularity":"day"}]})",
               "Orders.created_at");
  ExpectHidden(*app, token,
               R"({"measures":["Orders.count"],"timeDimensions":[{"dimension":"Orders.created_at","dateRange":["2024-01-01","2024-01-31"]}]})",
               "Orders.created_at");
  ExpectHidden(*app, token,
               R"({"measures":["Orders.count"],"filters":[{"member":"Orders.amount","operator":"gt","values":["10"]}]})",
               "Orders.amount");
  ExpectHidden(*app, token,
               R"({"measures":["Orders.count"],"filters":[{"or":[{"member":"Orders.status","operator":"set"},{"and":[{"member":"Orders.status","operator":"set"},{"member":"Orders.region","operator":"equals","values":["eu"]}]}]}]})",
               "Orders.region");
  ExpectHidden(*app, token,
               R"({"measures":["Orders.count"],"filters":[{"member":"Orders.total","operator":"gt","values":["0"]}]})",
               "Orders.total");
  ExpectHidden(*app, token, R"({"measures":["Orders.count"],"segments":["Orders.big"]})", "Orders.big");
  ExpectHidden(*app, token, R"({"measures":["Orders.count"],"dimensions":["Orders.status"],"order":{"Orders.region":"asc"}})",
               "Orders.region");
  ExpectHidden(*app, token, R"({"measures":["Orders.count"],"order":[["Orders.total","desc"]]})", "Orders.total");
  for (const char* endpoint : {"sql", "dry-run"}) {
    http::Response r = GetAs(*app, endpoint, token, R"({"measures":["Orders.count"],"dimensions":["Orders.region"]})");
    EXPECT_EQ(r.status, 403) << endpoint << " -> " << r.body;
    EXPECT_EQ(r.body, HiddenMemberBody("Orders.region")) << endpoint;
  }
  // The first hidden member is named, measures before dimensions.
  ExpectHidden(*app, token, R"({"measures":["Orders.count","Orders.total"],"dimensions":["Orders.region"]})",
               "Orders.total");
}

TEST_F(AccessPolicyTest, ExcludesListAndExcludesEverything) {
  {
    auto app = MakeApp(R"(access_policy:
  - role: "*"
    member_level:
      includes: "*"
      excludes: [amount, total]
)");
    ASSERT_NE(app, nullptr);
    std::string token = Token({});
    MetaView meta = Meta(*app, token);
    EXPECT_TRUE(meta.Has("Orders.count"));
    EXPECT_TRUE(meta.Has("Orders.region"));
    EXPECT_TRUE(meta.Has("Orders.big"));
    EXPECT_FALSE(meta.Has("Orders.amount"));
    EXPECT_FALSE(meta.Has("Orders.total"));
    EXPECT_EQ(CountAs(*app, token), kOrders);
    ExpectHidden(*app, token, R"({"measures":["Orders.total"]})", "Orders.total");
    ExpectHidden(*app, token, R"({"dimensions":["Orders.amount"]})", "Orders.amount");
  }
  {
    auto app = MakeApp(R"(access_policy:
  - role: "*"
    member_level:
      includes: "*"
      excludes: "*"
)");
    ASSERT_NE(app, nullptr);
    std::string token = Token({});
    MetaView meta = Meta(*app, token);
    EXPECT_TRUE(meta.members["Orders"].empty()) << "excludes \"*\" must hide every member";
    ExpectHidden(*app, token, R"({"measures":["Orders.count"]})", "Orders.count");
    ExpectHidden(*app, token, R"({"dimensions":["Orders.status"]})", "Orders.status");
  }
  {
    // Within one policy, excludes win over includes.
    auto app = MakeApp(R"(access_policy:
  - role: "*"
    member_level:
      includes: [count, total]
      excludes: [total]
)");
    ASSERT_NE(app, nullptr);
    std::string token = Token({});
    EXPECT_EQ(CountAs(*app, token), kOrders);
    ExpectHidden(*app, token, R"({"measures":["Orders.total"]})", "Orders.total");
  }
}

TEST_F(AccessPolicyTest, MatchingPoliciesUniteTheirMembers) {
  auto app = MakeApp(R"(access_policy:
  - role: sales
    member_level:
      includes: [count, status]
  - role: finance
    member_level:
      includes: [total, status]
)");
  ASSERT_NE(app, nullptr);
  std::string both = Token({{"role", json::array{"sales", "finance"}}});
  std::string sales = Token({{"role", "sales"}});
  std::string finance = Token({{"role", json::array{"finance"}}});
  EXPECT_EQ(CountsBy(*app, both, "Orders.status"), TruthBy("status", ""));
  EXPECT_EQ(CountAs(*app, both, R"({"measures":["Orders.total"]})", "Orders.total"),
            Sqlite(*db_, true).Count("SELECT sum(amount) FROM orders"));
  ExpectHidden(*app, both, R"({"measures":["Orders.count"],"dimensions":["Orders.region"]})", "Orders.region");
  MetaView meta = Meta(*app, both);
  EXPECT_EQ(meta.measures["Orders"], (std::set<std::string>{"Orders.count", "Orders.total"}));
  EXPECT_EQ(meta.dimensions["Orders"], (std::set<std::string>{"Orders.status"}));

  EXPECT_EQ(CountAs(*app, sales), kOrders);
  ExpectHidden(*app, sales, R"({"measures":["Orders.total"]})", "Orders.total");
  EXPECT_EQ(Meta(*app, sales).measures["Orders"], (std::set<std::string>{"Orders.count"}));
  ExpectHidden(*app, finance, R"({"measures":["Orders.count"]})", "Orders.count");
  EXPECT_EQ(Meta(*app, finance).measures["Orders"], (std::set<std::string>{"Orders.total"}));

  std::string other = Token({{"role", "support"}});
  ExpectHidden(*app, other, R"({"dimensions":["Orders.status"]})", "Orders.status");
  EXPECT_FALSE(Meta(*app, other).HasCube("Orders"));
}

TEST_F(AccessPolicyTest, MatchingPoliciesUniteTheirRows) {
  auto app = MakeApp(R"(access_policy:
  - role: eu
    row_level:
      filters:
        - member: region
          operator: equals
          values: [eu]
  - role: us
    row_level:
      filters:
        - member: Orders.region
          operator: equals
          values: [us]
  - role: everything
    member_level:
      includes: "*"
)");
  ASSERT_NE(app, nullptr);
  auto by_region = TruthBy("region", "");
  EXPECT_EQ(CountsBy(*app, Token({{"role", "eu"}}), "Orders.region"),
            (std::map<std::string, int64_t>{{"eu", by_region["eu"]}}));
  EXPECT_EQ(CountsBy(*app, Token({{"role", json::array{"us"}}}), "Orders.region"),
            (std::map<std::string, int64_t>{{"us", by_region["us"]}}));
  EXPECT_EQ(CountsBy(*app, Token({{"role", json::array{"eu", "us"}}}), "Orders.region"),
            (std::map<std::string, int64_t>{{"eu", by_region["eu"]}, {"us", by_region["us"]}}));
  EXPECT_EQ(CountAs(*app, Token({{"role", json::array{"eu", "us"}}})), Truth("region IN ('eu', 'us')"));
  // A matching policy without row_level allows every row.
  EXPECT_EQ(CountsBy(*app, Token({{"role", json::array{"eu", "everything"}}}), "Orders.region"), by_region);
  ExpectHidden(*app, Token({{"role", "apac"}}), R"({"measures":["Orders.count"]})", "Orders.count");
}

TEST_F(AccessPolicyTest, MembersAndRowsUniteIndependently) {
  auto app = MakeApp(R"(access_policy:
  - role: a
    member_level:
      includes: [count, status]
    row_level:
      filters:
        - member: region
          operator: equals
          values: [eu]
  - role: b
    member_level:
      includes: [count, region]
    row_level:
      filters:
        - member: region
          operator: equals
          values: [us]
)");
  ASSERT_NE(app, nullptr);
  std::string ab = Token({{"role", json::array{"a", "b"}}});
  EXPECT_EQ(CountAs(*app, ab), Truth("region IN ('eu', 'us')"));
  EXPECT_EQ(CountsBy(*app, ab, "Orders.status"), TruthBy("status", "region IN ('eu', 'us')"));
  EXPECT_EQ(CountsBy(*app, ab, "Orders.region").size(), 2u);
  std::string a = Token({{"role", "a"}});
  EXPECT_EQ(CountAs(*app, a), Truth("region = 'eu'"));
  EXPECT_EQ(CountsBy(*app, a, "Orders.status"), TruthBy("status", "region = 'eu'"));
  ExpectHidden(*app, a, R"({"measures":["Orders.count"],"dimensions":["Orders.region"]})", "Orders.region");
}

TEST_F(AccessPolicyTest, ConditionsMustAllBeTruthy) {
  auto app = MakeApp(R"(access_policy:
  - role: "*"
    conditions:
      - if: "{ securityContext.is_active }"
    row_level:
      allow_all: true
)");
  ASSERT_NE(app, nullptr);
  for (json::value v : {json::value(true), json::value(1), json::value(-2.5), json::value("yes"),
                        json::value("false"), json::value(json::array{0}), json::value(json::object{{"k", 1}})}) {
    EXPECT_EQ(CountAs(*app, Token({{"is_active", v}})), kOrders) << "is_active " << json::serialize(v);
  }
  for (json::value v : {json::value(false), json::value(0), json::value(0.0), json::value(""), json::value(nullptr),
                        json::value(json::array{}), json::value(json::object{})}) {
    ExpectHidden(*app, Token({{"is_active", v}}), R"({"measures":["Orders.count"]})", "Orders.count");
  }
  ExpectHidden(*app, Token({{"role", "admin"}}), R"({"measures":["Orders.count"]})", "Orders.count");

  auto two = MakeApp(R"(access_policy:
  - role: "*"
    conditions:
      - if: "{ securityContext.is_active }"
      - if: "{ securityContext.flags.beta }"
)");
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(CountAs(*two, Token({{"is_active", true}, {"flags", json::object{{"beta", true}}}})), kOrders);
  ExpectHidden(*two, Token({{"is_active", true}, {"flags", json::object{{"beta", false}}}}),
               R"({"measures":["Orders.count"]})", "Orders.count");
  ExpectHidden(*two, Token({{"is_active", true}}), R"({"measures":["Orders.count"]})", "Orders.count");
  ExpectHidden(*two, Token({{"flags", json::object{{"beta", true}}}}), R"({"measures":["Orders.count"]})",
               "Orders.count");
}

TEST_F(AccessPolicyTest, RolesGroupsAndTheirSpellings) {
  auto app = MakeApp(R"(access_policy:
  - roles: [manager, director]
    member_level:
      includes: [count]
  - group: analysts
    member_level:
      includes: [status]
  - groups: [auditors, controllers]
    member_level:
      includes: [total]
)");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(CountAs(*app, Token({{"role", "director"}})), kOrders);
  EXPECT_EQ(CountAs(*app, Token({{"role", json::array{"x", "manager"}}})), kOrders);
  ExpectHidden(*app, Token({{"role", "manager director"}}), R"({"measures":["Orders.count"]})", "Orders.count");
  ExpectHidden(*app, Token({{"role", "Manager"}}), R"({"measures":["Orders.count"]})", "Orders.count");
  ExpectHidden(*app, Token({{"roles", "manager"}}), R"({"measures":["Orders.count"]})", "Orders.count");
  EXPECT_EQ(Meta(*app, Token({{"role", "analysts"}})).dimensions["Orders"], (std::set<std::string>{"Orders.status"}));
  EXPECT_EQ(Meta(*app, Token({{"role", json::array{"controllers"}}})).measures["Orders"],
            (std::set<std::string>{"Orders.total"}));
  MetaView mixed = Meta(*app, Token({{"role", json::array{"director", "analysts"}}}));
  EXPECT_EQ(mixed.members["Orders"], (std::set<std::string>{"Orders.count", "Orders.status"}));
}

TEST_F(AccessPolicyTest, RolesClaimOptionReadsADottedPath) {
  api::AppOptions options = DefaultOptions();
  ASSERT_TRUE(SetRolesClaim(options, "app.roles")) << "api::AppOptions has no roles_claim member";
  auto app = MakeApp(kAdminOnly, "", options);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(CountAs(*app, Token({{"app", json::object{{"roles", json::array{"viewer", "admin"}}}}})), kOrders);
  EXPECT_EQ(CountAs(*app, Token({{"app", json::object{{"roles", "admin"}}}})), kOrders);
  // The default claim no longer counts.
  ExpectHidden(*app, Token({{"role", "admin"}}), R"({"measures":["Orders.count"]})", "Orders.count");
  ExpectHidden(*app, Token({{"app", json::object{{"roles", json::array{"viewer"}}}}}),
               R"({"measures":["Orders.count"]})", "Orders.count");
  ExpectHidden(*app, Token({{"app", "admin"}}), R"({"measures":["Orders.count"]})", "Orders.count");

  api::AppOptions plain = DefaultOptions();
  ASSERT_TRUE(SetRolesClaim(plain, "groups"));
  auto app2 = MakeApp(kAdminOnly, "", plain);
  ASSERT_NE(app2, nullptr);
  EXPECT_EQ(CountAs(*app2, Token({{"groups", json::array{"admin"}}})), kOrders);
  ExpectHidden(*app2, Token({{"role", "admin"}}), R"({"measures":["Orders.count"]})", "Orders.count");
}

TEST_F(AccessPolicyTest, NestedOrAndRowFilters) {
  auto app = MakeApp(R"(access_policy:
  - role: "*"
    row_level:
      filters:
        - member: status
          operator: equals
          values: [completed]
        - or:
            - member: Orders.amount
              operator: gt
              values: ["100"]
            - and:
                - member: region
                  operator: equals
                  values: [eu]
                - member: amount
                  operator: lt
                  values: ["20"]
)");
  ASSERT_NE(app, nullptr);
  std::string where = "status = 'completed' AND (amount > 100 OR (region = 'eu' AND amount < 20))";
  std::string token = Token({});
  EXPECT_EQ(CountAs(*app, token), Truth(where));
  EXPECT_EQ(CountsBy(*app, token, "Orders.region"), TruthBy("region", where));
  EXPECT_GT(Truth(where), 0);
  EXPECT_LT(Truth(where), Truth("status = 'completed'"));
}

TEST_F(AccessPolicyTest, SpecExampleClaimAndLiteralFilters) {
  auto app = MakeApp(R"(access_policy:
  - role: "*"
    row_level:
      filters:
        - member: status
          operator: equals
          values: ["{ securityContext.status }"]
        - or:
            - { member: amount, operator: gt, values: ["100"] }
            - { member: status, operator: equals, values: ["completed"] }
)");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(CountAs(*app, Token({{"status", "shipped"}})), Truth("status = 'shipped' AND amount > 100"));
  EXPECT_EQ(CountAs(*app, Token({{"status", "completed"}})), Truth("status = 'completed'"));
}

TEST_F(AccessPolicyTest, ArrayClaimExpandsIntoSeveralValues) {
  auto app = MakeApp(R"(access_policy:
  - role: "*"
    row_level:
      filters:
        - member: tenant
          operator: equals
          values: ["{ securityContext.tenants }"]
)");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(CountsBy(*app, Token({{"tenants", json::array{"a", "c"}}}), "Orders.tenant"),
            TruthBy("tenant", "tenant IN ('a', 'c')"));
  EXPECT_EQ(CountsBy(*app, Token({{"tenants", "b"}}), "Orders.tenant"), TruthBy("tenant", "tenant = 'b'"));
  EXPECT_EQ(CountAs(*app, Token({{"tenants", json::array{"a", "b", "c", "zz"}}})), kOrders);

  // A claim next to literal values: the claim's values join them.
  auto mixed = MakeApp(R"(access_policy:
  - role: "*"
    row_level:
      filters:
        - member: tenant
          operator: equals
          values: ["{ securityContext.tenant }", "c"]
)");
  ASSERT_NE(mixed, nullptr);
  EXPECT_EQ(CountsBy(*mixed, Token({{"tenant", "a"}}), "Orders.tenant"), TruthBy("tenant", "tenant IN ('a', 'c')"));
}

TEST_F(AccessPolicyTest, MissingClaimInARowFilterIs403) {
  auto app = MakeApp(kTenantFilter);
  ASSERT_NE(app, nullptr);
  for (const std::string& token : {Token({}), Token({{"role", "admin"}}), Token({{"Tenant", "a"}})}) {
    for (const char* q : {R"({"measures":["Orders.count"]})", R"({"dimensions":["Orders.status"]})",
                          R"({"measures":["Orders.count"],"dimensions":["Customers.country"]})"}) {
      http::Response r = LoadAs(*app, q, token);
      EXPECT_EQ(r.status, 403) << q << " -> " << r.body;
      json::value v = testing::Json(r);
      EXPECT_TRUE(v.is_object() && v.as_object().contains("error")) << r.body;
    }
    EXPECT_EQ(GetAs(*app, "sql", token, R"({"measures":["Orders.count"]})").status, 403);
  }
  EXPECT_EQ(CountAs(*app, Token({{"tenant", "a"}})), Truth("tenant = 'a'"));

  // Nested path, missing at the first step.
  auto nested = MakeApp(R"(access_policy:
  - role: "*"
    row_level:
      filters:
        - member: tenant
          operator: equals
          values: ["{ securityContext.org.tenant }"]
)");
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(LoadAs(*nested, R"({"measures":["Orders.count"]})", Token({{"tenant", "a"}})).status, 403);
  EXPECT_EQ(CountAs(*nested, Token({{"org", json::object{{"tenant", "b"}}}})), Truth("tenant = 'b'"));

  // A policy that does not match does not need its claims.
  auto admin_or_tenant = MakeApp(R"(access_policy:
  - role: admin
    row_level:
      allow_all: true
  - role: viewer
    row_level:
      filters:
        - member: tenant
          operator: equals
          values: ["{ securityContext.tenant }"]
)");
  ASSERT_NE(admin_or_tenant, nullptr);
  EXPECT_EQ(CountAs(*admin_or_tenant, Token({{"role", "admin"}})), kOrders);
  EXPECT_EQ(LoadAs(*admin_or_tenant, R"({"measures":["Orders.count"]})", Token({{"role", "viewer"}})).status, 403);
}

// Row filters apply to queries that touch their cube, so only those need the
// claims: the open cube and /meta still answer a token without them.
TEST_F(AccessPolicyTest, MissingClaimOnlyFailsQueriesThatTouchThePolicyCube) {
  auto app = MakeApp(kTenantFilter);
  ASSERT_NE(app, nullptr);
  std::string token = Token({{"role", "viewer"}});
  EXPECT_EQ(CountAs(*app, token, R"({"measures":["Customers.count"]})", "Customers.count"), kCustomers);
  http::Response meta = GetAs(*app, "meta", token);
  EXPECT_EQ(meta.status, 200) << meta.body;
  EXPECT_EQ(LoadAs(*app, R"({"measures":["Orders.count"]})", token).status, 403);
}

TEST_F(AccessPolicyTest, RowFiltersApplyToEveryKindOfQuery) {
  auto app = MakeApp(kTenantFilter);
  ASSERT_NE(app, nullptr);
  std::string token = Token({{"tenant", "a"}});
  const std::string a = "tenant = 'a'";
  EXPECT_EQ(CountAs(*app, token), Truth(a));
  EXPECT_EQ(CountAs(*app, token, R"({"measures":["Orders.total"]})", "Orders.total"),
            Sqlite(*db_, true).Count("SELECT sum(amount) FROM orders WHERE " + a));
  // Dimensions only.
  {
    http::Response r = LoadAs(*app, R"({"dimensions":["Orders.tenant"]})", token);
    json::array rows = Rows(r);
    ASSERT_EQ(rows.size(), 1u) << r.body;
    EXPECT_EQ(CellText(rows[0].as_object().if_contains("Orders.tenant")), "a");
  }
  // Ungrouped rows.
  {
    http::Response r = LoadAs(*app, R"({"dimensions":["Orders.id","Orders.tenant"],"ungrouped":true,"limit":1000})", token);
    json::array rows = Rows(r);
    EXPECT_EQ(static_cast<int64_t>(rows.size()), Truth(a));
    for (const auto& row : rows) EXPECT_EQ(CellText(row.as_object().if_contains("Orders.tenant")), "a");
  }
  // total counts only the tenant's groups.
  {
    http::Response r = LoadAs(*app, R"({"measures":["Orders.count"],"dimensions":["Orders.id"],"limit":1,"total":true})", token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(CellText(testing::Json(r).as_object().if_contains("total")).value_or("missing"), std::to_string(Truth(a)));
  }
  // Segments, time dimensions, measure filters.
  EXPECT_EQ(CountAs(*app, token, R"({"measures":["Orders.count"],"segments":["Orders.big"]})"),
            Truth(a + " AND amount >= 100"));
  {
    http::Response r = LoadAs(
        *app, R"({"measures":["Orders.count"],"timeDimensions":[{"dimension":"Orders.created_at","granularity":"month"}]})",
        token);
    int64_t sum = 0;
    for (const auto& row : Rows(r)) sum += CellInt(row, "Orders.count");
    EXPECT_EQ(sum, Truth(a));
  }
  EXPECT_EQ(CountAs(*app, token,
                    R"({"measures":["Orders.count"],"timeDimensions":[{"dimension":"Orders.created_at","dateRange":["2024-02-01","2024-02-29"]}]})"),
            Truth(a + " AND created_at >= '2024-02-01' AND created_at < '2024-03-01'"));
  // The user's own filters are ANDed with the policy: they cannot widen it.
  EXPECT_EQ(CountAs(*app, token,
                    R"({"measures":["Orders.count"],"filters":[{"member":"Orders.tenant","operator":"equals","values":["b"]}]})"),
            0);
  EXPECT_EQ(CountAs(*app, token,
                    R"({"measures":["Orders.count"],"filters":[{"or":[{"member":"Orders.tenant","operator":"notEquals","values":["a"]},{"member":"Orders.tenant","operator":"set"}]}]})"),
            Truth(a));
  EXPECT_EQ(CountsBy(*app, token, "Orders.tenant"), (std::map<std::string, int64_t>{{"a", Truth(a)}}));
  // Blending (an array of queries, which needs a granularity): each one is filtered.
  {
    std::map<std::string, std::string> params{
        {"query",
         R"([{"measures":["Orders.count"],"timeDimensions":[{"dimension":"Orders.created_at","granularity":"month"}]},)"
         R"({"measures":["Orders.total"],"timeDimensions":[{"dimension":"Orders.created_at","granularity":"month"}]}])"},
        {"queryType", "multi"}};
    http::Response r;
    for (int i = 0; i < 100; ++i) {
      r = testing::Call(*app, "GET", "/cubejs-api/v1/load", params, {}, Auth(token));
      if (r.body != R"({"error":"Continue wait"})") break;
    }
    ASSERT_EQ(r.status, 200) << r.body;
    json::value body = testing::Json(r);
    const json::array& results = body.at("results").as_array();
    ASSERT_EQ(results.size(), 2u);
    int64_t count = 0, total = 0;
    for (const auto& row : results[0].at("data").as_array()) count += CellInt(row, "Orders.count");
    for (const auto& row : results[1].at("data").as_array()) total += CellInt(row, "Orders.total");
    EXPECT_EQ(count, Truth(a));
    EXPECT_EQ(total, Sqlite(*db_, true).Count("SELECT sum(amount) FROM orders WHERE " + a));
  }
  // POST gives the same.
  {
    http::Response r = testing::Call(*app, "POST", "/cubejs-api/v1/load", {},
                                     R"({"query":{"measures":["Orders.count"]}})", Auth(token));
    for (int i = 0; i < 100 && r.body == R"({"error":"Continue wait"})"; ++i) {
      r = testing::Call(*app, "POST", "/cubejs-api/v1/load", {}, R"({"query":{"measures":["Orders.count"]}})",
                        Auth(token));
    }
    json::array rows = Rows(r);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(CellInt(rows[0], "Orders.count"), Truth(a));
  }
}

TEST_F(AccessPolicyTest, JoinedCubesOnlyThePolicyCubeIsFiltered) {
  {
    auto app = MakeApp(kTenantFilter);
    ASSERT_NE(app, nullptr);
    std::string token = Token({{"tenant", "b"}});
    Sqlite db(*db_, true);
    std::map<std::string, int64_t> truth;
    for (const auto& row : db.Query("SELECT c.country, count(*) FROM orders o JOIN customers c ON o.customer_id = c.id "
                                    "WHERE o.tenant = 'b' GROUP BY 1")) {
      truth[*row[0]] = std::stoll(*row[1]);
    }
    EXPECT_EQ(CountsBy(*app, token, "Customers.country"), truth);
    // A query that touches only the open cube is not filtered.
    EXPECT_EQ(CountAs(*app, token, R"({"measures":["Customers.count"]})", "Customers.count"), kCustomers);
  }
  {
    // Now the joined-to cube has the policy.
    auto app = MakeApp("", R"(access_policy:
  - role: "*"
    row_level:
      filters:
        - member: country
          operator: equals
          values: ["{ securityContext.country }"]
)");
    ASSERT_NE(app, nullptr);
    std::string token = Token({{"country", "DE"}});
    Sqlite db(*db_, true);
    int64_t de = db.Count(
        "SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.id WHERE c.country = 'DE'");
    EXPECT_EQ(CountsBy(*app, token, "Customers.country"), (std::map<std::string, int64_t>{{"DE", de}}));
    EXPECT_EQ(CountAs(*app, token, R"({"measures":["Orders.count"],"filters":[{"member":"Customers.name","operator":"set"}]})"),
              de);
    EXPECT_EQ(CountAs(*app, token, R"({"measures":["Orders.count"],"segments":["Customers.named"]})"), de)
        << "a segment of the policy cube touches it";
    EXPECT_EQ(CountAs(*app, token), kOrders) << "Orders alone does not touch Customers";
    EXPECT_EQ(CountAs(*app, token, R"({"measures":["Customers.count"]})", "Customers.count"), kCustomers / 3);
  }
}

TEST_F(AccessPolicyTest, HiddenMemberCanStillDriveTheRowFilter) {
  auto app = MakeApp(R"(access_policy:
  - role: "*"
    member_level:
      includes: "*"
      excludes: [tenant]
    row_level:
      filters:
        - member: tenant
          operator: equals
          values: ["{ securityContext.tenant }"]
)");
  ASSERT_NE(app, nullptr);
  std::string token = Token({{"tenant", "c"}});
  EXPECT_EQ(CountAs(*app, token), Truth("tenant = 'c'"));
  EXPECT_EQ(CountsBy(*app, token, "Orders.status"), TruthBy("status", "tenant = 'c'"));
  ExpectHidden(*app, token, R"({"measures":["Orders.count"],"dimensions":["Orders.tenant"]})", "Orders.tenant");
  EXPECT_FALSE(Meta(*app, token).Has("Orders.tenant"));
}

TEST_F(AccessPolicyTest, MetaDependsOnTheRole) {
  auto app = MakeApp(R"(access_policy:
  - role: admin
    member_level:
      includes: "*"
  - role: "*"
    member_level:
      includes: [count, status]
)");
  ASSERT_NE(app, nullptr);
  std::string admin = Token({{"role", "admin"}});
  std::string viewer = Token({{"role", "viewer"}});
  // Alternate, so a /meta cached for one role would show up for the other.
  for (int i = 0; i < 5; ++i) {
    MetaView a = Meta(*app, admin);
    EXPECT_EQ(a.measures["Orders"], (std::set<std::string>{"Orders.count", "Orders.total"}));
    EXPECT_EQ(a.segments["Orders"], (std::set<std::string>{"Orders.big"}));
    EXPECT_TRUE(a.Has("Orders.created_at"));
    MetaView v = Meta(*app, viewer);
    EXPECT_EQ(v.members["Orders"], (std::set<std::string>{"Orders.count", "Orders.status"}));
    EXPECT_TRUE(v.Has("Customers.country"));
  }
  auto dev = MakeApp(kAdminOnly, "", DefaultOptions(), /*dev_mode=*/true);
  ASSERT_NE(dev, nullptr);
  MetaView d = Meta(*dev, "");
  EXPECT_TRUE(d.Has("Orders.count"));
  EXPECT_TRUE(d.Has("Orders.amount"));
}

TEST_F(AccessPolicyTest, DryRunAndSqlShowTheAddedFilterAsParameters) {
  auto app = MakeApp(kTenantFilter);
  ASSERT_NE(app, nullptr);
  std::string token = Token({{"tenant", "b"}});
  http::Response r = GetAs(
      *app, "dry-run", token,
      R"({"measures":["Orders.count"],"filters":[{"member":"Orders.status","operator":"equals","values":["completed"]}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = testing::Json(r);
  const json::value* filters = v.at("normalizedQueries").at(0).as_object().if_contains("filters");
  ASSERT_NE(filters, nullptr) << r.body;
  std::vector<json::object> leaves;
  CollectLeafFilters(*filters, leaves);
  bool policy_filter = false, user_filter = false;
  for (const auto& f : leaves) {
    const json::value* m = f.if_contains("member");
    if (m == nullptr) m = f.if_contains("dimension");
    if (*m == "Orders.tenant") {
      policy_filter = true;
      EXPECT_EQ(f.at("operator"), "equals") << json::serialize(f);
      EXPECT_EQ(f.at("values"), (json::array{"b"})) << json::serialize(f);
    }
    if (*m == "Orders.status") user_filter = true;
  }
  EXPECT_TRUE(policy_filter) << "the policy's row filter is not in normalizedQueries[0].filters: " << r.body;
  EXPECT_TRUE(user_filter) << r.body;

  // In SQL, the claim is a parameter, never text.
  std::string marker = "zq-unique-tenant-7f3a";
  r = GetAs(*app, "sql", Token({{"tenant", marker}}), R"({"measures":["Orders.count"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  v = testing::Json(r);
  std::string sql(v.at("sql").at("sql").at(0).as_string());
  EXPECT_EQ(sql.find(marker), std::string::npos) << sql;
  EXPECT_NE(sql.find("tenant"), std::string::npos) << "no row filter in " << sql;
  bool bound = false;
  for (const auto& p : v.at("sql").at("sql").at(1).as_array()) bound = bound || p == json::value(marker);
  EXPECT_TRUE(bound) << r.body;
}

TEST_F(AccessPolicyTest, CachedAnswersAreNeverSharedBetweenSecurityContexts) {
  auto app = MakeApp(R"(access_policy:
  - role: admin
    row_level:
      allow_all: true
  - role: "*"
    row_level:
      filters:
        - member: tenant
          operator: equals
          values: ["{ securityContext.tenant }"]
)");
  ASSERT_NE(app, nullptr);
  struct Who {
    std::string token;
    std::map<std::string, int64_t> expected;
  };
  std::vector<Who> who = {
      {Token({{"tenant", "a"}}), TruthBy("status", "tenant = 'a'")},
      {Token({{"tenant", "b"}}), TruthBy("status", "tenant = 'b'")},
      {Token({{"tenant", "a"}, {"role", "admin"}}), TruthBy("status", "")},
      {Token({{"tenant", "c"}}), TruthBy("status", "tenant = 'c'")},
  };
  const std::string q = R"({"measures":["Orders.count"],"dimensions":["Orders.status"]})";
  for (int i = 0; i < 40; ++i) {
    const Who& w = who[static_cast<size_t>(i) % who.size()];
    http::Response r = LoadAs(*app, q, w.token);
    ASSERT_EQ(r.status, 200) << r.body;
    std::map<std::string, int64_t> got;
    for (const auto& row : Rows(r)) got[*CellText(row.as_object().if_contains("Orders.status"))] = CellInt(row, "Orders.count");
    ASSERT_EQ(got, w.expected) << "iteration " << i;
  }
  // The same through POST bodies and for a count-only query.
  for (int i = 0; i < 20; ++i) {
    const Who& w = who[static_cast<size_t>(i) % who.size()];
    http::Response r = testing::Call(*app, "POST", "/cubejs-api/v1/load", {}, R"({"query":{"measures":["Orders.count"]}})",
                                     Auth(w.token));
    ASSERT_EQ(r.status, 200) << r.body;
    int64_t total = 0;
    for (const auto& [k, n] : w.expected) total += n;
    EXPECT_EQ(CellInt(Rows(r).at(0), "Orders.count"), total) << "iteration " << i;
  }
}

TEST_F(AccessPolicyTest, RowFiltersWithOtherOperatorsAndTypedClaims) {
  auto app = MakeApp(R"(access_policy:
  - role: "*"
    row_level:
      filters:
        - member: status
          operator: notEquals
          values: [cancelled]
        - member: region
          operator: contains
          values: ["{ securityContext.region_part }"]
        - member: amount
          operator: gte
          values: ["{ securityContext.min_amount }"]
        - member: created_at
          operator: inDateRange
          values: ["{ securityContext.from }", "{ securityContext.to }"]
        - member: tenant
          operator: set
)");
  ASSERT_NE(app, nullptr);
  std::string token = Token({{"region_part", "U"}, {"min_amount", 100}, {"from", "2024-02-01"}, {"to", "2024-03-15"}});
  std::string where =
      "status <> 'cancelled' AND region LIKE '%u%' AND amount >= 100 AND created_at >= '2024-02-01' AND "
      "created_at <= '2024-03-15 23:59:59.999' AND tenant IS NOT NULL";
  EXPECT_GT(Truth(where), 0);
  EXPECT_EQ(CountAs(*app, token), Truth(where));
  EXPECT_EQ(CountsBy(*app, token, "Orders.status"), TruthBy("status", where));
  // A numeric claim compares as a number, not as text ("99" < "100" as text).
  std::string t99 = Token({{"region_part", "u"}, {"min_amount", "99"}, {"from", "2024-01-01"}, {"to", "2024-12-31"}});
  EXPECT_EQ(CountAs(*app, t99),
            Truth("status <> 'cancelled' AND region LIKE '%u%' AND amount >= 99 AND tenant IS NOT NULL"));
}

TEST_F(AccessPolicyTest, ConcurrentRequestsFromDifferentTenantsAreNotMixed) {
  api::AppOptions options = DefaultOptions();
  options.worker_threads = 4;
  auto app = MakeApp(kTenantFilter, "", options);
  ASSERT_NE(app, nullptr);
  std::vector<std::string> tokens;
  std::vector<std::map<std::string, int64_t>> expected;
  for (const auto& t : kTenants) {
    tokens.push_back(Token({{"tenant", json::string(t)}}));
    expected.push_back(TruthBy("status", "tenant = '" + t + "'"));
  }
  // Every request is in flight before any answer is read, so identical query
  // texts from different tenants overlap in the runner and the caches.
  constexpr int kRequests = 150;
  std::vector<std::future<http::Response>> answers;
  for (int i = 0; i < kRequests; ++i) {
    http::Request req;
    req.headers = Auth(tokens[static_cast<size_t>(i) % tokens.size()]);
    req.method = "GET";
    req.path = "/cubejs-api/v1/load";
    req.query_params = {{"query", R"({"measures":["Orders.count"],"dimensions":["Orders.status"]})"}};
    req.client_address = "127.0.0.1";
    req.request_id = "concurrent-" + std::to_string(i);
    auto promise = std::make_shared<std::promise<http::Response>>();
    answers.push_back(promise->get_future());
    app->Handle(std::move(req), [promise](http::Response r) { promise->set_value(std::move(r)); });
  }
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_EQ(answers[static_cast<size_t>(i)].wait_for(std::chrono::seconds(120)), std::future_status::ready);
    http::Response r = answers[static_cast<size_t>(i)].get();
    ASSERT_EQ(r.status, 200) << r.body;
    std::map<std::string, int64_t> got;
    for (const auto& row : Rows(r)) got[*CellText(row.as_object().if_contains("Orders.status"))] = CellInt(row, "Orders.count");
    EXPECT_EQ(got, expected[static_cast<size_t>(i) % tokens.size()]) << "request " << i;
  }
}

TEST_F(AccessPolicyTest, DevModeBypassesPolicies) {
  auto app = MakeApp(R"(access_policy:
  - role: admin
    member_level:
      includes: "*"
      excludes: [amount]
    row_level:
      filters:
        - member: tenant
          operator: equals
          values: ["{ securityContext.tenant }"]
)", "", DefaultOptions(), /*dev_mode=*/true);
  ASSERT_NE(app, nullptr);
  http::Response r = testing::Load(*app, R"({"measures":["Orders.count"],"dimensions":["Orders.amount"],"limit":5000})");
  ASSERT_EQ(r.status, 200) << r.body;
  int64_t total = 0;
  for (const auto& row : Rows(r)) total += CellInt(row, "Orders.count");
  EXPECT_EQ(total, kOrders);
  EXPECT_TRUE(Meta(*app, "").Has("Orders.amount"));
}

}  // namespace
}  // namespace tessera::policy_test
