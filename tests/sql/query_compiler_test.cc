// Golden tests for the SQL compiler: each query in golden/cases.json is
// compiled for SQLite and PostgreSQL against the demo model and compared with
// golden/<name>.<dialect>.sql (SQL text, then one bound parameter per line).
// The differential tests prove these statements return Cube's answers; these
// files make every change to the generated SQL visible in review.
// TESSERA_UPDATE_GOLDEN=1 rewrites the files.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "model/compiled_model.h"
#include "query/parse.h"
#include "query/validate.h"
#include "sql/dialect.h"
#include "sql/query_compiler.h"

namespace tessera::sql {
namespace {

namespace json = boost::json;

std::string SourceDir() {
  const char* env = std::getenv("TESSERA_SOURCE_DIR");
  return env ? env : TESSERA_SOURCE_DIR;
}
std::string GoldenDir() { return SourceDir() + "/tests/sql/golden"; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

model::CompiledModelPtr DemoModel() {
  static model::CompiledModelPtr model = [] {
    auto loaded = model::LoadModelDirectory(SourceDir() + "/demo/model");
    return loaded.model;
  }();
  return model;
}

std::string Render(const CompiledQuery& c) {
  std::string out = c.sql + "\n-- params\n";
  for (const auto& p : c.params) out += std::to_string(static_cast<int>(p.type)) + " " + p.text + "\n";
  if (c.total_sql) out += "-- total\n" + *c.total_sql + "\n";
  return out;
}

struct Case {
  std::string name;
  std::string query;
  std::string context;  // security context JSON, may be empty
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  json::value all = json::parse(ReadFile(GoldenDir() + "/cases.json"));
  for (const auto& c : all.as_array()) {
    Case k;
    k.name = std::string(c.at("name").as_string());
    k.query = json::serialize(c.at("query"));
    if (c.as_object().contains("securityContext")) k.context = json::serialize(c.at("securityContext"));
    cases.push_back(std::move(k));
  }
  return cases;
}

class GoldenSql : public ::testing::TestWithParam<std::tuple<std::string, Case>> {};

TEST_P(GoldenSql, MatchesGoldenFile) {
  const auto& [dialect_name, c] = GetParam();
  ASSERT_TRUE(DemoModel());
  std::unique_ptr<Dialect> dialect = dialect_name == "sqlite" ? MakeSqliteDialect() : MakePostgresDialect();
  query::ParseOptions po;
  po.now = absl::FromCivil(absl::CivilSecond(2024, 6, 15, 12, 0, 0), absl::UTCTimeZone());
  auto parsed = query::ParseQueryText(c.query, po);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const query::Query& q = parsed->queries.front();
  ASSERT_TRUE(query::ValidateQuery(q, *DemoModel()).ok());
  json::value context;
  CompileOptions options;
  if (!c.context.empty()) {
    context = json::parse(c.context);
    options.security_context = &context;
  }
  auto compiled = CompileQuery(q, *DemoModel(), *dialect, options);
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::string actual = Render(*compiled);
  std::string path = GoldenDir() + "/" + c.name + "." + dialect_name + ".sql";
  if (std::getenv("TESSERA_UPDATE_GOLDEN")) {
    std::ofstream(path) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing; run with TESSERA_UPDATE_GOLDEN=1";
  EXPECT_EQ(ReadFile(path), actual) << path;
}

INSTANTIATE_TEST_SUITE_P(Demo, GoldenSql,
                         ::testing::Combine(::testing::Values("sqlite", "postgres"),
                                            ::testing::ValuesIn(Cases())),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + std::get<1>(info.param).name;
                         });

// Properties that must hold for every case, whatever the golden files say.
TEST(QueryCompiler, ValuesNeverAppearInSqlText) {
  auto dialect = MakePostgresDialect();
  query::ParseOptions po;
  po.now = absl::Now();
  const std::string marker = "zz_marker_'; DROP TABLE orders; --";
  std::string q = R"({"measures":["Orders.count"],"dimensions":["Orders.status"],"filters":[
    {"member":"Orders.status","operator":"contains","values":[)" + json::serialize(json::string(marker)) + R"(]},
    {"member":"Users.city","operator":"equals","values":[)" + json::serialize(json::string(marker)) + R"(]}],
    "timezone":"America/New_York","limit":7})";
  auto parsed = query::ParseQueryText(q, po);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  json::value ctx = json::object{{"tenant_id", marker}};
  CompileOptions options;
  options.security_context = &ctx;
  auto compiled = CompileQuery(parsed->queries.front(), *DemoModel(), *dialect, options);
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_EQ(compiled->sql.find("zz_marker"), std::string::npos) << compiled->sql;
  EXPECT_EQ(compiled->sql.find("New_York"), std::string::npos) << compiled->sql;
  EXPECT_EQ(compiled->sql.find(" 7"), std::string::npos) << compiled->sql;
  int markers = 0;
  for (const auto& p : compiled->params) markers += p.text.find("marker") != std::string::npos;
  EXPECT_EQ(markers, 2);
}

TEST(QueryCompiler, OneToManyJoinAggregatesOverDistinctKeys) {
  auto dialect = MakeSqliteDialect();
  query::ParseOptions po;
  po.now = absl::Now();
  auto parsed = query::ParseQueryText(
      R"({"measures":["Orders.totalAmount","LineItems.count"],"dimensions":["Orders.status"]})", po);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  auto compiled = CompileQuery(parsed->queries.front(), *DemoModel(), *dialect, {});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_TRUE(compiled->has_multiplied_measures);
  EXPECT_NE(compiled->sql.find("SELECT DISTINCT"), std::string::npos) << compiled->sql;
}

TEST(QueryCompiler, UnreachableCubesAreAClearError) {
  auto model = model::LoadModelFiles({{"m.yml", R"(cubes:
  - name: A
    sql_table: a
    measures:
      - name: count
        type: count
  - name: B
    sql_table: b
    dimensions:
      - name: x
        sql: x
        type: string
)"}});
  ASSERT_TRUE(model.model);
  query::ParseOptions po;
  po.now = absl::Now();
  auto parsed = query::ParseQueryText(R"({"measures":["A.count"],"dimensions":["B.x"]})", po);
  ASSERT_TRUE(parsed.ok());
  auto compiled = CompileQuery(parsed->queries.front(), *model.model, *MakeSqliteDialect(), {});
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().message(), "Can't find join path to join 'A', 'B'");
}

}  // namespace
}  // namespace tessera::sql
