#include <gtest/gtest.h>

#include "config/config_file.h"

namespace tessera::config {
namespace {

std::string ErrorOf(std::string_view yaml) {
  absl::StatusOr<std::vector<ConfigAssignment>> result = ReadConfigFile(yaml, "tessera.yaml");
  EXPECT_FALSE(result.ok());
  return result.ok() ? "" : std::string(result.status().message());
}

TEST(ConfigFileTest, AssignmentsCarryKeyAndLine) {
  absl::StatusOr<std::vector<ConfigAssignment>> result =
      ReadConfigFile("port: 4000\n\ndatabase:\n  type: postgres\n", "tessera.yaml");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->size(), 2u);
  EXPECT_EQ((*result)[0].spec->config_key, "port");
  EXPECT_EQ((*result)[0].value, "4000");
  EXPECT_EQ((*result)[0].line, 1);
  EXPECT_EQ((*result)[1].spec->config_key, "database.type");
  EXPECT_EQ((*result)[1].line, 4);
}

TEST(ConfigFileTest, StructuredSectionsAreLeftToTheirStages) {
  // `query_rewrite:` and `tenancy:` are rules, not settings: the settings
  // reader passes over them (their own readers check them, with lines).
  absl::StatusOr<std::vector<ConfigAssignment>> result = ReadConfigFile(
      "port: 4000\nquery_rewrite:\n  - name: x\n    require: { member: A.b }\ntenancy:\n  claim: org\n",
      "tessera.yaml");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ((*result)[0].spec->config_key, "port");
  // Nested, they are unknown keys like any other.
  EXPECT_EQ(ErrorOf("database:\n  tenancy: x\n"), "tessera.yaml:2: unknown key 'database.tenancy'");
}

TEST(ConfigFileTest, UnknownKeyNamesFileLineAndKey) {
  EXPECT_EQ(ErrorOf("port: 1\nprot: 2\n"), "tessera.yaml:2: unknown key 'prot'");
  EXPECT_EQ(ErrorOf("database:\n  type: sqlite\n  hots: x\n"),
            "tessera.yaml:3: unknown key 'database.hots'");
}

TEST(ConfigFileTest, CubeEnvironmentNamesAreNotConfigKeys) {
  EXPECT_EQ(ErrorOf("CUBEJS_DB_TYPE: sqlite\n"), "tessera.yaml:1: unknown key 'CUBEJS_DB_TYPE'");
}

TEST(ConfigFileTest, SyntaxErrorNamesLine) {
  std::string message = ErrorOf("port: 1\ndatabase:\n  type: [sqlite\n");
  EXPECT_NE(message.find("tessera.yaml:"), std::string::npos) << message;
  EXPECT_NE(message.find("invalid YAML"), std::string::npos) << message;
}

TEST(ConfigFileTest, StructureErrors) {
  EXPECT_EQ(ErrorOf("- port\n"), "tessera.yaml:1: expected a mapping of settings at the top level");
  EXPECT_EQ(ErrorOf("database: sqlite\n"), "tessera.yaml:1: 'database' must be a mapping of settings");
  EXPECT_EQ(ErrorOf("port:\n"), "tessera.yaml:1: port: missing value");
  EXPECT_EQ(ErrorOf("x: 1\nport: [1, 2]\n"),
            "tessera.yaml:1: unknown key 'x'\n"
            "tessera.yaml:2: port: expected a single value, not a list or mapping");
}

TEST(ConfigFileTest, DuplicateKeyIsAnError) {
  std::string message = ErrorOf("port: 1\nport: 2\n");
  EXPECT_NE(message.find("duplicate key 'port'"), std::string::npos) << message;
}

}  // namespace
}  // namespace tessera::config
