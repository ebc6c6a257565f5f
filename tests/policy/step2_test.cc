// The tutorial's Step 2 on the demo model: demo/model/orders.yml gives
// Orders two access policies — `role: admin` sees every row, everyone else
// (`role: "*"`) only the orders whose hidden dimension Orders.sampleSlice
// ({CUBE}.id % 10) equals 7. Checked against the demo data in SQLite.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "demo/demo_data.h"
#include "policy/policy_support.h"

namespace tessera::policy_test {
namespace {

constexpr char kStatusQuery[] = R"({"measures":["Orders.count"],"dimensions":["Orders.status"]})";

class Step2Test : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    dir_ = new fs::path(MakeTempDir("tessera-policy-step2"));
    db_ = new std::string((*dir_ / "ecom.db").string());
    absl::Status created = demo::CreateSqliteDemoDatabase(*db_, demo::DemoDataOptions{});
    ASSERT_TRUE(created.ok()) << created;
    model::LoadResult loaded = model::LoadModelDirectory(SourceDir() + "/demo/model");
    std::string errors;
    for (const auto& e : loaded.errors) errors += e.ToString() + "\n";
    ASSERT_TRUE(loaded.model) << "demo/model does not load (an access_policy the loader refuses?):\n"
                              << errors;
    model_ = new model::CompiledModelPtr(loaded.model);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (dir_) fs::remove_all(*dir_, ec);
    delete dir_;
    delete db_;
    delete model_;
    dir_ = nullptr;
    db_ = nullptr;
    model_ = nullptr;
  }

 protected:
  void SetUp() override {
    ASSERT_NE(model_, nullptr);
    ASSERT_TRUE(*model_) << "demo model not loaded";
    app_ = TokenApp(*model_, OpenSqlite(*db_));
    ASSERT_NE(app_, nullptr);
  }

  // status -> count, from a /load answer.
  std::map<std::string, int64_t> CountsAs(const std::string& token) {
    http::Response r = LoadAs(*app_, kStatusQuery, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, int64_t> out;
    for (const auto& row : Rows(r)) {
      auto status = CellText(row.as_object().if_contains("Orders.status"));
      EXPECT_TRUE(status) << json::serialize(row);
      if (status) out[*status] = CellInt(row, "Orders.count");
    }
    return out;
  }

  std::map<std::string, int64_t> Truth(const std::string& where) {
    Sqlite db(*db_, /*read_only=*/true);
    std::map<std::string, int64_t> out;
    for (const auto& row : db.Query("SELECT status, count(*) FROM orders " + where + " GROUP BY status")) {
      out[*row[0]] = std::stoll(*row[1]);
    }
    return out;
  }

  static int64_t Total(const std::map<std::string, int64_t>& m) {
    int64_t n = 0;
    for (const auto& [k, v] : m) n += v;
    return n;
  }

  static fs::path* dir_;
  static std::string* db_;
  static model::CompiledModelPtr* model_;
  std::unique_ptr<api::App> app_;
};

fs::path* Step2Test::dir_ = nullptr;
std::string* Step2Test::db_ = nullptr;
model::CompiledModelPtr* Step2Test::model_ = nullptr;

TEST_F(Step2Test, AdminSeesEveryOrder) {
  auto admin = CountsAs(Token({{"role", "admin"}}));
  auto all = Truth("");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(admin, all);
  EXPECT_EQ(Total(admin), 100000);
}

TEST_F(Step2Test, OtherRolesSeeOnlySampleSlice7) {
  auto admin = CountsAs(Token({{"role", "admin"}}));
  auto foobar = CountsAs(Token({{"role", "foobar"}}));
  auto slice = Truth("WHERE id % 10 = 7");
  ASSERT_FALSE(admin.empty());
  ASSERT_FALSE(foobar.empty());
  for (const auto& [status, n] : foobar) {
    ASSERT_TRUE(admin.count(status)) << "status " << status << " only in the restricted view";
    EXPECT_LE(n, admin.at(status)) << status;
  }
  ASSERT_LT(Total(foobar), Total(admin))
      << "role foobar sees as many orders as admin: demo/model/orders.yml needs the Step 2 "
         "access_policy (role admin: row_level allow_all; role \"*\": Orders.sampleSlice equals 7)";
  EXPECT_EQ(foobar, slice) << "the restricted view must be exactly the orders with id % 10 = 7";
  EXPECT_EQ(Total(foobar), 10000);
}

// The demo model hides customers' names (personal data) from everyone but
// admins: absent from their /meta, a 403 when asked for.
TEST_F(Step2Test, OnlyAdminsSeeCustomerNames) {
  auto names = [&](const std::string& token) {
    http::Response r = testing::Call(*app_, "GET", "/cubejs-api/v1/meta", {}, {}, Auth(token));
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> out;
    json::value meta = json::parse(r.body);
    for (const json::value& cube : meta.at("cubes").as_array()) {
      for (const json::value& d : cube.at("dimensions").as_array()) out.insert(std::string(d.at("name").as_string()));
    }
    return out;
  };
  EXPECT_TRUE(names(Token({{"role", "admin"}})).count("Orders.customerName"));
  std::set<std::string> user = names(Token({{"role", "user"}}));
  EXPECT_TRUE(user.count("Orders.status"));
  EXPECT_FALSE(user.count("Orders.customerName"));
  http::Response asked = LoadAs(*app_, R"({"measures":["Orders.count"],"dimensions":["Orders.customerName"]})",
                                Token({{"role", "user"}}));
  EXPECT_EQ(asked.status, 403) << asked.body;
  EXPECT_NE(asked.body.find("Orders.customerName"), std::string::npos) << asked.body;
}

TEST_F(Step2Test, TokenWithoutRoleGetsTheRestrictedView) {
  auto none = CountsAs(Token({{"sub", "someone"}}));
  auto slice = Truth("WHERE id % 10 = 7");
  EXPECT_EQ(none, slice) << "a token without a role must match role \"*\" (sample slice 7 only)";
}

TEST_F(Step2Test, CountOnlyQueryIsRestrictedToo) {
  http::Response r = LoadAs(*app_, R"({"measures":["Orders.count"]})", Token({{"role", "foobar"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  json::array rows = Rows(r);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(CellInt(rows[0], "Orders.count"), 10000);
}

TEST_F(Step2Test, RestrictedUserCannotWidenTheSliceWithOwnFilters) {
  std::string token = Token({{"role", "foobar"}});
  // Filtering on a hidden (public: false) dimension is allowed, but it is
  // ANDed with the policy: another slice is empty, not revealed.
  http::Response r = LoadAs(
      *app_,
      R"({"measures":["Orders.count"],"filters":[{"member":"Orders.sampleSlice","operator":"notEquals","values":["7"]}]})",
      token);
  ASSERT_EQ(r.status, 200) << r.body;
  json::array rows = Rows(r);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(CellInt(rows[0], "Orders.count"), 0);
  r = LoadAs(*app_,
             R"({"measures":["Orders.count"],"filters":[{"or":[{"member":"Orders.sampleSlice","operator":"equals","values":["3"]},{"member":"Orders.status","operator":"set"}]}]})",
             token);
  ASSERT_EQ(r.status, 200) << r.body;
  rows = Rows(r);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(CellInt(rows[0], "Orders.count"), 10000);
}

TEST_F(Step2Test, RestrictedUserFilteringOnIdsStaysInsideTheSlice) {
  std::string token = Token({{"role", "foobar"}});
  auto count = [&](const std::string& ids) {
    http::Response r = LoadAs(
        *app_, R"({"measures":["Orders.count"],"filters":[{"member":"Orders.id","operator":"equals","values":[)" + ids + "]}]}",
        token);
    EXPECT_EQ(r.status, 200) << r.body;
    json::array rows = Rows(r);
    return rows.size() == 1 ? CellInt(rows[0], "Orders.count") : -1;
  };
  EXPECT_EQ(count(R"("1","2","3","10","11")"), 0);
  EXPECT_EQ(count(R"("17")"), 1);
  EXPECT_EQ(count(R"("16","17","18","27")"), 2);
}

TEST_F(Step2Test, SampleSliceIsHiddenFromMeta) {
  MetaView meta = Meta(*app_, Token({{"role", "foobar"}}));
  ASSERT_TRUE(meta.HasCube("Orders"));
  EXPECT_TRUE(meta.Has("Orders.count"));
  EXPECT_TRUE(meta.Has("Orders.status"));
  EXPECT_FALSE(meta.Has("Orders.sampleSlice"));
  EXPECT_FALSE(meta.Has("Orders.sampleSlice"));
}

TEST_F(Step2Test, DevModeSeesEveryOrder) {
  auto dev = DevApp(*model_, OpenSqlite(*db_));
  http::Response r = testing::Load(*dev, kStatusQuery);
  ASSERT_EQ(r.status, 200) << r.body;
  int64_t total = 0;
  for (const auto& row : Rows(r)) total += CellInt(row, "Orders.count");
  EXPECT_EQ(total, 100000);
}

}  // namespace
}  // namespace tessera::policy_test
