#include "scaffold/cube_scaffold.h"

#include <gtest/gtest.h>

#include "scaffold/cube_yaml_writer.h"
#include "yaml-cpp/yaml.h"

namespace tessera::scaffold {
namespace {

using driver::ColumnSchema;
using driver::ForeignKey;
using driver::TableSchema;

ColumnSchema Column(std::string name, std::string type, bool pk = false,
                    std::optional<ForeignKey> fk = std::nullopt) {
  ColumnSchema c;
  c.name = std::move(name);
  c.sql_type = std::move(type);
  c.primary_key = pk;
  c.foreign_key = std::move(fk);
  return c;
}

std::vector<TableSchema> ShopTables() {
  TableSchema users{"main", "users",
                    {Column("id", "integer", true), Column("first_name", "text"),
                     Column("created_at", "timestamp"), Column("is_admin", "boolean")}};
  TableSchema orders{"main", "orders",
                     {Column("id", "integer", true),
                      Column("user_id", "integer", false, ForeignKey{"users", "id"}),
                      Column("status", "varchar(20)"), Column("amount", "numeric(10,2)"),
                      Column("count", "integer")}};
  return {users, orders};
}

const JoinablePredicate kAll = [](const TableSchema&) { return true; };

TEST(CubeScaffoldTest, NamesTypesAndKeys) {
  std::vector<CubeDraft> drafts = ScaffoldCubes(ShopTables(), kAll);
  ASSERT_EQ(drafts.size(), 2u);
  const CubeDraft& users = drafts[0];
  EXPECT_EQ(users.name, "Users");
  EXPECT_EQ(users.file_stem, "users");
  EXPECT_EQ(users.sql_table, "users");
  ASSERT_EQ(users.dimensions.size(), 4u);
  EXPECT_EQ(users.dimensions[0].name, "id");
  EXPECT_TRUE(users.dimensions[0].primary_key);
  EXPECT_EQ(users.dimensions[0].type, "number");
  EXPECT_EQ(users.dimensions[1].name, "firstName");
  EXPECT_EQ(users.dimensions[1].sql, "{CUBE}.first_name");
  EXPECT_EQ(users.dimensions[2].type, "time");
  EXPECT_EQ(users.dimensions[3].type, "boolean");
  ASSERT_EQ(users.measures.size(), 1u);
  EXPECT_EQ(users.measures[0].type, "count");
  EXPECT_EQ(users.measures[0].drill_members,
            (std::vector<std::string>{"id", "firstName", "createdAt"}));
}

TEST(CubeScaffoldTest, AmountsBecomeSumMeasuresWithoutClashingWithCount) {
  const CubeDraft orders = ScaffoldCubes(ShopTables(), kAll)[1];
  ASSERT_EQ(orders.measures.size(), 3u);
  EXPECT_EQ(orders.measures[1].name, "amount");
  EXPECT_EQ(orders.measures[1].type, "sum");
  EXPECT_EQ(orders.measures[1].sql, "{CUBE}.amount");
  EXPECT_EQ(orders.measures[2].name, "countSum");  // a column called "count"
  for (const DimensionDraft& d : orders.dimensions) EXPECT_NE(d.name, "amount");
}

TEST(CubeScaffoldTest, ForeignKeysBecomeManyToOneJoins) {
  const CubeDraft orders = ScaffoldCubes(ShopTables(), kAll)[1];
  ASSERT_EQ(orders.joins.size(), 1u);
  EXPECT_EQ(orders.joins[0].cube, "Users");
  EXPECT_EQ(orders.joins[0].relationship, "many_to_one");
  EXPECT_EQ(orders.joins[0].sql, "{CUBE}.user_id = {Users.id}");
}

TEST(CubeScaffoldTest, JoinToACubeNotInTheModelBecomesANote) {
  std::vector<CubeDraft> drafts =
      ScaffoldCubes(ShopTables(), [](const TableSchema& t) { return t.name != "users"; });
  EXPECT_TRUE(drafts[1].joins.empty());
  ASSERT_EQ(drafts[1].notes.size(), 1u);
  EXPECT_NE(drafts[1].notes[0].find("user_id"), std::string::npos);
}

TEST(CubeScaffoldTest, SelfReferencesAndSecondJoinsAreNotes) {
  TableSchema people{"main", "people",
                     {Column("id", "integer", true),
                      Column("manager_id", "integer", false, ForeignKey{"people", "id"})}};
  TableSchema tickets{"main", "tickets",
                      {Column("id", "integer", true),
                       Column("opened_by", "integer", false, ForeignKey{"people", "id"}),
                       Column("closed_by", "integer", false, ForeignKey{"people", "id"})}};
  std::vector<CubeDraft> drafts = ScaffoldCubes({people, tickets}, kAll);
  EXPECT_TRUE(drafts[0].joins.empty());
  EXPECT_EQ(drafts[0].notes.size(), 1u);
  EXPECT_EQ(drafts[1].joins.size(), 1u);
  EXPECT_EQ(drafts[1].notes.size(), 1u);
}

TEST(CubeScaffoldTest, OddNamesAreQuotedAndSchemasKept) {
  TableSchema odd{"sales", "Order Lines",
                  {Column("Line ID", "integer", true), Column("Unit Price", "real")}};
  CubeDraft draft = ScaffoldCubes({odd}, kAll)[0];
  EXPECT_EQ(draft.name, "SalesOrderLines");
  EXPECT_EQ(draft.file_stem, "sales_Order_Lines");
  EXPECT_EQ(draft.sql_table, "sales.\"Order Lines\"");
  EXPECT_EQ(draft.dimensions[0].sql, "{CUBE}.\"Line ID\"");
  EXPECT_EQ(draft.measures[1].name, "unitPrice");
}

TEST(CubeScaffoldTest, MissingPrimaryKeyFallsBackToIdOrIsNoted) {
  TableSchema with_id{"main", "events", {Column("id", "integer"), Column("kind", "text")}};
  TableSchema without{"main", "logs", {Column("line", "text")}};
  std::vector<CubeDraft> drafts = ScaffoldCubes({with_id, without}, kAll);
  EXPECT_TRUE(drafts[0].dimensions[0].primary_key);
  EXPECT_TRUE(drafts[0].notes.empty());
  ASSERT_EQ(drafts[1].notes.size(), 1u);
  EXPECT_NE(drafts[1].notes[0].find("primary key"), std::string::npos);
}

TEST(CubeYamlWriterTest, ScalarsAreQuotedWhenPlainWouldChangeMeaning) {
  EXPECT_EQ(YamlScalar("orders"), "orders");
  EXPECT_EQ(YamlScalar("public.orders"), "public.orders");
  EXPECT_EQ(YamlScalar("{CUBE}.id"), "\"{CUBE}.id\"");
  EXPECT_EQ(YamlScalar("true"), "\"true\"");
  EXPECT_EQ(YamlScalar("No"), "\"No\"");
  EXPECT_EQ(YamlScalar("123"), "\"123\"");
  EXPECT_EQ(YamlScalar(""), "\"\"");
  EXPECT_EQ(YamlScalar("a \"b\"\\"), "\"a \\\"b\\\"\\\\\"");
  for (std::string text : {"{CUBE}.\"Line ID\" = {X.y}", "a: b", "- x", "tab\there", "#no"}) {
    EXPECT_EQ(YAML::Load("k: " + YamlScalar(text))["k"].as<std::string>(), text);
  }
}

TEST(CubeYamlWriterTest, WritesCubeYamlThatReadsBack) {
  const CubeDraft orders = ScaffoldCubes(ShopTables(), kAll)[1];
  const std::string yaml = WriteCubeYaml(orders);
  EXPECT_EQ(yaml.rfind("# Generated by `tessera generate-model` from table orders.", 0), 0u);
  YAML::Node root = YAML::Load(yaml);
  const YAML::Node cube = root["cubes"][0];
  EXPECT_EQ(cube["name"].as<std::string>(), "Orders");
  EXPECT_EQ(cube["sql_table"].as<std::string>(), "orders");
  EXPECT_EQ(cube["joins"][0]["sql"].as<std::string>(), "{CUBE}.user_id = {Users.id}");
  EXPECT_EQ(cube["measures"][0]["name"].as<std::string>(), "count");
  EXPECT_EQ(cube["dimensions"][0]["primary_key"].as<bool>(), true);
}

}  // namespace
}  // namespace tessera::scaffold
