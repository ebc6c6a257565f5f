// Invalid models: each problem is reported with file, line and member, all of
// them at once, and no model is produced.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/compiled_model.h"
#include "model_test_support.h"

namespace tessera::model {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ErrorStrings;
using testing::LoadOne;

// Loads `yaml` as orders.yml and returns the error lines.
std::vector<std::string> Errors(const std::string& yaml) {
  LoadResult r = LoadOne(yaml, "orders.yml");
  EXPECT_EQ(r.model, nullptr);
  return ErrorStrings(r);
}

TEST(ModelErrors, ToStringFormats) {
  EXPECT_EQ((ModelError{{"model/orders.yml", 12}, "Orders.total", "unknown type 'summ'"}).ToString(),
            "model/orders.yml:12: Orders.total: unknown type 'summ'");
  EXPECT_EQ((ModelError{{"a.yml", 3}, "", "bad"}).ToString(), "a.yml:3: bad");
  EXPECT_EQ((ModelError{{"a.yml", 0}, "", "cannot read file"}).ToString(),
            "a.yml: cannot read file");
}

TEST(ModelErrors, YamlSyntaxErrorHasItsLine) {
  std::vector<std::string> e = Errors("cubes:\n  - name: a\n    sql: [unclosed\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], ::testing::StartsWith("orders.yml:4: YAML syntax error: "));
}

TEST(ModelErrors, TabIndentationIsASyntaxError) {
  std::vector<std::string> e = Errors("cubes:\n\t- name: a\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("YAML syntax error"));
}

TEST(ModelErrors, MissingCubesList) {
  EXPECT_THAT(Errors(""), ElementsAre("orders.yml:1: file has no 'cubes:' list"));
  EXPECT_THAT(Errors("{}\n"), ElementsAre("orders.yml:1: file has no 'cubes:' list"));
  EXPECT_THAT(Errors("- a\n"),
              ElementsAre("orders.yml:1: a model file must be a mapping with a 'cubes:' list"));
  EXPECT_THAT(Errors("cubes: 3\n"), ElementsAre("orders.yml:1: 'cubes' must be a list"));
}

TEST(ModelErrors, ViewsAndUnknownTopLevelKeys) {
  EXPECT_THAT(Errors("cubes: []\nviews:\n  - name: v\ncube: []\n"),
              ElementsAre("orders.yml:2: views are not supported yet",
                          "orders.yml:4: unknown key 'cube' (did you mean 'cubes'?)"));
}

TEST(ModelErrors, SeveralDocumentsInOneFile) {
  EXPECT_THAT(Errors("cubes: []\n---\ncubes: []\n"),
              ElementsAre("orders.yml:2: a model file must hold a single YAML document"));
}

TEST(ModelErrors, CubeWithoutNameOrWithInvalidName) {
  EXPECT_THAT(Errors(R"(cubes:
  - sql_table: a
  - name: bad-name
    sql_table: b
  - name: 1abc
    sql_table: c
  - name: CUBE
    sql_table: d
  - just a string
)"),
              ElementsAre("orders.yml:2: cube has no 'name'",
                          "orders.yml:3: invalid cube name 'bad-name': names must match "
                          "[a-zA-Z_][a-zA-Z0-9_]*",
                          "orders.yml:5: invalid cube name '1abc': names must match "
                          "[a-zA-Z_][a-zA-Z0-9_]*",
                          "orders.yml:7: CUBE: 'CUBE' is reserved in SQL templates and cannot "
                          "name a cube",
                          "orders.yml:9: each entry of 'cubes' must be a mapping"));
}

TEST(ModelErrors, DuplicateCubeAcrossFiles) {
  LoadResult r = LoadModelFiles({{"a.yml", "cubes:\n  - name: orders\n    sql_table: o\n"},
                                 {"b.yml", "\ncubes:\n  - name: orders\n    sql_table: o\n"}});
  EXPECT_EQ(r.model, nullptr);
  EXPECT_THAT(ErrorStrings(r),
              ElementsAre("b.yml:3: orders: duplicate cube 'orders' (first defined at a.yml:2)"));
}

TEST(ModelErrors, DuplicateMemberNamesShareOneNamespace) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: orders
    sql_table: orders
    measures:
      - name: count
        type: count
      - name: count
        type: count
    dimensions:
      - name: count
        sql: c
        type: number
    segments:
      - name: count
        sql: "1 = 1"
)"),
              ElementsAre("orders.yml:7: orders.count: duplicate member name 'count' (already "
                          "defined at line 5)",
                          "orders.yml:10: orders.count: duplicate member name 'count' (already "
                          "defined at line 5)",
                          "orders.yml:14: orders.count: duplicate member name 'count' (already "
                          "defined at line 5)"));
}

TEST(ModelErrors, InvalidMemberNames) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: orders
    sql_table: orders
    measures:
      - type: count
      - name: "total amount"
        type: count
    dimensions:
      - name:
        sql: x
        type: string
)"),
              ElementsAre("orders.yml:5: orders: measure has no 'name'",
                          "orders.yml:6: orders: invalid measure name 'total amount': names "
                          "must match [a-zA-Z_][a-zA-Z0-9_]*",
                          "orders.yml:9: orders: invalid dimension name '': names must match "
                          "[a-zA-Z_][a-zA-Z0-9_]*"));
}

TEST(ModelErrors, UnknownTypes) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: orders
    sql_table: orders
    measures:
      - name: total
        sql: amount
        type: summ
      - name: running
        sql: amount
        type: runningTotal
      - name: untyped
        sql: amount
    dimensions:
      - name: where
        sql: geo
        type: geo
)"),
              ElementsAre("orders.yml:7: orders.total: unknown measure type 'summ'",
                          "orders.yml:10: orders.running: unknown measure type 'runningTotal'",
                          "orders.yml:11: orders.untyped: measure has no 'type'",
                          "orders.yml:16: orders.where: unknown dimension type 'geo' (expected "
                          "string, number, time or boolean)"));
}

TEST(ModelErrors, CubeNeedsExactlyOneOfSqlAndSqlTable) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: a
    title: A
  - name: b
    sql: SELECT 1
    sql_table: b
  - name: c
    sql_table: "{securityContext.schema}.c"
)"),
              ElementsAre("orders.yml:2: a: cube needs 'sql' or 'sql_table'",
                          "orders.yml:6: b: a cube has either 'sql' or 'sql_table', not both",
                          "orders.yml:8: c: 'sql_table' must be a plain table name; use 'sql' "
                          "for references"));
}

TEST(ModelErrors, MeasuresThatNeedSql) {
  std::string yaml = "cubes:\n  - name: o\n    sql_table: o\n    measures:\n";
  for (const char* type : {"sum", "avg", "min", "max", "count_distinct",
                           "count_distinct_approx", "number"}) {
    yaml += std::string("      - name: m_") + type + "\n        type: " + type + "\n";
  }
  std::vector<std::string> e = Errors(yaml);
  ASSERT_EQ(e.size(), 7u);
  EXPECT_EQ(e[0], "orders.yml:5: o.m_sum: a measure of type 'sum' needs 'sql'");
  EXPECT_EQ(e[4], "orders.yml:13: o.m_count_distinct: a measure of type 'count_distinct' "
                  "needs 'sql'");
  EXPECT_EQ(e[6], "orders.yml:17: o.m_number: a measure of type 'number' needs 'sql'");
}

TEST(ModelErrors, DimensionNeedsSqlOrCaseButNotBoth) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: o
    sql_table: o
    dimensions:
      - name: a
        type: string
      - name: b
        type: string
        sql: b
        case:
          when:
            - sql: "1=1"
              label: x
      - name: c
        type: string
        case:
          when: []
      - name: d
        type: string
        case:
          when:
            - sql: "{CUBE}.x = 1"
          else:
            label: {sql: y}
)"),
              ElementsAre("orders.yml:5: o.a: dimension needs 'sql' or 'case'",
                          "orders.yml:10: o.b: a dimension has either 'sql' or 'case', not both",
                          "orders.yml:17: o.c: 'case' needs a non-empty 'when' list",
                          "orders.yml:22: o.d: case branch has no 'label'",
                          "orders.yml:24: o.d: 'label' must be a string"));
}

TEST(ModelErrors, JoinProblems) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: o
    sql_table: o
    joins:
      - name: users
        sql: "{CUBE}.user_id = 1"
        relationship: many_to_many
      - name: ghosts
        sql: "{CUBE}.ghost_id = 1"
        relationship: has_many
      - name: o
        relationship: hasOne
  - name: users
    sql_table: users
)"),
              ElementsAre("orders.yml:7: o: unknown relationship 'many_to_many' (expected "
                          "many_to_one, one_to_many or one_to_one)",
                          "orders.yml:8: o: join to unknown cube 'ghosts'",
                          "orders.yml:11: o: join to 'o' has no 'sql'"));
}

TEST(ModelErrors, UnknownKeysAreReportedWithSuggestions) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: o
    sql_table: o
    data_source: other
    measures:
      - name: c
        type: count
        sqll: x
        rolling_window: {trailing: 7 day}
    dimensions:
      - name: d
        sql: d
        type: string
        primaryKey: true
        primary_key: false
)"),
              ElementsAre("orders.yml:4: o: unknown key 'data_source'",
                          "orders.yml:8: o.c: unknown key 'sqll' (did you mean 'sql'?)",
                          "orders.yml:9: o.c: unknown key 'rolling_window'",
                          "orders.yml:15: o.d: duplicate key 'primary_key'"));
}

TEST(ModelErrors, AccessPolicyIsRead) {
  LoadResult r = LoadOne(R"(cubes:
  - name: o
    sql_table: o
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: tenant
        sql: tenant
        type: string
      - name: note
        sql: note
        type: string
    measures:
      - name: count
        type: count
    access_policy:
      - roles: [admin, auditor]
        row_level:
          allow_all: true
      - group: "*"
        conditions:
          - if: "{ securityContext.active }"
        member_level:
          includes: "*"
          excludes: [o.note]
        row_level:
          filters:
            - member: tenant
              operator: equals
              values: ["{ securityContext.tenant_id }", "shared"]
            - or:
                - { member: o.id, operator: gt, values: ["10"] }
                - { member: id, operator: set }
)");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().ToString();
  const Cube& cube = r.model->cubes().front();
  ASSERT_EQ(cube.access_policies.size(), 2u);
  const AccessPolicy& any = cube.access_policies[1];
  EXPECT_EQ(cube.access_policies[0].roles, (std::vector<std::string>{"admin", "auditor"}));
  EXPECT_TRUE(cube.access_policies[0].allow_all);
  EXPECT_EQ(any.roles, std::vector<std::string>{"*"});
  EXPECT_EQ(any.conditions, std::vector<std::string>{"active"});
  EXPECT_TRUE(any.includes_all);
  EXPECT_EQ(any.excludes, std::vector<std::string>{"note"});
  ASSERT_EQ(any.filters.size(), 2u);
  EXPECT_EQ(any.filters[0].member, "o.tenant");
  ASSERT_EQ(any.filters[0].values.size(), 2u);
  EXPECT_TRUE(any.filters[0].values[0].from_context);
  EXPECT_EQ(any.filters[0].values[0].text, "tenant_id");
  EXPECT_FALSE(any.filters[0].values[1].from_context);
  EXPECT_EQ(any.filters[1].kind, PolicyFilter::Kind::kOr);
  EXPECT_EQ(any.filters[1].children[1].member, "o.id");
}

TEST(ModelErrors, AccessPolicyMistakesNameTheLine) {
  std::vector<std::string> e = Errors(R"(cubes:
  - name: o
    sql_table: o
    dimensions:
      - name: tenant
        sql: tenant
        type: string
    measures:
      - name: count
        type: count
    access_policy:
      - member_level:
          includes: [nope]
      - role: x
        conditions:
          - if: "securityContext.active === true"
      - role: y
        row_level:
          filters:
            - member: count
              operator: gt
              values: ["1"]
            - member: tenant
              operator: equals
              values: ["prefix-{ securityContext.t }"]
            - member: Other.tenant
              operator: equals
              values: ["a"]
)");
  EXPECT_THAT(e, ElementsAre(
      "orders.yml:12: o: access_policy: an access policy needs 'role' (or 'roles', 'group', 'groups'); \"*\" means everyone",
      "orders.yml:13: o: access_policy: unknown member 'nope'",
      "orders.yml:16: o: access_policy: a condition is '{ securityContext.path }': the policy applies when that claim is truthy (JavaScript expressions are not evaluated)",
      "orders.yml:20: o: access_policy: row filters apply to dimensions; 'count' is not one",
      "orders.yml:25: o: access_policy: a security context value must be the whole value: \"{ securityContext.path }\"",
      "orders.yml:26: o: access_policy: 'Other.tenant' is not a member of o (a policy can only name its own cube's members)"));
}

TEST(ModelErrors, PreAggregationsAreIgnored) {
  LoadResult r = LoadOne(R"(cubes:
  - name: o
    sql_table: o
    pre_aggregations:
      - name: anything
        whatever: [1, 2]
)");
  EXPECT_THAT(ErrorStrings(r), ::testing::IsEmpty());
  EXPECT_NE(r.model, nullptr);
}

TEST(ModelErrors, InvalidRefreshKeys) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: a
    sql_table: a
    refresh_key:
      every: 1 month
  - name: b
    sql_table: b
    refresh_key: {}
  - name: c
    sql_table: c
    refresh_key:
      every: "0 */2 * * *"
      timezone: UTC
)"),
              ElementsAre("orders.yml:5: a: invalid refresh_key interval '1 month': expected "
                          "'<number> <second|minute|hour|day|week>[s]', e.g. '1 hour'",
                          "orders.yml:8: b: 'refresh_key' needs 'every' or 'sql'",
                          "orders.yml:12: c: invalid refresh_key interval '0 */2 * * *': "
                          "expected '<number> <second|minute|hour|day|week>[s]', e.g. '1 hour'",
                          "orders.yml:13: c: unknown key 'timezone'"));
}

TEST(ModelErrors, BadValueShapes) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: o
    sql_table: o
    public: maybe
    measures:
      - name: c
        type: count
        sql: [a, b]
        drill_members: "id"
        filters: {sql: x}
      - name: d
        type: count
        drill_members: [a.b.c]
    dimensions: {}
)"),
              ElementsAre("orders.yml:4: o: 'public' must be true or false",
                          "orders.yml:8: o.c: 'sql' must be a string",
                          "orders.yml:9: o.c: 'drill_members' must be a list of member names",
                          "orders.yml:10: o.c: 'filters' must be a list of {sql: ...}",
                          "orders.yml:13: o.d: invalid drill member 'a.b.c': expected 'member' "
                          "or 'Cube.member'",
                          "orders.yml:14: o: 'dimensions' must be a list"));
}

TEST(ModelErrors, TemplateSyntaxErrorsPointAtTheSql) {
  std::vector<std::string> e = Errors(R"(cubes:
  - name: o
    sql: SELECT * FROM o WHERE r = {SECURITY_CONTEXT.role.unsafeValue()}
    measures:
      - name: m
        type: number
        sql: "{a.b.c}"
    segments:
      - name: s
        sql: "{CUBE.x"
)");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_THAT(e[0], ::testing::StartsWith(
                        "orders.yml:3: o: {SECURITY_CONTEXT.role.unsafeValue()}: unsafeValue() "
                        "is not supported"));
  EXPECT_THAT(e[1], ::testing::StartsWith("orders.yml:7: o.m: invalid reference {a.b.c}"));
  EXPECT_THAT(e[2], ::testing::StartsWith("orders.yml:10: o.s: unterminated '{'"));
}

TEST(ModelErrors, UnknownCubesAndMembersInReferences) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: o
    sql_table: o
    joins:
      - name: users
        sql: "{CUBE}.user_id = {users.uid}"
        relationship: belongs_to
    measures:
      - name: total
        sql: "{amout}"
        type: number
        drill_members: [nope, users.id]
        filters:
          - sql: "{ghost.status} = 1"
    dimensions:
      - name: user_id
        sql: "{users}.id"
        type: number
  - name: users
    sql_table: users
    dimensions:
      - name: id
        sql: id
        type: number
)"),
              ElementsAre("orders.yml:6: o: reference to unknown member 'users.uid'",
                          "orders.yml:10: o.total: reference to unknown member 'o.amout'",
                          "orders.yml:12: o.total: reference to unknown member 'o.nope'",
                          "orders.yml:14: o.total: reference to unknown cube 'ghost'"));
  // {users}.id above names the other cube's alias (Cube's `${users}.id`) and is valid.
}

TEST(ModelErrors, WhatMayReferToAMeasure) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: o
    sql: "SELECT * FROM o WHERE {count} > 0"
    measures:
      - name: count
        type: count
      - name: total
        sql: "{count} * 2"
        type: sum
      - name: ratio
        sql: "{count} / 2"
        type: number
        filters:
          - sql: "{count} > 1"
    dimensions:
      - name: d
        sql: "{count}"
        type: number
    segments:
      - name: s
        sql: "{ratio} > 1"
)"),
              ElementsAre("orders.yml:3: o: cube sql cannot refer to measure 'o.count'",
                          "orders.yml:8: o.total: a measure of type 'sum' cannot refer to "
                          "measure 'o.count' (aggregates cannot nest); use type 'number'",
                          "orders.yml:14: o.ratio: a measure filter cannot refer to measure "
                          "'o.count'",
                          "orders.yml:17: o.d: dimension sql cannot refer to measure 'o.count'",
                          "orders.yml:21: o.s: segment sql cannot refer to measure 'o.ratio'"));
}

TEST(ModelErrors, CircularReferences) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: o
    sql_table: o
    measures:
      - name: a
        sql: "{b} + 1"
        type: number
      - name: b
        sql: "{c} * 2"
        type: number
      - name: c
        sql: "{a}"
        type: number
      - name: self
        sql: "{self} + 1"
        type: number
      - name: fine
        sql: "{a}"
        type: number
)"),
              ElementsAre("orders.yml:5: o.a: circular reference: o.a -> o.b -> o.c -> o.a",
                          "orders.yml:14: o.self: circular reference: o.self -> o.self"));
}

TEST(ModelErrors, CircularReferencesAcrossCubesAndFiles) {
  LoadResult r = LoadModelFiles({{"a.yml", R"(cubes:
  - name: a
    sql_table: a
    dimensions:
      - name: x
        sql: "{b.y}"
        type: number
)"},
                                 {"b.yml", R"(cubes:
  - name: b
    sql_table: b
    dimensions:
      - name: y
        sql: "{a.x} + 1"
        type: number
)"}});
  EXPECT_EQ(r.model, nullptr);
  EXPECT_THAT(ErrorStrings(r), ElementsAre("a.yml:5: a.x: circular reference: a.x -> b.y -> a.x"));
}

TEST(ModelErrors, ManyErrorsAtOnceSortedByFileAndLine) {
  LoadResult r = LoadModelFiles({{"z.yml", R"(cubes:
  - name: z
    sql_table: z
    measures:
      - name: m
        type: summ
        sql: "{missing}"
)"},
                                 {"a.yml", R"(cubes:
  - name: a
    sqll: x
    dimensions:
      - name: d
        type: string
)"}});
  EXPECT_EQ(r.model, nullptr);
  EXPECT_THAT(ErrorStrings(r),
              ElementsAre("a.yml:2: a: cube needs 'sql' or 'sql_table'",
                          "a.yml:3: a: unknown key 'sqll' (did you mean 'sql'?)",
                          "a.yml:5: a.d: dimension needs 'sql' or 'case'",
                          "z.yml:6: z.m: unknown measure type 'summ'",
                          "z.yml:7: z.m: reference to unknown member 'z.missing'"));
}

TEST(ModelErrors, DeepNestingIsRefused) {
  std::string yaml = "cubes:\n  - name: a\n    sql_table: a\n    meta: ";
  for (int i = 0; i < 100; ++i) yaml += "[";
  for (int i = 0; i < 100; ++i) yaml += "]";
  std::vector<std::string> e = Errors(yaml + "\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("nested deeper than 64 levels"));
}

TEST(ModelErrors, AliasBombIsRefused) {
  std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    std::string prev = std::string("*a").append(std::to_string(i - 1));
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 0; k < 9; ++k) yaml += ", " + prev;
    yaml += "]\n";
  }
  std::vector<std::string> e = Errors(yaml);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("too many nodes or alias expansions"));
}

TEST(ModelErrors, SelfReferentialAliasIsRefused) {
  std::vector<std::string> e = Errors("cubes: &c [*c]\n");
  ASSERT_EQ(e.size(), 1u);
}

TEST(ModelErrors, DuplicateJoinsEmptySqlAndSegmentDrillMembers) {
  EXPECT_THAT(Errors(R"(cubes:
  - name: o
    sql_table: o
    joins:
      - name: o2
        sql: "{CUBE}.a = {o2.id}"
        relationship: one_to_one
      - name: o2
        sql: "{CUBE}.b = {o2.id}"
        relationship: one_to_one
    measures:
      - name: c
        type: count
        sql: ""
        drill_members: [s]
    segments:
      - name: s
        sql: "1 = 1"
  - name: o2
    sql_table: o2
    dimensions:
      - name: id
        sql: id
        type: number
)"),
              ElementsAre("orders.yml:8: o: duplicate join to 'o2' (already joined at line 5)",
                          "orders.yml:14: o.c: 'sql' is empty",
                          "orders.yml:15: o.c: drill member 'o.s' is a segment"));
}

TEST(ModelErrors, AMemberWithErrorsStillResolvesReferencesToIt) {
  // Only the bad type is reported, not a follow-on "unknown member 'o.total'".
  EXPECT_THAT(Errors(R"(cubes:
  - name: o
    sql_table: o
    measures:
      - name: total
        sql: amount
        type: summ
      - name: double_total
        sql: "{total} * 2"
        type: number
)"),
              ElementsAre("orders.yml:7: o.total: unknown measure type 'summ'"));
}

}  // namespace
}  // namespace tessera::model
