// The demo data set: deterministic, loadable by SQLite, internally consistent
// (keys, sums, statuses) and shaped the way the demo and the oracle queries
// rely on (two years of seasonal orders, 8 tenants, some NULLs).
#include "demo/demo_data.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace tessera::demo {
namespace {

namespace fs = std::filesystem;

DemoDataOptions Small(uint64_t seed = 7) {
  DemoDataOptions o;
  o.orders = 3000;
  o.users = 300;
  o.products = 40;
  o.seed = seed;
  return o;
}

std::string SqlText(const DemoDataOptions& options) {
  std::ostringstream out;
  WriteDemoSql(options, out);
  return out.str();
}

// A read-only handle with one-value queries, closed at scope exit.
class Db {
 public:
  explicit Db(const std::string& path, int flags = SQLITE_OPEN_READONLY) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, flags, nullptr), SQLITE_OK) << path;
  }
  ~Db() { sqlite3_close(db_); }
  sqlite3* get() { return db_; }

  // All rows, each as its columns joined by '|' (NULL as "NULL").
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<std::string> rows;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db_);
    while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (i) row += '|';
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row += text ? reinterpret_cast<const char*>(text) : "NULL";
      }
      rows.push_back(row);
    }
    sqlite3_finalize(stmt);
    return rows;
  }
  int64_t Int(const std::string& sql) {
    std::vector<std::string> rows = Rows(sql);
    EXPECT_EQ(rows.size(), 1u) << sql;
    return rows.empty() ? -1 : std::stoll(rows[0]);
  }

 private:
  sqlite3* db_ = nullptr;
};

fs::path TempDir() {
  fs::path dir = fs::temp_directory_path() / ("tessera-demo-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

// One full-size database (default options) shared by the tests that check
// the data itself: building it once keeps the suite fast.
class DemoDatabaseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = new std::string((TempDir() / "demo.db").string());
    ASSERT_TRUE(CreateSqliteDemoDatabase(*path_, DemoDataOptions{}).ok());
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(fs::path(*path_).parent_path(), ec);
    delete path_;
  }
  static std::string* path_;
};
std::string* DemoDatabaseTest::path_ = nullptr;

TEST(DemoSqlTest, SameSeedGivesSameBytes) {
  std::string a = SqlText(Small());
  EXPECT_EQ(a, SqlText(Small()));
  EXPECT_GT(a.size(), 100000u);
}

TEST(DemoSqlTest, DifferentSeedGivesDifferentData) { EXPECT_NE(SqlText(Small(7)), SqlText(Small(8))); }

TEST(DemoSqlTest, UsersDoNotDependOnTheNumberOfOrders) {
  DemoDataOptions more = Small();
  more.orders *= 2;
  auto users_part = [](const std::string& sql) {
    return sql.substr(sql.find("INSERT INTO users"), sql.find("INSERT INTO orders") -
                                                         sql.find("INSERT INTO users"));
  };
  EXPECT_EQ(users_part(SqlText(Small())), users_part(SqlText(more)));
}

TEST(DemoSqlTest, OneTransactionWithBatchedInserts) {
  std::string sql = SqlText(Small());
  EXPECT_EQ(sql.rfind("BEGIN;", 0), 0u);
  EXPECT_EQ(sql.substr(sql.size() - 8), "COMMIT;\n");
  size_t inserts = 0;
  for (size_t pos = 0; (pos = sql.find("INSERT INTO orders", pos)) != std::string::npos; ++pos) {
    ++inserts;
  }
  EXPECT_EQ(inserts, 6u);  // 3000 orders, 500 per statement
}

TEST(DemoSqlTest, TextLoadsIntoSqliteLikeTheBuiltDatabase) {
  fs::path dir = TempDir();
  std::string built = (dir / "small.db").string();
  ASSERT_TRUE(CreateSqliteDemoDatabase(built, Small()).ok());

  std::string loaded = (dir / "loaded.db").string();
  {
    Db db(loaded, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db.get(), SqlText(Small()).c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
  }
  const std::string digest =
      "SELECT count(*), sum(id * amount), sum(length(status)), sum(is_gift), "
      "max(completed_at), min(created_at) FROM orders";
  EXPECT_EQ(Db(built).Rows(digest), Db(loaded).Rows(digest));
  EXPECT_EQ(Db(built).Rows("SELECT * FROM users ORDER BY id"),
            Db(loaded).Rows("SELECT * FROM users ORDER BY id"));
  fs::remove_all(dir);
}

TEST(DemoSqliteTest, ReplacesAnExistingFileAndLeavesNoTemporaries) {
  fs::path dir = TempDir() / "replace";
  fs::create_directories(dir);
  std::string path = (dir / "demo.db").string();
  std::ofstream(path) << "not a database";
  ASSERT_TRUE(CreateSqliteDemoDatabase(path, Small()).ok());
  EXPECT_EQ(Db(path).Int("SELECT count(*) FROM orders"), 3000);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(DemoSqliteTest, RejectsImpossibleOptions) {
  DemoDataOptions negative = Small();
  negative.orders = -1;
  EXPECT_EQ(CreateSqliteDemoDatabase("/tmp/never.db", negative).code(),
            absl::StatusCode::kInvalidArgument);
  DemoDataOptions no_users = Small();
  no_users.users = 0;
  EXPECT_EQ(CreateSqliteDemoDatabase("/tmp/never.db", no_users).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists("/tmp/never.db"));
}

TEST(DemoSqliteTest, UnwritableDirectoryIsAnError) {
  EXPECT_FALSE(CreateSqliteDemoDatabase("/nonexistent-dir/demo.db", Small()).ok());
}

TEST_F(DemoDatabaseTest, DefaultCounts) {
  Db db(*path_);
  EXPECT_EQ(db.Int("SELECT count(*) FROM users"), 5000);
  EXPECT_EQ(db.Int("SELECT count(*) FROM products"), 500);
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders"), 100000);
  int64_t items = db.Int("SELECT count(*) FROM line_items");
  EXPECT_GT(items, 150000);
  EXPECT_LT(items, 250000);
  EXPECT_EQ(db.Int("SELECT count(DISTINCT order_id) FROM line_items"), 100000);
}

TEST_F(DemoDatabaseTest, ForeignKeysHold) {
  Db db(*path_);
  EXPECT_TRUE(db.Rows("PRAGMA foreign_key_check").empty());
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id "
                   "WHERE u.id IS NULL"),
            0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM line_items li LEFT JOIN products p "
                   "ON p.id = li.product_id WHERE p.id IS NULL"),
            0);
  // The declared keys are what `generate-model` introspects to find joins.
  EXPECT_EQ(db.Rows("SELECT \"table\" || '.' || \"to\" FROM pragma_foreign_key_list('orders') "
                    "ORDER BY 1"),
            (std::vector<std::string>{"products.id", "users.id"}));
}

TEST_F(DemoDatabaseTest, StatusesAreSkewedAndCompletionMatchesStatus) {
  Db db(*path_);
  EXPECT_EQ(db.Rows("SELECT DISTINCT status FROM orders ORDER BY 1"),
            (std::vector<std::string>{"cancelled", "completed", "processing", "shipped"}));
  int64_t completed = db.Int("SELECT count(*) FROM orders WHERE status = 'completed'");
  EXPECT_GT(completed, 55000);
  EXPECT_LT(completed, 80000);
  for (const char* status : {"processing", "shipped", "cancelled"}) {
    int64_t n = db.Int(std::string("SELECT count(*) FROM orders WHERE status = '") + status + "'");
    EXPECT_GT(n, 3000) << status;
    EXPECT_LT(n, completed / 3) << status;
  }
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders WHERE (status = 'completed') <> "
                   "(completed_at IS NOT NULL)"),
            0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders WHERE completed_at <= created_at"), 0);
}

TEST_F(DemoDatabaseTest, ValueRanges) {
  Db db(*path_);
  EXPECT_EQ(db.Rows("SELECT min(created_at) >= '2023-01-01 00:00:00', "
                    "max(created_at) <= '2024-12-31 23:59:59' FROM orders"),
            (std::vector<std::string>{"1|1"}));
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders WHERE length(created_at) <> 19"), 0);
  EXPECT_EQ(db.Rows("SELECT min(tenant_id), max(tenant_id), count(DISTINCT tenant_id) FROM orders"),
            (std::vector<std::string>{"1|8|8"}));
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id "
                   "WHERE o.tenant_id <> u.tenant_id"),
            0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders WHERE amount <= 0 OR quantity < 1"), 0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM products WHERE price < 1 OR price >= 1500"), 0);
  // Amounts are exact sums of the line items (compared in integer cents).
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders o JOIN (SELECT order_id, "
                   "sum(quantity * CAST(round(price * 100) AS INTEGER)) AS cents, "
                   "sum(quantity) AS qty FROM line_items GROUP BY order_id) li "
                   "ON li.order_id = o.id "
                   "WHERE CAST(round(o.amount * 100) AS INTEGER) <> li.cents OR o.quantity <> li.qty"),
            0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders o JOIN line_items li ON li.order_id = o.id "
                   "AND li.id = (SELECT min(id) FROM line_items WHERE order_id = o.id) "
                   "WHERE li.product_id <> o.product_id"),
            0);
}

TEST_F(DemoDatabaseTest, OrderIdsAscendWithTime) {
  Db db(*path_);
  EXPECT_EQ(db.Int("SELECT count(*) FROM orders a JOIN orders b ON b.id = a.id + 1 "
                   "WHERE b.created_at < a.created_at"),
            0);
}

TEST_F(DemoDatabaseTest, SeasonalityAndGrowth) {
  Db db(*path_);
  auto month = [&](const char* prefix) {
    return db.Int(std::string("SELECT count(*) FROM orders WHERE created_at LIKE '") + prefix +
                  "%'");
  };
  EXPECT_GT(month("2023-12"), month("2023-02") * 3 / 2);
  EXPECT_GT(month("2024-11"), month("2024-06"));
  EXPECT_GT(month("2024"), month("2023") * 6 / 5);
  // Nights (UTC) are quiet, but every hour has orders: time zones move rows
  // across day boundaries.
  EXPECT_EQ(db.Int("SELECT count(DISTINCT substr(created_at, 12, 2)) FROM orders"), 24);
  EXPECT_LT(db.Int("SELECT count(*) FROM orders WHERE substr(created_at, 12, 2) = '03'"),
            db.Int("SELECT count(*) FROM orders WHERE substr(created_at, 12, 2) = '15'"));
}

TEST_F(DemoDatabaseTest, SomeNullsQuotesAndBooleans) {
  Db db(*path_);
  int64_t no_city = db.Int("SELECT count(*) FROM users WHERE city IS NULL");
  EXPECT_GT(no_city, 0);
  EXPECT_LT(no_city, 250);
  EXPECT_GT(db.Int("SELECT count(*) FROM users WHERE last_name = 'O''Connor'"), 0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM users WHERE email LIKE '%''%'"), 0);
  EXPECT_EQ(db.Int("SELECT count(DISTINCT email) FROM users"), 5000);
  int64_t gifts = db.Int("SELECT sum(is_gift) FROM orders");
  EXPECT_GT(gifts, 5000);
  EXPECT_LT(gifts, 12000);
  EXPECT_EQ(db.Int("SELECT count(DISTINCT category) FROM products"), 8);
}

}  // namespace
}  // namespace tessera::demo
