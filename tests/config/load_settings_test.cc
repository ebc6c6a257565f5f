#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "config/settings.h"

namespace tessera::config {
namespace {

namespace fs = std::filesystem;

// Sets (or clears) one process variable for the test's lifetime.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class LoadSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tessera-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }

  fs::path dir_;
  // The variables these tests set through files must not leak in from the
  // machine running the tests.
  ScopedEnv port_{"PORT", std::nullopt};
  ScopedEnv db_name_{"CUBEJS_DB_NAME", std::nullopt};
  ScopedEnv db_type_{"CUBEJS_DB_TYPE", std::nullopt};
  ScopedEnv dev_mode_{"CUBEJS_DEV_MODE", std::nullopt};
  ScopedEnv config_{"TESSERA_CONFIG", std::nullopt};
};

TEST_F(LoadSettingsTest, EmptyDirectoryGivesDefaults) {
  absl::StatusOr<Settings> s = LoadSettings(dir_.string());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->port, 4000);
  EXPECT_EQ(s->config_file, "");
}

TEST_F(LoadSettingsTest, DotEnvOverridesConfigFile) {
  Write("tessera.yaml", "port: 5000\ndev_mode: true\n");
  Write(".env", "PORT=6000\n");
  absl::StatusOr<Settings> s = LoadSettings(dir_.string());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->port, 6000);
  EXPECT_TRUE(s->dev_mode);
  EXPECT_EQ(s->config_file, (dir_ / "tessera.yaml").string());
}

TEST_F(LoadSettingsTest, ProcessEnvironmentOverridesDotEnv) {
  Write(".env", "PORT=6000\nCUBEJS_DEV_MODE=true\n");
  ScopedEnv port("PORT", "7000");
  absl::StatusOr<Settings> s = LoadSettings(dir_.string());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->port, 7000);
  EXPECT_TRUE(s->dev_mode);
}

TEST_F(LoadSettingsTest, RelativeSqlitePathResolvesAgainstWorkingDir) {
  Write(".env", "CUBEJS_DB_TYPE=sqlite\nCUBEJS_DB_NAME=data.db\n");
  absl::StatusOr<Settings> s = LoadSettings(dir_.string());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->database.database, (dir_ / "data.db").string());
}

TEST_F(LoadSettingsTest, TesseraConfigNamesAnotherFile) {
  Write("conf/prod.yaml", "port: 8123\n");
  Write("tessera.yaml", "port: 1\n");
  Write(".env", "TESSERA_CONFIG=conf/prod.yaml\n");
  absl::StatusOr<Settings> s = LoadSettings(dir_.string());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->port, 8123);
  EXPECT_EQ(s->config_file, (dir_ / "conf/prod.yaml").string());
}

TEST_F(LoadSettingsTest, MissingExplicitConfigFileIsAnError) {
  ScopedEnv config("TESSERA_CONFIG", "missing.yaml");
  absl::StatusOr<Settings> s = LoadSettings(dir_.string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("TESSERA_CONFIG"), absl::string_view::npos) << s.status();
}

TEST_F(LoadSettingsTest, DotEnvErrorNamesFileAndLine) {
  Write(".env", "PORT=1\nbroken line\n");
  absl::StatusOr<Settings> s = LoadSettings(dir_.string());
  ASSERT_FALSE(s.ok());
  std::string message(s.status().message());
  EXPECT_NE(message.find((dir_ / ".env").string() + ": line 2"), std::string::npos) << message;
}

TEST_F(LoadSettingsTest, ConfigFileErrorNamesPathAndLine) {
  Write("tessera.yaml", "port: 4000\ndatabase:\n  port: many\n");
  absl::StatusOr<Settings> s = LoadSettings(dir_.string());
  ASSERT_FALSE(s.ok());
  std::string message(s.status().message());
  EXPECT_NE(message.find((dir_ / "tessera.yaml").string() + ":3: database.port"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace tessera::config
