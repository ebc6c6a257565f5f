// LoadModelDirectory on a real folder tree.
#include <filesystem>
#include <fstream>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/compiled_model.h"
#include "model_test_support.h"

namespace tessera::model {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using testing::ErrorStrings;

class ModelDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    root_ = fs::temp_directory_path() / ("tessera-model-test-" + std::to_string(rd()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& relative, const std::string& text) {
    const fs::path p = root_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }

  fs::path root_;
};

constexpr char kUsers[] = R"(cubes:
  - name: users
    sql_table: users
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
)";

constexpr char kOrders[] = R"(cubes:
  - name: orders
    sql_table: orders
    joins:
      - name: users
        sql: "{CUBE}.user_id = {users.id}"
        relationship: many_to_one
    measures:
      - name: count
        type: count
)";

TEST_F(ModelDirectory, ReadsNestedYmlAndYamlFilesSortedByPath) {
  Write("sales/orders.yml", kOrders);
  Write("people/deep/er/users.yaml", kUsers);
  Write("notes.txt", "not: [a model");
  Write("old/model.js", "cube(`X`, {})");
  LoadResult r = LoadModelDirectory(root_.string());
  ASSERT_THAT(ErrorStrings(r), ::testing::IsEmpty());
  ASSERT_NE(r.model, nullptr);
  ASSERT_EQ(r.model->cubes().size(), 2u);
  EXPECT_EQ(r.model->cubes()[0].name, "users");  // "people/..." sorts before "sales/..."
  EXPECT_EQ(r.model->cubes()[0].location.file, "people/deep/er/users.yaml");
  EXPECT_EQ(r.model->cubes()[1].location.file, "sales/orders.yml");
}

TEST_F(ModelDirectory, ErrorsNameTheFileRelativeToTheModelFolder) {
  Write("sales/orders.yml", kOrders);
  Write("sales/broken.yml", "cubes:\n  - name: x\n    sql_table: x\n    measures:\n      - name: c\n        type: cnt\n");
  LoadResult r = LoadModelDirectory(root_.string());
  EXPECT_EQ(r.model, nullptr);
  EXPECT_THAT(ErrorStrings(r),
              ElementsAre("sales/broken.yml:6: x.c: unknown measure type 'cnt'",
                          "sales/orders.yml:5: orders: join to unknown cube 'users'",
                          "sales/orders.yml:6: orders: reference to unknown cube 'users'"));
}

TEST_F(ModelDirectory, MissingDirectoryIsAnError) {
  LoadResult r = LoadModelDirectory((root_ / "nope").string());
  EXPECT_EQ(r.model, nullptr);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0].message, ::testing::HasSubstr("model directory not found"));
}

TEST_F(ModelDirectory, EmptyDirectoryIsAnEmptyModel) {
  LoadResult r = LoadModelDirectory(root_.string());
  EXPECT_TRUE(r.errors.empty());
  ASSERT_NE(r.model, nullptr);
  EXPECT_TRUE(r.model->cubes().empty());
}

}  // namespace
}  // namespace tessera::model
