// DataSourceConfig::schema for PostgreSQL: one schema per tenant. The name
// checks need no server; the rest runs against the test server (see
// pg_test_server.h) and skips without it.
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/data_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pg_test_server.h"

namespace tessera::driver {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::AdminConnection;
using testing::PgConfig;

// Unique per test binary run, so parallel runs against one server coexist.
const std::string& SchemaA() {
  static const std::string name = absl::StrCat("tessera_tenant_a_", getpid());
  return name;
}
// 63 characters, the longest name allowed (PostgreSQL's NAMEDATALEN - 1).
const std::string& SchemaB() {
  static const std::string name = [] {
    std::string n = absl::StrCat("tessera_tenant_b_", getpid(), "_");
    n.resize(63, 'b');
    return n;
  }();
  return name;
}
// Created quoted: only the exact spelling finds it.
const std::string& MixedCaseSchema() {
  static const std::string name = absl::StrCat("Tessera_Mixed_", getpid());
  return name;
}
// A table in public that the tenant schemas lack.
const std::string& PublicOnlyTable() {
  static const std::string name = absl::StrCat("tessera_public_only_", getpid());
  return name;
}

absl::StatusOr<DataSourcePtr> OpenWithSchema(const std::string& schema) {
  DataSourceConfig config = PgConfig(2);
  config.schema = schema;
  return OpenDataSource(config);
}

TEST(PgSchemaNameTest, RefusesAnythingButAPlainIdentifier) {
  const std::vector<std::string> bad = {
      "a;b", "a b", "\"x\"", "a,public", "a\\b", "a$b", "a'b", "a-b", "1abc", "caf\xc3\xa9",
      "a=b", std::string("a\0b", 3), std::string(64, 'x')};
  for (const std::string& schema : bad) {
    absl::StatusOr<DataSourcePtr> source = OpenWithSchema(schema);
    ASSERT_EQ(source.status().code(), absl::StatusCode::kInvalidArgument) << schema;
    EXPECT_THAT(source.status().message(), HasSubstr("schema name")) << schema;
    EXPECT_THAT(source.status().message(), Not(HasSubstr(schema))) << schema;
  }
  EXPECT_THAT(OpenWithSchema(std::string(64, 'x')).status().message(), HasSubstr("63"));
  EXPECT_THAT(OpenWithSchema("9lives").status().message(), HasSubstr("digit"));
}

TEST(PgSchemaNameTest, AcceptsPlainIdentifiersAndEmpty) {
  // Opening does not connect, so this needs no server.
  for (const std::string& schema :
       {std::string(), std::string("a"), std::string("_x"), std::string("Tenant_42"),
        std::string(63, 'x')}) {
    absl::StatusOr<DataSourcePtr> source = OpenWithSchema(schema);
    EXPECT_TRUE(source.ok()) << schema << ": " << source.status();
  }
}

class PgSchemaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::HavePgServer()) return;
    TearDownTestSuite();  // leftovers of a crashed run with the same pid
    AdminConnection admin;
    const std::string& a = SchemaA();
    const std::string& b = SchemaB();
    admin.Run(absl::StrCat(
        "CREATE SCHEMA ", a, "; CREATE SCHEMA ", b, "; CREATE SCHEMA \"", MixedCaseSchema(), "\";",
        "CREATE TABLE ", a, ".items (id integer PRIMARY KEY, label text);",
        "INSERT INTO ", a, ".items VALUES (1, 'a-one'), (2, 'a-two');",
        "CREATE TABLE ", a, ".only_in_a (item_id integer REFERENCES ", a, ".items);",
        "CREATE TABLE ", b, ".items (id integer PRIMARY KEY, label text);",
        "INSERT INTO ", b, ".items VALUES (1, 'b-one');",
        "CREATE TABLE \"", MixedCaseSchema(), "\".items (label text);",
        "INSERT INTO \"", MixedCaseSchema(), "\".items VALUES ('mixed');",
        "CREATE TABLE public.", PublicOnlyTable(), " (x integer);",
        "INSERT INTO public.", PublicOnlyTable(), " VALUES (7);"));
  }

  static void TearDownTestSuite() {
    if (!testing::HavePgServer()) return;
    AdminConnection admin;
    admin.Run(absl::StrCat("DROP SCHEMA IF EXISTS ", SchemaA(), ", ", SchemaB(), ", \"",
                           MixedCaseSchema(), "\" CASCADE; DROP TABLE IF EXISTS public.",
                           PublicOnlyTable()));
  }

  void SetUp() override {
    if (!testing::HavePgServer()) {
      GTEST_SKIP() << "TESSERA_TEST_PG_PORT is not set: start a server with "
                      "scripts/pg-test-server.sh start DIR and export its port";
    }
  }

  static DataSourcePtr MustOpen(const std::string& schema) {
    absl::StatusOr<DataSourcePtr> source = OpenWithSchema(schema);
    EXPECT_TRUE(source.ok()) << source.status();
    return source.ok() ? *source : nullptr;
  }

  // The first column of every row of `sql`, run on `source`.
  static std::vector<std::string> Column(DataSource& source, const std::string& sql) {
    absl::StatusOr<ResultSet> rs = source.Execute(sql, {});
    EXPECT_TRUE(rs.ok()) << sql << ": " << rs.status();
    std::vector<std::string> out;
    if (rs.ok()) {
      for (const auto& row : rs->rows) out.push_back(row[0].value_or("NULL"));
    }
    return out;
  }
};

TEST_F(PgSchemaTest, EachSourceSeesOnlyItsSchemasRows) {
  DataSourcePtr a = MustOpen(SchemaA());
  DataSourcePtr b = MustOpen(SchemaB());
  ASSERT_TRUE(a && b);
  EXPECT_THAT(Column(*a, "SELECT label FROM items ORDER BY id"), ElementsAre("a-one", "a-two"));
  EXPECT_THAT(Column(*b, "SELECT label FROM items ORDER BY id"), ElementsAre("b-one"));
  EXPECT_THAT(Column(*a, "SELECT current_schema()"), ElementsAre(SchemaA()));
  EXPECT_THAT(Column(*b, "SELECT current_schema()"), ElementsAre(SchemaB()));
  // pg_catalog is still searched implicitly: built-in functions and types work.
  EXPECT_THAT(Column(*a, "SELECT lower('X') || count(*)::text FROM items"), ElementsAre("x2"));
}

TEST_F(PgSchemaTest, UnqualifiedNamesDoNotFallBackToOtherSchemas) {
  DataSourcePtr a = MustOpen(SchemaA());
  DataSourcePtr b = MustOpen(SchemaB());
  ASSERT_TRUE(a && b);
  // public has the table, the tenant's schema does not: an error, not public's rows.
  absl::StatusOr<ResultSet> rs = a->Execute(absl::StrCat("SELECT x FROM ", PublicOnlyTable()), {});
  ASSERT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rs.status().message(), HasSubstr("42P01"));  // undefined_table
  // Nor another tenant's table.
  rs = b->Execute("SELECT * FROM only_in_a", {});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  // Without a schema, the server default (which includes public) applies.
  DataSourcePtr plain = MustOpen("");
  ASSERT_TRUE(plain);
  EXPECT_THAT(Column(*plain, absl::StrCat("SELECT x FROM ", PublicOnlyTable())), ElementsAre("7"));
}

TEST_F(PgSchemaTest, SchemaNameKeepsItsCase) {
  DataSourcePtr mixed = MustOpen(MixedCaseSchema());
  ASSERT_TRUE(mixed);
  EXPECT_THAT(Column(*mixed, "SELECT label FROM items"), ElementsAre("mixed"));
}

TEST_F(PgSchemaTest, IntrospectListsOnlyTheSchemasTables) {
  DataSourcePtr a = MustOpen(SchemaA());
  DataSourcePtr b = MustOpen(SchemaB());
  ASSERT_TRUE(a && b);
  absl::StatusOr<std::vector<TableSchema>> ta = a->Introspect();
  ASSERT_TRUE(ta.ok()) << ta.status();
  ASSERT_EQ(ta->size(), 2u);
  EXPECT_EQ((*ta)[0].schema, SchemaA());
  EXPECT_EQ((*ta)[0].name, "items");
  EXPECT_TRUE((*ta)[0].columns[0].primary_key);
  EXPECT_EQ((*ta)[1].name, "only_in_a");
  ASSERT_TRUE((*ta)[1].columns[0].foreign_key.has_value());
  EXPECT_EQ((*ta)[1].columns[0].foreign_key->table, "items");

  absl::StatusOr<std::vector<TableSchema>> tb = b->Introspect();
  ASSERT_TRUE(tb.ok()) << tb.status();
  ASSERT_EQ(tb->size(), 1u);
  EXPECT_EQ((*tb)[0].schema, SchemaB());
  EXPECT_EQ((*tb)[0].name, "items");
  EXPECT_EQ((*tb)[0].columns.size(), 2u);
}

}  // namespace
}  // namespace tessera::driver
