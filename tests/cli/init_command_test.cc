#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "cli/commands.h"
#include "config/settings.h"
#include "test_dir.h"

namespace tessera::cli {
namespace {

using testing::ScopedEnv;
using testing::TestDir;

class InitCommandTest : public ::testing::Test {
 protected:
  int Init(const std::string& dir) {
    out_.str("");
    err_.str("");
    return RunInit(dir, out_, err_);
  }

  TestDir tmp_;
  std::ostringstream out_;
  std::ostringstream err_;
  ScopedEnv db_type_{"CUBEJS_DB_TYPE", std::nullopt};
  ScopedEnv db_name_{"CUBEJS_DB_NAME", std::nullopt};
  ScopedEnv dev_mode_{"CUBEJS_DEV_MODE", std::nullopt};
  ScopedEnv secret_{"CUBEJS_API_SECRET", std::nullopt};
  ScopedEnv config_{"TESSERA_CONFIG", std::nullopt};
};

TEST_F(InitCommandTest, CreatesProjectFiles) {
  const std::string dir = (tmp_.path() / "shop").string();
  ASSERT_EQ(Init(dir), 0) << err_.str();
  for (const char* file : {"shop/.env", "shop/tessera.yaml", "shop/README.md", "shop/model/orders.yml"}) {
    EXPECT_TRUE(tmp_.Exists(file)) << file;
  }
  const std::string dotenv = tmp_.Read("shop/.env");
  EXPECT_NE(dotenv.find("CUBEJS_DB_TYPE=sqlite\n"), std::string::npos);
  EXPECT_NE(dotenv.find("CUBEJS_DB_NAME=data.db\n"), std::string::npos);
  EXPECT_NE(dotenv.find("CUBEJS_DEV_MODE=true\n"), std::string::npos);
  EXPECT_TRUE(std::regex_search(dotenv, std::regex("CUBEJS_API_SECRET=[0-9a-f]{64}\n"))) << dotenv;
  EXPECT_NE(tmp_.Read("shop/README.md").find("# shop"), std::string::npos);
  EXPECT_NE(out_.str().find("Created project"), std::string::npos);
  // The secret is for the owner only.
  const auto perms = std::filesystem::status(tmp_.path() / "shop/.env").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
}

TEST_F(InitCommandTest, ProjectSettingsLoad) {
  const std::string dir = (tmp_.path() / "shop").string();
  ASSERT_EQ(Init(dir), 0) << err_.str();
  absl::StatusOr<config::Settings> settings = config::LoadSettings(dir);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->database.type, "sqlite");
  EXPECT_EQ(settings->database.database, (tmp_.path() / "shop" / "data.db").string());
  EXPECT_TRUE(settings->dev_mode);
  EXPECT_EQ(settings->token.api_secret.size(), 64u);
  EXPECT_EQ(settings->port, 4000);
}

TEST_F(InitCommandTest, EachProjectGetsItsOwnSecret) {
  ASSERT_EQ(Init((tmp_.path() / "a").string()), 0);
  ASSERT_EQ(Init((tmp_.path() / "b").string()), 0);
  EXPECT_NE(tmp_.Read("a/.env"), tmp_.Read("b/.env"));
}

TEST_F(InitCommandTest, InitProjectModelValidates) {
  const std::string dir = (tmp_.path() / "shop").string();
  ASSERT_EQ(Init(dir), 0) << err_.str();
  std::ostringstream out, err;
  EXPECT_EQ(RunValidate(dir + "/model", out, err), 0) << err.str();
  EXPECT_EQ(out.str(), "Model is valid: 1 cubes, 2 measures, 3 dimensions, 1 segments\n");
}

TEST_F(InitCommandTest, AcceptsAnExistingEmptyFolder) {
  std::filesystem::create_directories(tmp_.path() / "empty");
  EXPECT_EQ(Init((tmp_.path() / "empty").string()), 0) << err_.str();
}

TEST_F(InitCommandTest, RefusesNonEmptyFolderAndTouchesNothing) {
  tmp_.Write("busy/notes.txt", "mine");
  EXPECT_EQ(Init((tmp_.path() / "busy").string()), 1);
  EXPECT_NE(err_.str().find("is not empty"), std::string::npos) << err_.str();
  EXPECT_FALSE(tmp_.Exists("busy/.env"));
  EXPECT_EQ(tmp_.Read("busy/notes.txt"), "mine");
}

TEST_F(InitCommandTest, RefusesAFile) {
  tmp_.Write("file", "x");
  EXPECT_EQ(Init((tmp_.path() / "file").string()), 1);
  EXPECT_NE(err_.str().find("not a folder"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace tessera::cli
