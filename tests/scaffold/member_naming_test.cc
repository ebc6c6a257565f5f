#include "scaffold/member_naming.h"

#include <gtest/gtest.h>

#include "scaffold/scaffold_rules.h"

namespace tessera::scaffold {
namespace {

TEST(MemberNamingTest, PascalCaseForCubes) {
  EXPECT_EQ(PascalCase("orders"), "Orders");
  EXPECT_EQ(PascalCase("line_items"), "LineItems");
  EXPECT_EQ(PascalCase("USER_EVENTS"), "UserEvents");
  EXPECT_EQ(PascalCase("pageViews"), "PageViews");
  EXPECT_EQ(PascalCase("sales data-2024"), "SalesData2024");
  EXPECT_EQ(PascalCase("2024_sales"), "_2024Sales");
}

TEST(MemberNamingTest, CamelCaseForMembers) {
  EXPECT_EQ(CamelCase("created_at"), "createdAt");
  EXPECT_EQ(CamelCase("id"), "id");
  EXPECT_EQ(CamelCase("ID"), "id");
  EXPECT_EQ(CamelCase("USER_ID"), "userId");
  EXPECT_EQ(CamelCase("createdAt"), "createdAt");
  EXPECT_EQ(CamelCase("First Name"), "firstName");
  EXPECT_EQ(CamelCase("_internal"), "internal");
  EXPECT_EQ(CamelCase("3d_model"), "_3dModel");
}

TEST(MemberNamingTest, SqlIdentifiersAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(SqlIdentifier("created_at"), "created_at");
  EXPECT_EQ(SqlIdentifier("CreatedAt"), "\"CreatedAt\"");
  EXPECT_EQ(SqlIdentifier("first name"), "\"first name\"");
  EXPECT_EQ(SqlIdentifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(SqlIdentifier("1st"), "\"1st\"");
}

TEST(ScaffoldRulesTest, SqlTypesMapToMemberTypes) {
  EXPECT_EQ(ClassifySqlType("text"), ColumnKind::kString);
  EXPECT_EQ(ClassifySqlType("character varying"), ColumnKind::kString);
  EXPECT_EQ(ClassifySqlType("varchar(255)"), ColumnKind::kString);
  EXPECT_EQ(ClassifySqlType("char(2)"), ColumnKind::kString);
  EXPECT_EQ(ClassifySqlType("uuid"), ColumnKind::kString);
  EXPECT_EQ(ClassifySqlType(""), ColumnKind::kString);
  EXPECT_EQ(ClassifySqlType("interval"), ColumnKind::kString);
  EXPECT_EQ(ClassifySqlType("point"), ColumnKind::kString);
  EXPECT_EQ(ClassifySqlType("integer"), ColumnKind::kNumber);
  EXPECT_EQ(ClassifySqlType("INTEGER"), ColumnKind::kNumber);
  EXPECT_EQ(ClassifySqlType("bigint"), ColumnKind::kNumber);
  EXPECT_EQ(ClassifySqlType("numeric(10,2)"), ColumnKind::kNumber);
  EXPECT_EQ(ClassifySqlType("decimal"), ColumnKind::kNumber);
  EXPECT_EQ(ClassifySqlType("real"), ColumnKind::kNumber);
  EXPECT_EQ(ClassifySqlType("double precision"), ColumnKind::kNumber);
  EXPECT_EQ(ClassifySqlType("unsigned big int"), ColumnKind::kNumber);
  EXPECT_EQ(ClassifySqlType("timestamp"), ColumnKind::kTime);
  EXPECT_EQ(ClassifySqlType("timestamp with time zone"), ColumnKind::kTime);
  EXPECT_EQ(ClassifySqlType("date"), ColumnKind::kTime);
  EXPECT_EQ(ClassifySqlType("datetime"), ColumnKind::kTime);
  EXPECT_EQ(ClassifySqlType("boolean"), ColumnKind::kBoolean);
  EXPECT_EQ(ClassifySqlType("bool"), ColumnKind::kBoolean);
}

TEST(ScaffoldRulesTest, MeasureAndDrillHeuristics) {
  EXPECT_TRUE(LooksLikeMeasureColumn("amount"));
  EXPECT_TRUE(LooksLikeMeasureColumn("total_price"));
  EXPECT_TRUE(LooksLikeMeasureColumn("quantity"));
  EXPECT_FALSE(LooksLikeMeasureColumn("status"));
  EXPECT_FALSE(LooksLikeMeasureColumn("tenant_id"));
  EXPECT_FALSE(LooksLikeMeasureColumn("age"));

  EXPECT_TRUE(LooksLikeDrillColumn("id"));
  EXPECT_TRUE(LooksLikeDrillColumn("first_name"));
  EXPECT_TRUE(LooksLikeDrillColumn("title"));
  EXPECT_TRUE(LooksLikeDrillColumn("created_at"));
  EXPECT_TRUE(LooksLikeDrillColumn("city"));
  EXPECT_FALSE(LooksLikeDrillColumn("status"));
  EXPECT_FALSE(LooksLikeDrillColumn("paid"));
}

}  // namespace
}  // namespace tessera::scaffold
