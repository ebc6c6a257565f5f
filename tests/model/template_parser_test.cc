#include "model/template_parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tessera::model {
namespace {

using ::testing::HasSubstr;
using Kind = SqlPart::Kind;

SqlTemplate Parse(const std::string& sql) {
  absl::StatusOr<SqlTemplate> t = ParseSqlTemplate(sql, "orders");
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : SqlTemplate{};
}

std::string ParseError(const std::string& sql) {
  absl::StatusOr<SqlTemplate> t = ParseSqlTemplate(sql, "orders");
  EXPECT_FALSE(t.ok()) << sql;
  return t.ok() ? "" : std::string(t.status().message());
}

TEST(TemplateParser, PlainTextIsOnePartAndKeepsQuotes) {
  SqlTemplate t = Parse("status = 'completed' AND \"x\" > 1");
  EXPECT_EQ(t.source, "status = 'completed' AND \"x\" > 1");
  ASSERT_EQ(t.parts.size(), 1u);
  EXPECT_EQ(t.parts[0].kind, Kind::kText);
  EXPECT_EQ(t.parts[0].text, "status = 'completed' AND \"x\" > 1");
}

TEST(TemplateParser, CubeAndTableAreTheCubeAlias) {
  SqlTemplate t = Parse("{CUBE}.a + {TABLE}.b");
  ASSERT_EQ(t.parts.size(), 4u);
  EXPECT_EQ(t.parts[0].kind, Kind::kCubeAlias);
  EXPECT_EQ(t.parts[1].text, ".a + ");
  EXPECT_EQ(t.parts[2].kind, Kind::kCubeAlias);
  EXPECT_EQ(t.parts[3].text, ".b");
}

TEST(TemplateParser, MemberReferenceFormsAllResolveTheCube) {
  SqlTemplate t = Parse("{revenue}/{CUBE.count}+{users.id}+{TABLE.x}");
  ASSERT_EQ(t.parts.size(), 7u);
  EXPECT_EQ(t.parts[0].kind, Kind::kMember);
  EXPECT_EQ(t.parts[0].cube, "orders");
  EXPECT_EQ(t.parts[0].member, "revenue");
  EXPECT_EQ(t.parts[1].text, "/");
  EXPECT_EQ(t.parts[2].cube, "orders");
  EXPECT_EQ(t.parts[2].member, "count");
  EXPECT_EQ(t.parts[4].cube, "users");
  EXPECT_EQ(t.parts[4].member, "id");
  EXPECT_EQ(t.parts[6].cube, "orders");
  EXPECT_EQ(t.parts[6].member, "x");
}

TEST(TemplateParser, SecurityContextBecomesAContextValueNeverText) {
  SqlTemplate t = Parse("{CUBE}.tenant = {securityContext.tenant.id} OR r = {SECURITY_CONTEXT.role}");
  ASSERT_EQ(t.parts.size(), 5u);
  EXPECT_EQ(t.parts[2].kind, Kind::kContextValue);
  EXPECT_EQ(t.parts[2].text, "tenant.id");
  EXPECT_EQ(t.parts[4].kind, Kind::kContextValue);
  EXPECT_EQ(t.parts[4].text, "role");
  for (const SqlPart& p : t.parts) {
    if (p.kind == Kind::kText) {
      EXPECT_THAT(p.text, ::testing::Not(HasSubstr("tenant.id")));
    }
  }
}

TEST(TemplateParser, UnsafeValueIsRefusedWithAnExplanation) {
  std::string e = ParseError("x = {SECURITY_CONTEXT.role.unsafeValue()}");
  EXPECT_THAT(e, HasSubstr("unsafeValue() is not supported"));
  EXPECT_THAT(e, HasSubstr("bound parameters"));
  EXPECT_THAT(ParseError("{securityContext.unsafeValue}"), HasSubstr("unsafeValue"));
}

TEST(TemplateParser, ContextWithoutPathIsAnError) {
  EXPECT_THAT(ParseError("{securityContext}"), HasSubstr("name a value"));
  EXPECT_THAT(ParseError("{securityContext.a-b}"), HasSubstr("invalid security context path"));
}

TEST(TemplateParser, InvalidReferencesAreErrors) {
  EXPECT_THAT(ParseError("{}"), HasSubstr("invalid reference {}"));
  EXPECT_THAT(ParseError("{a.b.c}"), HasSubstr("invalid reference {a.b.c}"));
  EXPECT_THAT(ParseError("{1abc}"), HasSubstr("invalid reference"));
  EXPECT_THAT(ParseError("{FILTER_PARAMS.x.y.filter('a')}"), HasSubstr("invalid reference"));
  EXPECT_THAT(ParseError("a = {b"), HasSubstr("unterminated '{'"));
}

TEST(TemplateParser, DoubledBraceIsALiteralBraceAndCloseBraceIsText) {
  SqlTemplate t = Parse("'{{\"a\": 1}' || {CUBE}.j");
  ASSERT_EQ(t.parts.size(), 3u);
  EXPECT_EQ(t.parts[0].text, "'{\"a\": 1}' || ");
  EXPECT_EQ(t.parts[1].kind, Kind::kCubeAlias);
}

TEST(TemplateParser, WhitespaceInsideBracesIsIgnored) {
  SqlTemplate t = Parse("{ users.id }");
  ASSERT_EQ(t.parts.size(), 1u);
  EXPECT_EQ(t.parts[0].cube, "users");
}

TEST(TemplateParser, BareColumnDetection) {
  EXPECT_TRUE(IsBareColumn("amount"));
  EXPECT_TRUE(IsBareColumn("_a1"));
  EXPECT_FALSE(IsBareColumn("1a"));
  EXPECT_FALSE(IsBareColumn("a.b"));
  EXPECT_FALSE(IsBareColumn("a + b"));
  EXPECT_FALSE(IsBareColumn(""));
  SqlTemplate t = BareColumnTemplate("amount");
  EXPECT_EQ(t.source, "amount");
  ASSERT_EQ(t.parts.size(), 2u);
  EXPECT_EQ(t.parts[0].kind, Kind::kCubeAlias);
  EXPECT_EQ(t.parts[1].kind, Kind::kText);
  EXPECT_EQ(t.parts[1].text, ".amount");
}

}  // namespace
}  // namespace tessera::model
