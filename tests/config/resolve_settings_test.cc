#include <gtest/gtest.h>

#include <filesystem>

#include "config/resolve_settings.h"
#include "config/settings.h"

namespace tessera::config {
namespace {

const std::filesystem::path kBase = "/srv/project";

absl::StatusOr<Settings> Resolve(std::string_view yaml, const Environment& env) {
  return ResolveSettingsIn(yaml, "tessera.yaml", env, kBase);
}

std::string ErrorOf(std::string_view yaml, const Environment& env) {
  absl::StatusOr<Settings> settings = Resolve(yaml, env);
  EXPECT_FALSE(settings.ok());
  return settings.ok() ? "" : std::string(settings.status().message());
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(ResolveSettingsTest, DefaultsWithoutAnyInput) {
  absl::StatusOr<Settings> s = Resolve("", {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->database.type, "sqlite");
  EXPECT_EQ(s->database.port, 5432);
  EXPECT_EQ(s->database.host, "127.0.0.1");
  EXPECT_FALSE(s->dev_mode);
  EXPECT_EQ(s->schema_path, "model");
  EXPECT_EQ(s->port, 4000);
  EXPECT_EQ(s->default_limit, 10000);
  EXPECT_EQ(s->max_limit, 50000);
  EXPECT_EQ(s->continue_wait, std::chrono::milliseconds(5000));
  EXPECT_EQ(s->token.api_secret, "");
}

TEST(ResolveSettingsTest, TutorialEnvironment) {
  Environment env = {{"CUBEJS_DB_TYPE", "postgres"},     {"CUBEJS_DB_HOST", "demo-db.cube.dev"},
                     {"CUBEJS_DB_NAME", "ecom"},         {"CUBEJS_DB_USER", "cube"},
                     {"CUBEJS_DB_PASS", "12345"},        {"CUBEJS_DEV_MODE", "true"},
                     {"CUBEJS_API_SECRET", "SECRET"},    {"CUBEJS_WEB_SOCKETS", "true"}};
  absl::StatusOr<Settings> s = Resolve("", env);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->database.type, "postgres");
  EXPECT_EQ(s->database.host, "demo-db.cube.dev");
  EXPECT_EQ(s->database.port, 5432);
  EXPECT_EQ(s->database.database, "ecom");
  EXPECT_EQ(s->database.user, "cube");
  EXPECT_EQ(s->database.password, "12345");
  EXPECT_TRUE(s->dev_mode);
  EXPECT_EQ(s->token.api_secret, "SECRET");
}

TEST(ResolveSettingsTest, EveryConfigFileKey) {
  absl::StatusOr<Settings> s = Resolve(R"(
database:
  type: postgres
  host: db.internal
  port: 6543
  name: analytics
  user: reader
  password: pw
  pool_size: 4
  connect_timeout_ms: 2000
  statement_timeout_ms: 30000
dev_mode: true
schema_path: schema
listen_address: 0.0.0.0
port: 8080
default_limit: 100
max_limit: 1000
continue_wait_ms: 250
max_body_bytes: 4096
max_url_bytes: 2048
worker_threads: 3
io_threads: 2
cache_max_entries: 7
cache_refresh_seconds: 60
api_secret: s3
)",
                                       {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->database.type, "postgres");
  EXPECT_EQ(s->database.host, "db.internal");
  EXPECT_EQ(s->database.port, 6543);
  EXPECT_EQ(s->database.database, "analytics");
  EXPECT_EQ(s->database.user, "reader");
  EXPECT_EQ(s->database.password, "pw");
  EXPECT_EQ(s->database.pool_size, 4);
  EXPECT_EQ(s->database.connect_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(s->database.statement_timeout, std::chrono::milliseconds(30000));
  EXPECT_TRUE(s->dev_mode);
  EXPECT_EQ(s->schema_path, "schema");
  EXPECT_EQ(s->listen_address, "0.0.0.0");
  EXPECT_EQ(s->port, 8080);
  EXPECT_EQ(s->default_limit, 100);
  EXPECT_EQ(s->max_limit, 1000);
  EXPECT_EQ(s->continue_wait, std::chrono::milliseconds(250));
  EXPECT_EQ(s->max_body_bytes, 4096u);
  EXPECT_EQ(s->max_url_bytes, 2048u);
  EXPECT_EQ(s->worker_threads, 3);
  EXPECT_EQ(s->io_threads, 2);
  EXPECT_EQ(s->cache_max_entries, 7u);
  EXPECT_EQ(s->cache_refresh_seconds, 60);
  EXPECT_EQ(s->token.api_secret, "s3");
}

TEST(ResolveSettingsTest, EnvironmentOverridesConfigFile) {
  absl::StatusOr<Settings> s =
      Resolve("port: 8080\ndev_mode: true\ndatabase:\n  port: 6000\n",
              {{"PORT", "9090"}, {"CUBEJS_DEV_MODE", "false"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->port, 9090);
  EXPECT_FALSE(s->dev_mode);
  EXPECT_EQ(s->database.port, 6000);  // not overridden
}

TEST(ResolveSettingsTest, EmptyTypedVariableKeepsLowerLayer) {
  absl::StatusOr<Settings> s =
      Resolve("port: 8080\n", {{"PORT", ""}, {"CUBEJS_DB_PASS", ""}, {"CUBEJS_DB_TYPE", ""}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->port, 8080);
  EXPECT_EQ(s->database.type, "sqlite");
}

TEST(ResolveSettingsTest, CommentOnlyConfigFileAndEmptySection) {
  absl::StatusOr<Settings> s = Resolve("# nothing here\ndatabase:\n#  port: 1\n", {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->database.port, 5432);
}

TEST(ResolveSettingsTest, NonNumericPortNamesTheVariable) {
  std::string message = ErrorOf("", {{"PORT", "40OO"}});
  EXPECT_TRUE(Contains(message, "PORT: expected an integer")) << message;
  EXPECT_TRUE(Contains(message, "40OO")) << message;
}

TEST(ResolveSettingsTest, PortOutOfRange) {
  EXPECT_TRUE(Contains(ErrorOf("", {{"PORT", "70000"}}), "PORT: must be at most 65535"));
  EXPECT_TRUE(Contains(ErrorOf("", {{"CUBEJS_DB_PORT", "0"}}), "CUBEJS_DB_PORT: must be at least 1"));
  EXPECT_TRUE(Contains(ErrorOf("", {{"CUBEJS_DB_PORT", " 5432"}}), "CUBEJS_DB_PORT"));
}

TEST(ResolveSettingsTest, UnknownDatabaseType) {
  std::string message = ErrorOf("", {{"CUBEJS_DB_TYPE", "mysql"}});
  EXPECT_TRUE(Contains(message, "CUBEJS_DB_TYPE")) << message;
  EXPECT_TRUE(Contains(message, "mysql")) << message;
  EXPECT_TRUE(Contains(message, "sqlite, postgres")) << message;
}

TEST(ResolveSettingsTest, BooleansAcceptOnlyTrueAndFalse) {
  for (const char* bad : {"1", "yes", "TRUE", "True", "on"}) {
    std::string message = ErrorOf("", {{"CUBEJS_DEV_MODE", bad}});
    EXPECT_TRUE(Contains(message, "CUBEJS_DEV_MODE: expected 'true' or 'false'")) << message;
  }
  std::string message = ErrorOf("dev_mode: yes\n", {});
  EXPECT_TRUE(Contains(message, "tessera.yaml:1: dev_mode")) << message;
}

TEST(ResolveSettingsTest, NegativeLimitsAreErrors) {
  EXPECT_TRUE(Contains(ErrorOf("", {{"CUBEJS_DB_QUERY_LIMIT", "-1"}}), "CUBEJS_DB_QUERY_LIMIT"));
  EXPECT_TRUE(Contains(ErrorOf("", {{"CUBEJS_DB_QUERY_DEFAULT_LIMIT", "-5"}}),
                       "CUBEJS_DB_QUERY_DEFAULT_LIMIT"));
  EXPECT_TRUE(Contains(ErrorOf("max_limit: -10\n", {}), "tessera.yaml:1: max_limit"));
}

TEST(ResolveSettingsTest, DefaultLimitAboveMaxLimitNamesBothSources) {
  std::string message =
      ErrorOf("max_limit: 100\n", {{"CUBEJS_DB_QUERY_DEFAULT_LIMIT", "500"}});
  EXPECT_TRUE(Contains(message, "default_limit 500 (from CUBEJS_DB_QUERY_DEFAULT_LIMIT)")) << message;
  EXPECT_TRUE(Contains(message, "max_limit 100 (from tessera.yaml:1: max_limit)")) << message;
}

TEST(ResolveSettingsTest, OtherNumericValidation) {
  EXPECT_TRUE(Contains(ErrorOf("", {{"TESSERA_WORKER_THREADS", "-1"}}), "must not be negative"));
  EXPECT_TRUE(Contains(ErrorOf("", {{"CUBEJS_DB_MAX_POOL", "0"}}), "CUBEJS_DB_MAX_POOL"));
  EXPECT_TRUE(Contains(ErrorOf("", {{"TESSERA_CONTINUE_WAIT_MS", "abc"}}), "TESSERA_CONTINUE_WAIT_MS"));
  EXPECT_TRUE(Contains(ErrorOf("", {{"TESSERA_MAX_BODY_BYTES", "99999999999999999999"}}),
                       "out of range"));
  EXPECT_TRUE(Contains(ErrorOf("schema_path: \"\"\n", {}), "schema_path: must not be empty"));
}

TEST(ResolveSettingsTest, AllErrorsAreReportedTogether) {
  std::string message = ErrorOf("port: x\n", {{"CUBEJS_DB_TYPE", "oracle"}, {"CUBEJS_DEV_MODE", "1"}});
  EXPECT_TRUE(Contains(message, "tessera.yaml:1: port")) << message;
  EXPECT_TRUE(Contains(message, "CUBEJS_DB_TYPE")) << message;
  EXPECT_TRUE(Contains(message, "CUBEJS_DEV_MODE")) << message;
}

TEST(ResolveSettingsTest, SecretsNeverAppearInErrors) {
  std::string message = ErrorOf("database:\n  password: hunter2-yaml\n",
                                {{"CUBEJS_DB_PASS", "hunter2-env"},
                                 {"CUBEJS_API_SECRET", "topsecret-value"},
                                 {"PORT", "bad"}});
  EXPECT_FALSE(Contains(message, "hunter2")) << message;
  EXPECT_FALSE(Contains(message, "topsecret")) << message;
}

TEST(ResolveSettingsTest, RelativeSqlitePathIsResolvedAgainstBaseDir) {
  absl::StatusOr<Settings> s = Resolve("", {{"CUBEJS_DB_NAME", "data/../data.db"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->database.database, "/srv/project/data.db");

  s = Resolve("", {{"CUBEJS_DB_NAME", "/var/lib/tessera.db"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->database.database, "/var/lib/tessera.db");

  s = Resolve("", {{"CUBEJS_DB_NAME", ":memory:"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->database.database, ":memory:");
}

TEST(ResolveSettingsTest, PostgresDatabaseNameIsNotAPath) {
  absl::StatusOr<Settings> s =
      Resolve("", {{"CUBEJS_DB_TYPE", "postgres"}, {"CUBEJS_DB_NAME", "ecom"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->database.database, "ecom");
}

TEST(ResolveSettingsTest, PublicResolveUsesWorkingDirectoryAndConfigName) {
  absl::StatusOr<Settings> s = ResolveSettings("", {{"CUBEJS_DB_NAME", "x.db"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->database.database, (std::filesystem::current_path() / "x.db").string());

  absl::StatusOr<Settings> bad = ResolveSettings("prot: 1\n", {{"TESSERA_CONFIG", "prod.yaml"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(Contains(std::string(bad.status().message()), "prod.yaml:1: unknown key 'prot'"));
}

}  // namespace
}  // namespace tessera::config
