#include <gtest/gtest.h>

#include "config/settings.h"

namespace tessera::config {
namespace {

Environment ParseOk(std::string_view text) {
  absl::StatusOr<Environment> env = ParseDotEnv(text);
  EXPECT_TRUE(env.ok()) << env.status();
  return env.ok() ? *env : Environment{};
}

std::string ParseError(std::string_view text) {
  absl::StatusOr<Environment> env = ParseDotEnv(text);
  EXPECT_FALSE(env.ok());
  return env.ok() ? "" : std::string(env.status().message());
}

TEST(DotEnvTest, ParsesPlainAssignmentsCommentsAndBlankLines) {
  Environment env = ParseOk(
      "# Cube environment variables\n"
      "\n"
      "CUBEJS_DB_TYPE=postgres\n"
      "   CUBEJS_DB_HOST = demo-db.example.com  \n"
      "CUBEJS_DB_PORT=5432\n");
  EXPECT_EQ(env.size(), 3u);
  EXPECT_EQ(env["CUBEJS_DB_TYPE"], "postgres");
  EXPECT_EQ(env["CUBEJS_DB_HOST"], "demo-db.example.com");
  EXPECT_EQ(env["CUBEJS_DB_PORT"], "5432");
}

TEST(DotEnvTest, EmptyValueIsKept) {
  Environment env = ParseOk("CUBEJS_DB_PASS=\nCUBEJS_DB_USER=   \n");
  EXPECT_EQ(env.at("CUBEJS_DB_PASS"), "");
  EXPECT_EQ(env.at("CUBEJS_DB_USER"), "");
}

TEST(DotEnvTest, ExportPrefixIsIgnored) {
  Environment env = ParseOk("export CUBEJS_DEV_MODE=true\nexport\tPORT=4000\n");
  EXPECT_EQ(env["CUBEJS_DEV_MODE"], "true");
  EXPECT_EQ(env["PORT"], "4000");
}

TEST(DotEnvTest, InlineCommentNeedsPrecedingBlank) {
  Environment env = ParseOk("A=value # comment\nB=pa#ss\nC=#\n");
  EXPECT_EQ(env["A"], "value");
  EXPECT_EQ(env["B"], "pa#ss");
  EXPECT_EQ(env["C"], "");
}

TEST(DotEnvTest, SingleQuotesAreLiteral) {
  Environment env = ParseOk("A='  spaced # not a comment \\n '\nB=''\n");
  EXPECT_EQ(env["A"], "  spaced # not a comment \\n ");
  EXPECT_EQ(env["B"], "");
}

TEST(DotEnvTest, DoubleQuotesProcessEscapes) {
  Environment env = ParseOk(R"(A="line1\nline2\ttab \"q\" back\\slash \$HOME")" "\n");
  EXPECT_EQ(env["A"], "line1\nline2\ttab \"q\" back\\slash $HOME");
}

TEST(DotEnvTest, QuotedValueMaySpanLinesAndBeFollowedByComment) {
  Environment env = ParseOk(
      "CUBEJS_JWT_KEY=\"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\" # pem\n"
      "NEXT=1\n");
  EXPECT_EQ(env["CUBEJS_JWT_KEY"], "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----");
  EXPECT_EQ(env["NEXT"], "1");
}

TEST(DotEnvTest, CrLfLineEndingsAreHandled) {
  Environment env = ParseOk("A=1\r\nB=\"x\r\ny\"\r\n# c\r\nC='z'\r\n");
  EXPECT_EQ(env["A"], "1");
  EXPECT_EQ(env["B"], "x\ny");
  EXPECT_EQ(env["C"], "z");
}

TEST(DotEnvTest, ByteOrderMarkAndMissingFinalNewline) {
  Environment env = ParseOk("\xEF\xBB\xBFPORT=4000");
  EXPECT_EQ(env["PORT"], "4000");
}

TEST(DotEnvTest, LaterAssignmentWins) {
  Environment env = ParseOk("PORT=1\nPORT=2\n");
  EXPECT_EQ(env["PORT"], "2");
}

TEST(DotEnvTest, LineWithoutEqualsIsAnErrorWithLineNumber) {
  std::string message = ParseError("A=1\n\nJUST_A_NAME\n");
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("JUST_A_NAME"), std::string::npos) << message;
}

TEST(DotEnvTest, InvalidKeyIsAnError) {
  EXPECT_NE(ParseError("1ABC=x\n").find("line 1"), std::string::npos);
  EXPECT_NE(ParseError("A=1\n=x\n").find("line 2"), std::string::npos);
}

TEST(DotEnvTest, UnterminatedQuoteNamesTheOpeningLine) {
  std::string message = ParseError("A=1\nCUBEJS_DB_PASS=\"secret-value\nB=2\n");
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("unterminated"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret-value"), std::string::npos) << message;
  EXPECT_NE(ParseError("A='x\n").find("line 1"), std::string::npos);
}

TEST(DotEnvTest, TextAfterClosingQuoteIsAnError) {
  std::string message = ParseError("A=1\nB=\"x\" y\n");
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
}

TEST(DotEnvTest, UnknownEscapeIsAnErrorThatHidesTheValue) {
  std::string message = ParseError("A=1\nCUBEJS_API_SECRET=\"abc\\qdef\"\n");
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("CUBEJS_API_SECRET"), std::string::npos) << message;
  EXPECT_EQ(message.find("abc"), std::string::npos) << message;
}

}  // namespace
}  // namespace tessera::config
