// Loading valid models: every piece of syntax lands in the compiled model.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/compiled_model.h"
#include "model_test_support.h"

namespace tessera::model {
namespace {

using ::testing::ElementsAre;
using testing::MustLoad;
using Kind = SqlPart::Kind;

constexpr char kOrders[] = R"Y(
cubes:
  - name: orders
    sql_table: public.orders
    title: Orders
    description: All orders
    public: true
    meta: {owner: sales, tags: [a, "1"], n: 3, r: 1.5, ok: true, none: null}
    refresh_key:
      every: 1 hour
    pre_aggregations:
      - name: main
        type: rollup
    joins:
      - name: users
        sql: "{CUBE}.user_id = {users.id}"
        relationship: many_to_one
    measures:
      - name: count
        type: count
      - name: revenue
        sql: amount
        type: sum
        title: Revenue
        description: Money in
        format: currency
        filters:
          - sql: "{CUBE}.status = 'completed'"
        drill_members: [id, users.name, created_at]
        public: false
        meta: {unit: EUR}
      - name: avg_order
        sql: "{revenue} / NULLIF({count}, 0)"
        type: number
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: created_at
        sql: created_at
        type: time
      - name: status
        sql: "{CUBE}.status"
        type: string
      - name: size
        type: string
        case:
          when:
            - sql: "{CUBE}.amount < 100"
              label: small
            - sql: "{CUBE}.amount < 1000"
              label: medium
          else:
            label: large
    segments:
      - name: completed
        sql: "{CUBE}.status = 'completed'"
  - name: users
    sql: SELECT * FROM users WHERE tenant = {securityContext.tenant}
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: name
        sql: name
        type: string
)Y";

TEST(ModelLoader, CubeLevelFields) {
  CompiledModelPtr model = MustLoad(kOrders);
  ASSERT_NE(model, nullptr);
  ASSERT_EQ(model->cubes().size(), 2u);
  const Cube* orders = model->FindCube("orders");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->title, "Orders");
  EXPECT_EQ(orders->description, "All orders");
  EXPECT_TRUE(orders->is_public);
  EXPECT_EQ(orders->sql_table, "public.orders");
  EXPECT_EQ(orders->sql.source, "SELECT * FROM public.orders");
  ASSERT_EQ(orders->sql.parts.size(), 1u);
  EXPECT_EQ(orders->sql.parts[0].text, "SELECT * FROM public.orders");
  EXPECT_EQ(orders->refresh_key.every_seconds, 3600);
  EXPECT_EQ(orders->location.file, "m.yml");
  EXPECT_EQ(orders->location.line, 3);
  EXPECT_EQ(model->FindCube("nope"), nullptr);
}

TEST(ModelLoader, MetaIsKeptAsTypedJson) {
  CompiledModelPtr model = MustLoad(kOrders);
  const Cube* orders = model->FindCube("orders");
  EXPECT_EQ(orders->meta,
            R"({"owner":"sales","tags":["a","1"],"n":3,"r":1.5E0,"ok":true,"none":null})");
  EXPECT_EQ(orders->FindMeasure("revenue")->meta, R"({"unit":"EUR"})");
  EXPECT_EQ(orders->FindMeasure("count")->meta, "");
}

TEST(ModelLoader, MeasureFields) {
  CompiledModelPtr model = MustLoad(kOrders);
  const Cube* orders = model->FindCube("orders");
  const Measure* count = orders->FindMeasure("count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->type, MeasureType::kCount);
  EXPECT_TRUE(count->sql.empty());
  EXPECT_TRUE(count->is_public);

  const Measure* revenue = orders->FindMeasure("revenue");
  ASSERT_NE(revenue, nullptr);
  EXPECT_EQ(revenue->type, MeasureType::kSum);
  EXPECT_EQ(revenue->sql.source, "amount");
  EXPECT_EQ(revenue->description, "Money in");
  EXPECT_EQ(revenue->format, "currency");
  EXPECT_FALSE(revenue->is_public);
  ASSERT_EQ(revenue->filters.size(), 1u);
  EXPECT_EQ(revenue->filters[0].source, "{CUBE}.status = 'completed'");
  EXPECT_EQ(revenue->filters[0].parts[0].kind, Kind::kCubeAlias);
  EXPECT_THAT(revenue->drill_members,
              ElementsAre("orders.id", "users.name", "orders.created_at"));
  EXPECT_EQ(revenue->location.line, 21);
}

TEST(ModelLoader, BareColumnsArePrefixedWithTheCubeAlias) {
  CompiledModelPtr model = MustLoad(kOrders);
  const Cube* orders = model->FindCube("orders");
  const SqlTemplate& sql = orders->FindMeasure("revenue")->sql;
  ASSERT_EQ(sql.parts.size(), 2u);
  EXPECT_EQ(sql.parts[0].kind, Kind::kCubeAlias);
  EXPECT_EQ(sql.parts[1].text, ".amount");
  const SqlTemplate& id = orders->FindDimension("id")->sql;
  ASSERT_EQ(id.parts.size(), 2u);
  EXPECT_EQ(id.parts[1].text, ".id");
}

TEST(ModelLoader, BareColumnPrefixIsOnlyForMeasureAndDimensionSql) {
  CompiledModelPtr model = MustLoad(R"(
cubes:
  - name: t
    sql: events
    measures:
      - name: c
        type: count
        filters:
          - sql: active
    segments:
      - name: s
        sql: active
)");
  const Cube* t = model->FindCube("t");
  ASSERT_EQ(t->sql.parts.size(), 1u);
  EXPECT_EQ(t->sql.parts[0].kind, Kind::kText);
  EXPECT_EQ(t->FindMeasure("c")->filters[0].parts[0].text, "active");
  EXPECT_EQ(t->FindSegment("s")->sql.parts[0].kind, Kind::kText);
}

TEST(ModelLoader, NumberMeasureRefersToOtherMeasures) {
  CompiledModelPtr model = MustLoad(kOrders);
  const Cube* orders = model->FindCube("orders");
  const Measure* avg = orders->FindMeasure("avg_order");
  EXPECT_EQ(avg->type, MeasureType::kNumber);
  ASSERT_EQ(avg->sql.parts.size(), 4u);
  EXPECT_EQ(avg->sql.parts[1].text, " / NULLIF(");
  EXPECT_EQ(avg->sql.parts[0].kind, Kind::kMember);
  EXPECT_EQ(avg->sql.parts[0].cube, "orders");
  EXPECT_EQ(avg->sql.parts[0].member, "revenue");
  EXPECT_EQ(avg->sql.parts[2].member, "count");
}

TEST(ModelLoader, DimensionFieldsAndCase) {
  CompiledModelPtr model = MustLoad(kOrders);
  const Cube* orders = model->FindCube("orders");
  const Dimension* id = orders->FindDimension("id");
  EXPECT_TRUE(id->primary_key);
  EXPECT_EQ(id->type, DimensionType::kNumber);
  EXPECT_FALSE(id->is_public);  // Cube hides primary keys from /meta by default
  EXPECT_EQ(orders->FindDimension("created_at")->type, DimensionType::kTime);
  EXPECT_TRUE(orders->FindDimension("status")->is_public);

  const Dimension* size = orders->FindDimension("size");
  EXPECT_TRUE(size->sql.empty());
  ASSERT_EQ(size->case_when.size(), 2u);
  EXPECT_EQ(size->case_when[0].label, "small");
  EXPECT_EQ(size->case_when[0].sql.source, "{CUBE}.amount < 100");
  EXPECT_EQ(size->case_when[1].label, "medium");
  EXPECT_EQ(size->case_else, "large");
  EXPECT_EQ(orders->PrimaryKeys().size(), 1u);
  EXPECT_EQ(orders->PrimaryKeys()[0]->name, "id");
}

TEST(ModelLoader, SegmentsAndJoins) {
  CompiledModelPtr model = MustLoad(kOrders);
  const Cube* orders = model->FindCube("orders");
  const Segment* completed = orders->FindSegment("completed");
  ASSERT_NE(completed, nullptr);
  EXPECT_EQ(completed->title, "Orders Completed");
  EXPECT_EQ(completed->short_title, "Completed");
  ASSERT_EQ(model->JoinsOf(*orders).size(), 1u);
  const Join& join = model->JoinsOf(*orders)[0];
  EXPECT_EQ(join.target, "users");
  EXPECT_EQ(join.relationship, Relationship::kManyToOne);
  ASSERT_EQ(join.sql.parts.size(), 3u);
  EXPECT_EQ(join.sql.parts[2].cube, "users");
  EXPECT_EQ(join.sql.parts[2].member, "id");
  EXPECT_EQ(join.location.line, 15);
}

TEST(ModelLoader, CubeSqlWithSecurityContext) {
  CompiledModelPtr model = MustLoad(kOrders);
  const Cube* users = model->FindCube("users");
  ASSERT_EQ(users->sql.parts.size(), 2u);
  EXPECT_EQ(users->sql.parts[0].text, "SELECT * FROM users WHERE tenant = ");
  EXPECT_EQ(users->sql.parts[1].kind, Kind::kContextValue);
  EXPECT_EQ(users->sql.parts[1].text, "tenant");
  EXPECT_TRUE(users->sql_table.empty());
  EXPECT_EQ(users->refresh_key.every_seconds, 0);
}

TEST(ModelLoader, DefaultTitlesFollowCube) {
  CompiledModelPtr model = MustLoad(R"(
cubes:
  - name: Products
    sql_table: products
    measures:
      - name: count
        type: count
    dimensions:
      - name: createdAt
        sql: created_at
        type: time
  - name: line_items
    sql_table: line_items
)");
  const Cube* products = model->FindCube("Products");
  EXPECT_EQ(products->title, "Products");
  EXPECT_EQ(products->FindDimension("createdAt")->title, "Products Created at");
  EXPECT_EQ(products->FindDimension("createdAt")->short_title, "Created at");
  EXPECT_EQ(products->FindMeasure("count")->title, "Products Count");
  EXPECT_EQ(products->FindMeasure("count")->short_title, "Count");
  EXPECT_EQ(model->FindCube("line_items")->title, "Line Items");
}

TEST(ModelLoader, GivenTitlesArePrefixedWithTheCubeTitle) {
  CompiledModelPtr model = MustLoad(kOrders);
  const Cube* orders = model->FindCube("orders");
  EXPECT_EQ(orders->FindMeasure("revenue")->title, "Orders Revenue");
  EXPECT_EQ(orders->FindMeasure("revenue")->short_title, "Revenue");
  EXPECT_EQ(orders->FindMeasure("avg_order")->title, "Orders Avg Order");
}

TEST(ModelLoader, RelationshipSpellings) {
  const std::pair<const char*, Relationship> cases[] = {
      {"many_to_one", Relationship::kManyToOne}, {"belongs_to", Relationship::kManyToOne},
      {"manyToOne", Relationship::kManyToOne},   {"belongsTo", Relationship::kManyToOne},
      {"one_to_many", Relationship::kOneToMany}, {"has_many", Relationship::kOneToMany},
      {"hasMany", Relationship::kOneToMany},     {"oneToMany", Relationship::kOneToMany},
      {"one_to_one", Relationship::kOneToOne},   {"has_one", Relationship::kOneToOne},
      {"hasOne", Relationship::kOneToOne},       {"oneToOne", Relationship::kOneToOne},
  };
  for (const auto& [spelling, expected] : cases) {
    CompiledModelPtr model = MustLoad(std::string(R"(
cubes:
  - name: a
    sql_table: a
    joins:
      - name: b
        sql: "{CUBE}.b_id = {b.id}"
        relationship: )") + spelling + R"(
  - name: b
    sql_table: b
    dimensions:
      - name: id
        sql: id
        type: number
)");
    ASSERT_NE(model, nullptr) << spelling;
    EXPECT_EQ(model->FindCube("a")->joins[0].relationship, expected) << spelling;
  }
}

TEST(ModelLoader, MeasureTypeSpellings) {
  const std::pair<const char*, MeasureType> cases[] = {
      {"count", MeasureType::kCount},
      {"count_distinct", MeasureType::kCountDistinct},
      {"countDistinct", MeasureType::kCountDistinct},
      {"count_distinct_approx", MeasureType::kCountDistinctApprox},
      {"countDistinctApprox", MeasureType::kCountDistinctApprox},
      {"sum", MeasureType::kSum},
      {"avg", MeasureType::kAvg},
      {"min", MeasureType::kMin},
      {"max", MeasureType::kMax},
      {"number", MeasureType::kNumber},
      {"string", MeasureType::kString},
      {"time", MeasureType::kTime},
      {"boolean", MeasureType::kBoolean},
  };
  for (const auto& [spelling, expected] : cases) {
    CompiledModelPtr model = MustLoad(std::string(R"(
cubes:
  - name: a
    sql_table: a
    measures:
      - name: m
        sql: x
        type: )") + spelling + "\n");
    ASSERT_NE(model, nullptr) << spelling;
    EXPECT_EQ(model->FindCube("a")->FindMeasure("m")->type, expected) << spelling;
  }
}

TEST(ModelLoader, CamelCaseKeysAndOlderVisibilityAliases) {
  CompiledModelPtr model = MustLoad(R"(
cubes:
  - name: a
    sqlTable: a
    shown: false
    refreshKey:
      sql: SELECT MAX(updated_at) FROM a
    preAggregations: {}
    measures:
      - name: m
        type: countDistinct
        sql: x
        drillMembers: [id]
        visible: false
    dimensions:
      - name: id
        sql: id
        type: number
        primaryKey: true
        shown: true
)");
  const Cube* a = model->FindCube("a");
  EXPECT_EQ(a->sql_table, "a");
  EXPECT_FALSE(a->is_public);
  EXPECT_EQ(a->refresh_key.sql.source, "SELECT MAX(updated_at) FROM a");
  EXPECT_FALSE(a->FindMeasure("m")->is_public);
  EXPECT_THAT(a->FindMeasure("m")->drill_members, ElementsAre("a.id"));
  EXPECT_TRUE(a->FindDimension("id")->primary_key);
  EXPECT_TRUE(a->FindDimension("id")->is_public);
}

TEST(ModelLoader, PublicTakesPrecedenceOverShown) {
  CompiledModelPtr model = MustLoad(R"(
cubes:
  - name: a
    sql_table: a
    public: true
    shown: false
)");
  EXPECT_TRUE(model->FindCube("a")->is_public);
}

TEST(ModelLoader, ReferencesAcrossFiles) {
  CompiledModelPtr model = MustLoad({
      {"a/orders.yml", R"(
cubes:
  - name: orders
    sql_table: orders
    joins:
      - name: users
        sql: "{CUBE}.user_id = {users.id}"
        relationship: belongs_to
    dimensions:
      - name: user_name
        sql: "{users.name}"
        type: string
)"},
      {"b/users.yaml", R"(
cubes:
  - name: users
    sql_table: users
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: name
        sql: name
        type: string
)"}});
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->cubes()[0].name, "orders");
  EXPECT_EQ(model->cubes()[0].location.file, "a/orders.yml");
  EXPECT_EQ(model->cubes()[1].location.file, "b/users.yaml");
}

TEST(ModelLoader, EmptyMemberListsAreFine) {
  CompiledModelPtr model = MustLoad(R"(
cubes:
  - name: a
    sql_table: a
    measures:
    dimensions: []
)");
  EXPECT_TRUE(model->FindCube("a")->measures.empty());
}

TEST(ModelLoader, MemberNamespaceLookups) {
  CompiledModelPtr model = MustLoad(kOrders);
  const Cube* orders = model->FindCube("orders");
  EXPECT_EQ(orders->FindMeasure("status"), nullptr);
  EXPECT_EQ(orders->FindDimension("count"), nullptr);
  EXPECT_EQ(orders->FindSegment("nope"), nullptr);
}

TEST(ModelLoader, MetaKeepsQuotedAndBlockScalarsAsStrings) {
  CompiledModelPtr model = MustLoad(R"(
cubes:
  - name: a
    sql_table: a
    meta:
      quoted: "42"
      plain: 42
      neg: -7
      big: 123456789012345678901234567890
      text: |
        two
        lines
      list: []
      empty: {}
)");
  EXPECT_EQ(model->FindCube("a")->meta,
            R"({"quoted":"42","plain":42,"neg":-7,"big":1.2345678901234568E29,)"
            R"("text":"two\nlines\n","list":[],"empty":{}})");
}

TEST(ModelLoader, ContextValuesInFiltersSegmentsAndJoins) {
  CompiledModelPtr model = MustLoad(R"(
cubes:
  - name: a
    sql_table: a
    measures:
      - name: mine
        type: count
        filters:
          - sql: "{CUBE}.owner = {securityContext.sub}"
    segments:
      - name: tenant
        sql: "{CUBE}.tenant_id = {SECURITY_CONTEXT.tenant.id}"
)");
  const Cube* a = model->FindCube("a");
  const SqlTemplate& filter = a->FindMeasure("mine")->filters[0];
  ASSERT_EQ(filter.parts.size(), 3u);
  EXPECT_EQ(filter.parts[2].kind, Kind::kContextValue);
  EXPECT_EQ(filter.parts[2].text, "sub");
  const SqlTemplate& segment = a->FindSegment("tenant")->sql;
  EXPECT_EQ(segment.parts.back().kind, Kind::kContextValue);
  EXPECT_EQ(segment.parts.back().text, "tenant.id");
}

TEST(ModelLoader, DoubledBraceInModelSql) {
  CompiledModelPtr model = MustLoad(R"(
cubes:
  - name: a
    sql: "SELECT '{{}' AS x"
)");
  const SqlTemplate& sql = model->FindCube("a")->sql;
  ASSERT_EQ(sql.parts.size(), 1u);
  EXPECT_EQ(sql.parts[0].text, "SELECT '{}' AS x");
  EXPECT_EQ(sql.source, "SELECT '{{}' AS x");
}

}  // namespace
}  // namespace tessera::model
