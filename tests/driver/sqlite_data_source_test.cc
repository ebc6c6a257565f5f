#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/data_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sqlite_test_db.h"

namespace tessera::driver {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using sql::Param;
using Type = sql::Param::Type;

constexpr char kSchema[] = R"sql(
  CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    city VARCHAR(40)
  );
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers(id),
    amount REAL,
    created_at TEXT,
    status TEXT
  );
  CREATE TABLE line_items (
    order_id INTEGER NOT NULL REFERENCES orders,
    product TEXT NOT NULL,
    qty INTEGER,
    PRIMARY KEY (order_id, product)
  );
  CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
  INSERT INTO customers (name, city) VALUES ('Ada', 'London'), ('Grace', NULL), ('Linus', 'Helsinki');
  INSERT INTO orders VALUES
    (1, 1, 120.5, '2024-01-15 10:00:00', 'completed'),
    (2, 1, 30, '2024-02-01 08:30:00', 'processing'),
    (3, 2, NULL, NULL, 'shipped'),
    (4, 3, 0.1, '2024-03-10 07:00:00', 'completed');
  INSERT INTO line_items VALUES (1, 'keyboard', 2), (1, 'mouse', 1), (4, 'cable', 10);
)sql";

class SqliteDataSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/ecom.db";
    testing::CreateDatabase(path_, kSchema);
    DataSourceConfig config;
    config.type = "sqlite";
    config.database = path_;
    config.pool_size = 4;
    absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
    ASSERT_TRUE(source.ok()) << source.status();
    source_ = *source;
  }

  ResultSet Run(const std::string& sql, const sql::Params& params = {}) {
    absl::StatusOr<ResultSet> rs = source_->Execute(sql, params);
    EXPECT_TRUE(rs.ok()) << rs.status();
    return rs.ok() ? *rs : ResultSet{};
  }

  testing::TempDir dir_;
  std::string path_;
  DataSourcePtr source_;
};

TEST(OpenDataSourceTest, UnknownTypeNamesSupportedTypes) {
  DataSourceConfig config;
  config.type = "mysql";
  config.database = "x";
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  ASSERT_EQ(source.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(source.status().message(), HasSubstr("mysql"));
  EXPECT_THAT(source.status().message(), HasSubstr("sqlite"));
  EXPECT_THAT(source.status().message(), HasSubstr("postgres"));
}

TEST(OpenDataSourceTest, MissingSqliteFileIsUnavailable) {
  testing::TempDir dir;
  DataSourceConfig config;
  config.database = dir.path() + "/nope.db";
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  ASSERT_EQ(source.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(source.status().message(), HasSubstr("nope.db"));
  EXPECT_THAT(source.status().message(), HasSubstr("does not exist"));
}

TEST(OpenDataSourceTest, FileThatIsNotADatabaseIsUnavailable) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/notes.txt";
  std::ofstream(path) << "this is not a database, just some text that is long enough to "
                         "fill the header of a SQLite file and then some more.\n";
  DataSourceConfig config;
  config.database = path;
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  ASSERT_EQ(source.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(source.status().message(), HasSubstr("not a database"));
}

TEST(OpenDataSourceTest, EmptyPathIsInvalid) {
  DataSourceConfig config;
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  EXPECT_EQ(source.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OpenDataSourceTest, SqliteRefusesASchema) {
  // Ignoring it would give a tenant meant to be confined to a schema the whole file.
  DataSourceConfig config;
  config.type = "sqlite";
  config.database = "/nonexistent/never-opened.db";
  config.schema = "tenant_a";
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  ASSERT_EQ(source.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(source.status().message(), HasSubstr("SQLite has no schemas"));
}

TEST_F(SqliteDataSourceTest, IdentifiesItself) {
  EXPECT_EQ(source_->db_type(), "sqlite");
  EXPECT_EQ(source_->dialect().name(), "sqlite");
  EXPECT_TRUE(source_->Ping().ok());
}

TEST_F(SqliteDataSourceTest, ReturnsColumnNamesAndTextCells) {
  ResultSet rs = Run("SELECT id, name, city AS town FROM customers ORDER BY id");
  EXPECT_THAT(rs.column_names, ElementsAre("id", "name", "town"));
  ASSERT_EQ(rs.rows.size(), 3u);
  EXPECT_THAT(rs.rows[0], ElementsAre(Cell("1"), Cell("Ada"), Cell("London")));
  EXPECT_THAT(rs.rows[1], ElementsAre(Cell("2"), Cell("Grace"), Cell(std::nullopt)));
}

TEST_F(SqliteDataSourceTest, EmptyResultKeepsColumnNames) {
  ResultSet rs = Run("SELECT id, status FROM orders WHERE id < 0");
  EXPECT_THAT(rs.column_names, ElementsAre("id", "status"));
  EXPECT_TRUE(rs.rows.empty());
}

TEST_F(SqliteDataSourceTest, BindsEachParamType) {
  ResultSet rs = Run(
      "SELECT ?1, typeof(?1), ?2, typeof(?2), ?3, typeof(?3), ?4, typeof(?4), ?5, typeof(?5)",
      {Param{Type::kText, "héllo 'quoted'"}, Param{Type::kInteger, "-42"},
       Param{Type::kReal, "4.5"}, Param{Type::kTimestamp, "2024-01-01 05:00:00.000"},
       Param{Type::kNull, ""}});
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_THAT(rs.rows[0],
              ElementsAre(Cell("héllo 'quoted'"), Cell("text"), Cell("-42"), Cell("integer"),
                          Cell("4.5"), Cell("real"), Cell("2024-01-01 05:00:00.000"), Cell("text"),
                          Cell(std::nullopt), Cell("null")));
}

TEST_F(SqliteDataSourceTest, ParamsFilterRows) {
  ResultSet rs = Run("SELECT id FROM orders WHERE customer_id = ?1 AND status = ?2 ORDER BY id",
                     {Param{Type::kInteger, "1"}, Param{Type::kText, "completed"}});
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.rows[0][0], "1");
  rs = Run("SELECT count(*) FROM orders WHERE created_at >= ?1",
           {Param{Type::kTimestamp, "2024-02-01 00:00:00.000"}});
  EXPECT_EQ(rs.rows[0][0], "2");
  // A placeholder used twice binds once.
  rs = Run("SELECT ?1 || ?1", {Param{Type::kText, "ab"}});
  EXPECT_EQ(rs.rows[0][0], "abab");
}

TEST_F(SqliteDataSourceTest, NumbersRoundTrip) {
  ResultSet rs = Run("SELECT 0.1 + 0.2, 3.0, 9223372036854775807, -0.5, 1e300 * 1e300, 1.5e-10");
  EXPECT_THAT(rs.rows[0], ElementsAre(Cell("0.30000000000000004"), Cell("3.0"),
                                      Cell("9223372036854775807"), Cell("-0.5"), Cell("Inf"),
                                      Cell("1.5e-10")));
  // Shortest round-trip text, as JavaScript prints the same double (SQLite's
  // own 15-digit text would say 50.2 and lose the last bits).
  rs = Run("SELECT sum(amount), avg(amount) FROM orders");
  EXPECT_THAT(rs.rows[0], ElementsAre(Cell("150.6"), Cell("50.199999999999996")));
}

TEST_F(SqliteDataSourceTest, CachedStatementsDoNotLeakBindings) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Run("SELECT ?1", {Param{Type::kText, "a"}}).rows[0][0], "a");
    EXPECT_EQ(Run("SELECT ?1", {Param{Type::kNull, ""}}).rows[0][0], std::nullopt);
    EXPECT_EQ(Run("SELECT ?1", {Param{Type::kInteger, "7"}}).rows[0][0], "7");
  }
}

TEST_F(SqliteDataSourceTest, SqlErrorsAreInternal) {
  absl::StatusOr<ResultSet> rs = source_->Execute("SELEC 1", {});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rs.status().message(), HasSubstr("syntax error"));

  rs = source_->Execute("SELECT * FROM no_such_table", {});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rs.status().message(), HasSubstr("no such table"));

  // The connection is fine afterwards.
  EXPECT_EQ(Run("SELECT 1").rows[0][0], "1");
}

TEST_F(SqliteDataSourceTest, ParamCountMustMatchPlaceholders) {
  absl::StatusOr<ResultSet> rs = source_->Execute("SELECT ?1, ?2", {Param{Type::kText, "x"}});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  rs = source_->Execute("SELECT 1", {Param{Type::kText, "x"}});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);
}

TEST_F(SqliteDataSourceTest, MalformedNumberParamsFailWithoutEchoingThem) {
  absl::StatusOr<ResultSet> rs =
      source_->Execute("SELECT ?1", {Param{Type::kInteger, "12abc-secret"}});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rs.status().message(), Not(HasSubstr("secret")));
  rs = source_->Execute("SELECT ?1", {Param{Type::kReal, "4.5-secret"}});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rs.status().message(), Not(HasSubstr("secret")));
}

TEST_F(SqliteDataSourceTest, ErrorMessagesNeverContainParamValues) {
  // A user-defined error whose message is built from a bound value.
  absl::StatusOr<ResultSet> rs = source_->Execute(
      "SELECT CASE WHEN ?1 IS NOT NULL THEN raise_error_unknown(?1) END",
      {Param{Type::kText, "tenant-42-secret"}});
  EXPECT_FALSE(rs.ok());
  EXPECT_THAT(rs.status().message(), Not(HasSubstr("tenant-42-secret")));
  rs = source_->Execute("SELECT json_extract(?1, '$')", {Param{Type::kText, "{not json secret"}});
  EXPECT_FALSE(rs.ok());
  EXPECT_THAT(rs.status().message(), Not(HasSubstr("secret")));
}

TEST_F(SqliteDataSourceTest, OnlyOneStatementPerCall) {
  absl::StatusOr<ResultSet> rs = source_->Execute("SELECT 1; SELECT 2", {});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  // A trailing semicolon is not a second statement.
  EXPECT_EQ(Run("SELECT 1;").rows[0][0], "1");
}

TEST_F(SqliteDataSourceTest, IsReadOnly) {
  for (const char* sql : {
           "INSERT INTO customers (name) VALUES ('Mallory')",
           "UPDATE orders SET amount = 0",
           "DELETE FROM orders",
           "DROP TABLE orders",
           "CREATE TABLE evil (x)",
           "CREATE TEMP TABLE scratch (x)",
           "ATTACH DATABASE ':memory:' AS other",
           "PRAGMA query_only = OFF",
           "PRAGMA journal_mode = DELETE",
           "BEGIN",
           "VACUUM",
           "UPDATE sqlite_master SET sql = ''",
       }) {
    absl::StatusOr<ResultSet> rs = source_->Execute(sql, {});
    EXPECT_FALSE(rs.ok()) << sql;
  }
  // Nothing changed, and query_only is still on.
  EXPECT_EQ(Run("SELECT count(*) FROM customers").rows[0][0], "3");
  EXPECT_EQ(Run("SELECT count(*) FROM orders").rows[0][0], "4");
  EXPECT_EQ(Run("PRAGMA query_only").rows[0][0], "1");
}

TEST_F(SqliteDataSourceTest, StatementTimeout) {
  DataSourceConfig config;
  config.database = path_;
  config.statement_timeout = std::chrono::milliseconds(50);
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  ASSERT_TRUE(source.ok()) << source.status();
  absl::StatusOr<ResultSet> rs = (*source)->Execute(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
      "SELECT count(*) FROM n",
      {});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kDeadlineExceeded);
  // A quick statement on the same connection still works.
  absl::StatusOr<ResultSet> ok = (*source)->Execute("SELECT 1", {});
  EXPECT_TRUE(ok.ok()) << ok.status();
}

TEST_F(SqliteDataSourceTest, ConcurrentExecuteFromEightThreads) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const int id = 1 + (t + i) % 3;
        absl::StatusOr<ResultSet> rs = source_->Execute(
            "SELECT id, name FROM customers WHERE id = ?1", {Param{Type::kInteger,
                                                               std::to_string(id)}});
        if (!rs.ok() || rs->rows.size() != 1 || rs->rows[0][0] != std::to_string(id)) {
          ++failures;
        }
        // A second, different statement interleaved on the same connections.
        rs = source_->Execute("SELECT tessera_bucket(created_at, 'month', ?1) FROM orders "
                              "WHERE id = 1",
                              {Param{Type::kText, "UTC"}});
        if (!rs.ok() || rs->rows[0][0] != "2024-01-01T00:00:00.000") ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(SqliteDataSourceTest, IntrospectsTablesColumnsAndKeys) {
  absl::StatusOr<std::vector<TableSchema>> tables = source_->Introspect();
  ASSERT_TRUE(tables.ok()) << tables.status();
  std::vector<std::string> names;
  for (const TableSchema& t : *tables) names.push_back(t.name);
  // sqlite_sequence (from AUTOINCREMENT) is internal and skipped.
  EXPECT_THAT(names, ElementsAre("big_orders", "customers", "line_items", "orders"));

  const TableSchema& customers = (*tables)[1];
  EXPECT_EQ(customers.schema, "main");
  ASSERT_EQ(customers.columns.size(), 3u);
  EXPECT_EQ(customers.columns[0].name, "id");
  EXPECT_EQ(customers.columns[0].sql_type, "integer");
  EXPECT_TRUE(customers.columns[0].primary_key);
  EXPECT_EQ(customers.columns[2].sql_type, "varchar(40)");
  EXPECT_FALSE(customers.columns[2].primary_key);

  const TableSchema& items = (*tables)[2];
  ASSERT_EQ(items.columns.size(), 3u);
  EXPECT_TRUE(items.columns[0].primary_key);  // composite key
  EXPECT_TRUE(items.columns[1].primary_key);
  EXPECT_FALSE(items.columns[2].primary_key);
  // "REFERENCES orders" without a column: the referenced table's key.
  ASSERT_TRUE(items.columns[0].foreign_key.has_value());
  EXPECT_EQ(items.columns[0].foreign_key->table, "orders");
  EXPECT_EQ(items.columns[0].foreign_key->column, "id");

  const TableSchema& orders = (*tables)[3];
  ASSERT_EQ(orders.columns.size(), 5u);
  EXPECT_EQ(orders.columns[1].name, "customer_id");
  ASSERT_TRUE(orders.columns[1].foreign_key.has_value());
  EXPECT_EQ(orders.columns[1].foreign_key->table, "customers");
  EXPECT_EQ(orders.columns[1].foreign_key->column, "id");
  EXPECT_FALSE(orders.columns[2].foreign_key.has_value());
  EXPECT_EQ(orders.columns[2].sql_type, "real");
}

}  // namespace
}  // namespace tessera::driver
