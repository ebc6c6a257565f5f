#include <gtest/gtest.h>

#include <sstream>

#include "cli/commands.h"
#include "test_dir.h"

namespace tessera::cli {
namespace {

using testing::TestDir;

TEST(ValidateCommandTest, ValidModelPrintsCounts) {
  TestDir dir;
  dir.Write("users.yml", R"(cubes:
  - name: Users
    sql_table: users
    measures:
      - name: count
        type: count
    dimensions:
      - name: id
        sql: "{CUBE}.id"
        type: number
        primary_key: true
      - name: city
        sql: "{CUBE}.city"
        type: string
)");
  std::ostringstream out, err;
  EXPECT_EQ(RunValidate(dir.str(), out, err), 0) << err.str();
  EXPECT_EQ(out.str(), "Model is valid: 1 cubes, 1 measures, 2 dimensions, 0 segments\n");
  EXPECT_EQ(err.str(), "");
}

TEST(ValidateCommandTest, BrokenModelPrintsEveryErrorAndFails) {
  TestDir dir;
  dir.Write("orders.yml", R"(cubes:
  - name: Orders
    sql_table: orders
    measures:
      - name: total
        sql: "{CUBE}.amount"
        type: summ
    dimensions:
      - name: userName
        sql: "{Users.name}"
        type: string
)");
  std::ostringstream out, err;
  EXPECT_EQ(RunValidate(dir.str(), out, err), 1);
  const std::string text = err.str();
  EXPECT_NE(text.find("orders.yml:7: Orders.total:"), std::string::npos) << text;
  EXPECT_NE(text.find("summ"), std::string::npos) << text;
  EXPECT_NE(text.find("Users"), std::string::npos) << text;
  EXPECT_NE(text.find("Model is invalid: 2 errors in "), std::string::npos) << text;
  EXPECT_EQ(out.str(), "");
}

TEST(ValidateCommandTest, MissingFolderIsAnError) {
  TestDir dir;
  std::ostringstream out, err;
  EXPECT_EQ(RunValidate((dir.path() / "nope").string(), out, err), 1);
  EXPECT_NE(err.str().find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace tessera::cli
