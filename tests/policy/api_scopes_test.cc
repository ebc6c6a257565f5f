// API scopes per role (Cube's contextToApiScopes, declared in settings):
// /load and /dry-run need "data", /meta "meta", /sql "sql".
#include <gtest/gtest.h>

#include "policy/api_scopes.h"
#include "policy_support.h"

namespace tessera::policy_test {
namespace {

using policy::ApiScopes;

constexpr char kModel[] = R"(cubes:
  - name: Things
    sql: "SELECT 1 AS id, 'a' AS kind UNION ALL SELECT 2, 'b'"
    measures:
      - name: count
        type: count
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: kind
        sql: kind
        type: string
)";

constexpr char kQuery[] = R"({"measures":["Things.count"]})";

// An empty SQLite file: the model's cube selects constants.
driver::DataSourcePtr EmptyDatabase() {
  static const std::string path = [] {
    std::string p = (MakeTempDir("tessera-scopes") / "empty.db").string();
    Sqlite db(p);
    db.Exec("CREATE TABLE unused (x INTEGER)");
    return p;
  }();
  return OpenSqlite(path);
}

std::unique_ptr<api::App> AppWithScopes(const std::string& defaults, const std::string& per_role) {
  model::CompiledModelPtr model = LoadModel(kModel);
  EXPECT_TRUE(model);
  api::AppOptions options = DefaultOptions();
  options.default_api_scopes = defaults;
  options.role_api_scopes = per_role;
  return TokenApp(model, EmptyDatabase(), options);
}

int Status(api::App& app, const std::string& endpoint, const std::string& token) {
  return GetAs(app, endpoint, token, endpoint == "meta" ? "" : kQuery).status;
}

TEST(ApiScopesTest, ParsingRefusesUnknownScopesAndMalformedEntries) {
  EXPECT_TRUE(ApiScopes::Parse("meta,data,sql", "admin:meta,data,sql; viewer: meta").ok());
  EXPECT_TRUE(ApiScopes::Parse("", "").ok());
  EXPECT_FALSE(ApiScopes::Parse("meta,graphql", "").ok());
  EXPECT_FALSE(ApiScopes::Parse("meta", "admin").ok());
  EXPECT_FALSE(ApiScopes::Parse("meta", ":data").ok());
  EXPECT_FALSE(ApiScopes::Parse("meta", "admin:data;admin:meta").ok());
  EXPECT_FALSE(ApiScopes::Parse("meta", "admin:dta").ok());
}

TEST(ApiScopesTest, EndpointsNeedTheirScope) {
  auto app = AppWithScopes("meta,data,sql", "viewer:meta;analyst:data;engineer:sql,data");
  std::string viewer = Token(json::object{{"role", "viewer"}});
  std::string analyst = Token(json::object{{"role", "analyst"}});
  std::string engineer = Token(json::object{{"role", "engineer"}});
  std::string unlisted = Token(json::object{{"role", "someone"}});

  EXPECT_EQ(Status(*app, "meta", viewer), 200);
  http::Response denied = GetAs(*app, "load", viewer, kQuery);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.body, R"({"error":"API scope is missing: data"})");
  EXPECT_EQ(GetAs(*app, "dry-run", viewer, kQuery).body, R"({"error":"API scope is missing: data"})");
  EXPECT_EQ(GetAs(*app, "sql", viewer, kQuery).body, R"({"error":"API scope is missing: sql"})");

  EXPECT_EQ(Status(*app, "load", analyst), 200);
  EXPECT_EQ(Status(*app, "dry-run", analyst), 200);
  EXPECT_EQ(GetAs(*app, "meta", analyst).body, R"({"error":"API scope is missing: meta"})");
  EXPECT_EQ(Status(*app, "sql", analyst), 403);

  EXPECT_EQ(Status(*app, "sql", engineer), 200);
  EXPECT_EQ(Status(*app, "load", engineer), 200);

  // Roles no entry lists get the defaults.
  for (const char* endpoint : {"meta", "load", "dry-run", "sql"}) {
    EXPECT_EQ(Status(*app, endpoint, unlisted), 200) << endpoint;
  }
}

TEST(ApiScopesTest, ListedRolesAreUnitedAndDefaultsApplyToOthers) {
  auto app = AppWithScopes("meta", "viewer:meta;analyst:data");
  std::string both = Token(json::object{{"role", json::array{"viewer", "analyst"}}});
  std::string none = Token(json::object{});
  EXPECT_EQ(Status(*app, "meta", both), 200);
  EXPECT_EQ(Status(*app, "load", both), 200);
  EXPECT_EQ(Status(*app, "sql", both), 403);
  EXPECT_EQ(Status(*app, "meta", none), 200);
  EXPECT_EQ(GetAs(*app, "load", none, kQuery).body, R"({"error":"API scope is missing: data"})");
}

TEST(ApiScopesTest, NoDefaultScopesLockOutUnlistedCallers) {
  auto app = AppWithScopes("", "admin:meta,data,sql");
  EXPECT_EQ(Status(*app, "load", Token(json::object{{"role", "admin"}})), 200);
  EXPECT_EQ(Status(*app, "meta", Token(json::object{{"role", "guest"}})), 403);
}

TEST(ApiScopesTest, InvalidScopeSettingsFailClosed) {
  auto app = AppWithScopes("meta,data", "admin:everything");
  http::Response r = GetAs(*app, "load", Token(json::object{{"role", "admin"}}), kQuery);
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(r.body.find("\"data\""), std::string::npos);
}

TEST(ApiScopesTest, DevModeHasEveryScope) {
  model::CompiledModelPtr model = LoadModel(kModel);
  ASSERT_TRUE(model);
  api::AppOptions options = DefaultOptions();
  options.default_api_scopes = "";
  auto app = DevApp(model, EmptyDatabase(), options);
  EXPECT_EQ(GetAs(*app, "load", "", kQuery).status, 200);
  EXPECT_EQ(GetAs(*app, "meta", "").status, 200);
}

}  // namespace
}  // namespace tessera::policy_test
