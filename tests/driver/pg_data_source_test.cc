// PostgreSQL data source against a real server. The project's test command
// starts one with scripts/pg-test-server.sh and sets:
//   TESSERA_TEST_PG_PORT  (required; without it these tests are skipped)
//   TESSERA_TEST_PG_USER  (default "postgres"), TESSERA_TEST_PG_DB (default "ecom")
//   TESSERA_TEST_PG_DIR   (optional: the server's directory, enables the restart test)
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "driver/data_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pg_test_server.h"

namespace tessera::driver {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using sql::Param;
using Type = sql::Param::Type;

using testing::AdminConnection;
using testing::Env;

// Each test binary run gets its own schema, so parallel runs against one
// server do not trip over each other.
const std::string& Schema() {
  static const std::string schema = absl::StrCat("tessera_driver_test_", getpid());
  return schema;
}

DataSourceConfig Config(int pool_size = 4) { return testing::PgConfig(pool_size); }

class PgDataSourceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::getenv("TESSERA_TEST_PG_PORT") == nullptr) return;
    AdminConnection admin;
    const std::string& s = Schema();
    admin.Run(absl::StrCat("DROP SCHEMA IF EXISTS ", s, " CASCADE"));
    admin.Run(absl::StrCat("CREATE SCHEMA ", s));
    admin.Run(absl::StrCat(R"sql(
      CREATE TABLE )sql", s, R"sql(.customers (
        id serial PRIMARY KEY,
        name text NOT NULL,
        city varchar(40),
        vip boolean
      );
      CREATE TABLE )sql", s, R"sql(.orders (
        id integer PRIMARY KEY,
        customer_id integer REFERENCES )sql", s, R"sql(.customers (id),
        amount numeric(10, 2),
        created_at timestamp,
        status text
      );
      CREATE TABLE )sql", s, R"sql(.line_items (
        order_id integer REFERENCES )sql", s, R"sql(.orders,
        product text,
        qty integer,
        PRIMARY KEY (order_id, product)
      );
      INSERT INTO )sql", s, R"sql(.customers (name, city, vip) VALUES
        ('Ada', 'London', true), ('Grace', NULL, false), ('Linus', 'Helsinki', NULL);
      INSERT INTO )sql", s, R"sql(.orders VALUES
        (1, 1, 120.50, '2024-01-15 10:00:00', 'completed'),
        (2, 1, 30, '2024-02-01 08:30:00', 'processing'),
        (3, 2, NULL, NULL, 'shipped'),
        (4, 3, 0.10, '2024-03-11 03:00:00', 'completed');
      INSERT INTO )sql", s, R"sql(.line_items VALUES (1, 'keyboard', 2), (1, 'mouse', 1);
    )sql"));
  }

  static void TearDownTestSuite() {
    if (std::getenv("TESSERA_TEST_PG_PORT") == nullptr) return;
    AdminConnection admin;
    admin.Run(absl::StrCat("DROP SCHEMA IF EXISTS ", Schema(), " CASCADE"));
  }

  void SetUp() override {
    if (std::getenv("TESSERA_TEST_PG_PORT") == nullptr) {
      GTEST_SKIP() << "TESSERA_TEST_PG_PORT is not set: start a server with "
                      "scripts/pg-test-server.sh start DIR and export its port";
    }
    absl::StatusOr<DataSourcePtr> source = OpenDataSource(Config());
    ASSERT_TRUE(source.ok()) << source.status();
    source_ = *source;
  }

  // `name` qualified with the test schema.
  static std::string T(const std::string& name) { return absl::StrCat(Schema(), ".", name); }

  ResultSet Run(const std::string& sql, const sql::Params& params = {}) {
    absl::StatusOr<ResultSet> rs = source_->Execute(sql, params);
    EXPECT_TRUE(rs.ok()) << sql << ": " << rs.status();
    return rs.ok() ? *rs : ResultSet{};
  }

  int BackendPid(DataSource& source) {
    absl::StatusOr<ResultSet> rs = source.Execute("SELECT pg_backend_pid()", {});
    EXPECT_TRUE(rs.ok()) << rs.status();
    int pid = 0;
    if (rs.ok()) {
      EXPECT_TRUE(absl::SimpleAtoi(rs->rows[0][0].value_or(""), &pid));
    }
    return pid;
  }

  // Kills backend `pid` and waits until the server has let it go.
  void TerminateBackend(AdminConnection& admin, int pid) {
    admin.Run(absl::StrCat("SELECT pg_terminate_backend(", pid, ")"));
    for (int i = 0; i < 500; ++i) {
      if (admin.Run(absl::StrCat("SELECT count(*) FROM pg_stat_activity WHERE pid = ", pid)) ==
          "0") {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "backend " << pid << " did not exit";
  }

  DataSourcePtr source_;
};

// A loopback port that nobody listens on: bound by us, then released.
int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(PgDataSourceTest, IdentifiesItselfAndPings) {
  EXPECT_EQ(source_->db_type(), "postgres");
  EXPECT_EQ(source_->dialect().name(), "postgres");
  EXPECT_TRUE(source_->Ping().ok());
}

TEST_F(PgDataSourceTest, ReturnsColumnNamesAndNulls) {
  ResultSet rs = Run(absl::StrCat("SELECT id, name, city AS town FROM ", T("customers"),
                                  " ORDER BY id"));
  EXPECT_THAT(rs.column_names, ElementsAre("id", "name", "town"));
  ASSERT_EQ(rs.rows.size(), 3u);
  EXPECT_THAT(rs.rows[0], ElementsAre(Cell("1"), Cell("Ada"), Cell("London")));
  EXPECT_THAT(rs.rows[1], ElementsAre(Cell("2"), Cell("Grace"), Cell(std::nullopt)));
  rs = Run(absl::StrCat("SELECT id FROM ", T("orders"), " WHERE id < 0"));
  EXPECT_THAT(rs.column_names, ElementsAre("id"));
  EXPECT_TRUE(rs.rows.empty());
}

TEST_F(PgDataSourceTest, BindsEachParamType) {
  ResultSet rs = Run("SELECT $1::text, $2::bigint + 1, $3::float8 * 2, $4::timestamptz, "
                     "$5::text IS NULL, $5::text",
                     {Param{Type::kText, "héllo 'quoted' $1"}, Param{Type::kInteger, "-42"},
                      Param{Type::kReal, "4.5"},
                      Param{Type::kTimestamp, "2024-01-01 05:00:00.000"}, Param{Type::kNull, ""}});
  ASSERT_EQ(rs.rows.size(), 1u);
  // The session runs in UTC, so timestamptz prints with +00.
  EXPECT_THAT(rs.rows[0], ElementsAre(Cell("héllo 'quoted' $1"), Cell("-41"), Cell("9"),
                                      Cell("2024-01-01 05:00:00+00"), Cell("true"),
                                      Cell(std::nullopt)));
}

TEST_F(PgDataSourceTest, ServerInfersParamTypesFromContext) {
  ResultSet rs = Run(absl::StrCat("SELECT name FROM ", T("customers"), " WHERE id = $1"),
                     {Param{Type::kInteger, "2"}});
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.rows[0][0], "Grace");
  rs = Run(absl::StrCat("SELECT count(*) FROM ", T("orders"),
                        " WHERE created_at >= $1 AND amount > $2"),
           {Param{Type::kTimestamp, "2024-02-01 00:00:00.000"}, Param{Type::kReal, "0.05"}});
  EXPECT_EQ(rs.rows[0][0], "2");
}

TEST_F(PgDataSourceTest, BooleansAreTrueOrFalse) {
  ResultSet rs = Run(absl::StrCat("SELECT vip FROM ", T("customers"), " ORDER BY id"));
  ASSERT_EQ(rs.rows.size(), 3u);
  EXPECT_EQ(rs.rows[0][0], "true");
  EXPECT_EQ(rs.rows[1][0], "false");
  EXPECT_EQ(rs.rows[2][0], std::nullopt);
  rs = Run(absl::StrCat("SELECT name FROM ", T("customers"), " WHERE vip = $1"),
           {Param{Type::kText, "true"}});
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.rows[0][0], "Ada");
}

TEST_F(PgDataSourceTest, TimestampsAndTimeZoneBuckets) {
  ResultSet rs = Run(absl::StrCat("SELECT created_at, amount FROM ", T("orders"), " WHERE id = 1"));
  EXPECT_THAT(rs.rows[0], ElementsAre(Cell("2024-01-15 10:00:00"), Cell("120.50")));
  // The SQL the PostgreSQL dialect emits for a week bucket in New York:
  // Monday 03:00 UTC is Sunday evening there, so the week began on the 4th.
  const std::string bucket = source_->dialect().TimeBucket("created_at", Granularity::kWeek, "$1");
  rs = Run(absl::StrCat("SELECT ", bucket, " FROM ", T("orders"), " WHERE id = 4"),
           {Param{Type::kText, "America/New_York"}});
  EXPECT_EQ(rs.rows[0][0], "2024-03-04 00:00:00");
  // And a bound UTC bound compared against the column, as the compiler does.
  rs = Run(absl::StrCat("SELECT count(*) FROM ", T("orders"), " WHERE created_at < ",
                        source_->dialect().TimestampParam("$1")),
           {Param{Type::kTimestamp, "2024-01-15 10:00:00.001"}});
  EXPECT_EQ(rs.rows[0][0], "1");
}

TEST_F(PgDataSourceTest, SessionsAreReadOnly) {
  absl::StatusOr<ResultSet> rs = source_->Execute(
      absl::StrCat("INSERT INTO ", T("customers"), " (name) VALUES ($1)"),
      {Param{Type::kText, "Mallory"}});
  ASSERT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rs.status().message(), HasSubstr("read-only transaction"));
  rs = source_->Execute(absl::StrCat("DROP TABLE ", T("line_items")), {});
  EXPECT_FALSE(rs.ok());
  EXPECT_EQ(Run(absl::StrCat("SELECT count(*) FROM ", T("customers"))).rows[0][0], "3");
}

TEST_F(PgDataSourceTest, SqlErrorsAreInternalWithoutParamValues) {
  absl::StatusOr<ResultSet> rs = source_->Execute("SELECT * FROM no_such_table", {});
  ASSERT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rs.status().message(), HasSubstr("does not exist"));
  EXPECT_THAT(rs.status().message(), HasSubstr("42P01"));

  rs = source_->Execute("SELECT $1::int", {Param{Type::kInteger, "12-tenant-secret"}});
  ASSERT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rs.status().message(), HasSubstr("invalid input syntax"));
  EXPECT_THAT(rs.status().message(), Not(HasSubstr("secret")));

  rs = source_->Execute("SELECT $1::date", {Param{Type::kTimestamp, "2024-13-45 secret"}});
  ASSERT_FALSE(rs.ok());
  EXPECT_THAT(rs.status().message(), Not(HasSubstr("secret")));

  // One statement per call.
  rs = source_->Execute("SELECT 1; SELECT 2", {Param{Type::kText, "x"}});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);

  EXPECT_TRUE(source_->Ping().ok());  // the pool is fine afterwards
}

TEST_F(PgDataSourceTest, StatementTimeout) {
  DataSourceConfig config = Config(1);
  config.statement_timeout = std::chrono::milliseconds(100);
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  ASSERT_TRUE(source.ok());
  absl::StatusOr<ResultSet> rs = (*source)->Execute("SELECT pg_sleep(10)", {});
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE((*source)->Ping().ok());
}

TEST_F(PgDataSourceTest, PoolOfFourServesSixteenThreads) {
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(Config(4));
  ASSERT_TRUE(source.ok());
  std::mutex mu;
  std::set<std::string> pids;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string n = std::to_string(t * 1000 + i);
        absl::StatusOr<ResultSet> rs = (*source)->Execute(
            absl::StrCat("SELECT pg_backend_pid()::text, $1::int * 2, count(*) FROM ",
                         T("orders")),
            {Param{Type::kInteger, n}});
        if (!rs.ok() || rs->rows[0][1] != std::to_string((t * 1000 + i) * 2) ||
            rs->rows[0][2] != "4") {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        pids.insert(*rs->rows[0][0]);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(pids.size(), 1u);
  EXPECT_LE(pids.size(), 4u);  // never more sessions than the pool allows
}

TEST_F(PgDataSourceTest, UnreachableServerIsUnavailable) {
  DataSourceConfig config = Config();
  config.port = UnusedPort();
  config.password = "hunter2 ' host=evil";
  // Opening does not connect: the API starts while the database is down.
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  ASSERT_TRUE(source.ok());
  absl::StatusOr<ResultSet> rs = (*source)->Execute("SELECT 1", {});
  ASSERT_EQ(rs.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(rs.status().message(), HasSubstr("database unavailable"));
  EXPECT_THAT(rs.status().message(), Not(HasSubstr("hunter2")));
  EXPECT_EQ((*source)->Ping().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ((*source)->Introspect().status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(PgDataSourceTest, UnknownDatabaseIsUnavailable) {
  DataSourceConfig config = Config();
  // Not parsed as a connection string: "host=..." stays part of the name.
  config.database = "no_such_db host=192.0.2.1";
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  ASSERT_TRUE(source.ok());
  absl::Status s = (*source)->Ping();
  ASSERT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("does not exist"));
}

TEST_F(PgDataSourceTest, ConnectionParamsAreNotAConnectionString) {
  // With trust auth the password is ignored; built into a conninfo string
  // it would have redirected the connection to another database.
  DataSourceConfig config = Config();
  config.password = "x' dbname='postgres";
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
  ASSERT_TRUE(source.ok());
  absl::StatusOr<ResultSet> rs = (*source)->Execute("SELECT current_database()", {});
  ASSERT_TRUE(rs.ok()) << rs.status();
  EXPECT_EQ(rs->rows[0][0], Env("TESSERA_TEST_PG_DB", "ecom"));
}

TEST_F(PgDataSourceTest, BrokenPooledConnectionIsReplaced) {
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(Config(1));
  ASSERT_TRUE(source.ok());
  const int first = BackendPid(**source);
  AdminConnection admin;
  TerminateBackend(admin, first);
  // The idle connection is dead; the next call notices and retries on a new one.
  const int second = BackendPid(**source);
  EXPECT_NE(second, 0);
  EXPECT_NE(second, first);
  EXPECT_TRUE((*source)->Ping().ok());
}

TEST_F(PgDataSourceTest, AllBrokenConnectionsAreReplaced) {
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(Config(4));
  ASSERT_TRUE(source.ok());
  // Fill the pool: four overlapping calls need four sessions.
  std::mutex mu;
  std::set<int> pids;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      absl::StatusOr<ResultSet> rs =
          (*source)->Execute("SELECT pg_backend_pid(), pg_sleep(0.3)", {});
      int pid = 0;
      if (rs.ok() && absl::SimpleAtoi(rs->rows[0][0].value_or(""), &pid)) {
        std::lock_guard<std::mutex> lock(mu);
        pids.insert(pid);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(pids.size(), 4u);
  AdminConnection admin;
  for (int pid : pids) TerminateBackend(admin, pid);
  // As after a server restart: every pooled session is dead.
  for (int i = 0; i < 6; ++i) {
    absl::StatusOr<ResultSet> rs = (*source)->Execute("SELECT 1", {});
    EXPECT_TRUE(rs.ok()) << i << ": " << rs.status();
  }
}

TEST_F(PgDataSourceTest, RecoversAfterServerRestart) {
  const std::string dir = Env("TESSERA_TEST_PG_DIR", "");
  if (dir.empty()) GTEST_SKIP() << "set TESSERA_TEST_PG_DIR to the server directory to run this";
  absl::StatusOr<DataSourcePtr> source = OpenDataSource(Config(2));
  ASSERT_TRUE(source.ok());
  ASSERT_TRUE((*source)->Ping().ok());
  const std::string cmd = absl::StrCat(TESSERA_SOURCE_DIR, "/scripts/pg-test-server.sh restart '",
                                       dir, "' >/dev/null");
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  absl::Status s = (*source)->Ping();
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(PgDataSourceTest, IntrospectsTablesColumnsAndKeys) {
  absl::StatusOr<std::vector<TableSchema>> all = source_->Introspect();
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<TableSchema> tables;
  for (const TableSchema& t : *all) {
    EXPECT_NE(t.schema, "pg_catalog");
    EXPECT_NE(t.schema, "information_schema");
    if (t.schema == Schema()) tables.push_back(t);
  }
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0].name, "customers");
  EXPECT_EQ(tables[1].name, "line_items");
  EXPECT_EQ(tables[2].name, "orders");

  const TableSchema& customers = tables[0];
  ASSERT_EQ(customers.columns.size(), 4u);
  EXPECT_EQ(customers.columns[0].name, "id");
  EXPECT_EQ(customers.columns[0].sql_type, "integer");
  EXPECT_TRUE(customers.columns[0].primary_key);
  EXPECT_EQ(customers.columns[2].sql_type, "character varying");
  EXPECT_EQ(customers.columns[3].sql_type, "boolean");
  EXPECT_FALSE(customers.columns[3].primary_key);

  const TableSchema& items = tables[1];
  ASSERT_EQ(items.columns.size(), 3u);
  EXPECT_TRUE(items.columns[0].primary_key);
  EXPECT_TRUE(items.columns[1].primary_key);
  ASSERT_TRUE(items.columns[0].foreign_key.has_value());
  EXPECT_EQ(items.columns[0].foreign_key->table, "orders");
  EXPECT_EQ(items.columns[0].foreign_key->column, "id");

  const TableSchema& orders = tables[2];
  ASSERT_EQ(orders.columns.size(), 5u);
  EXPECT_EQ(orders.columns[2].sql_type, "numeric");
  EXPECT_EQ(orders.columns[3].sql_type, "timestamp without time zone");
  ASSERT_TRUE(orders.columns[1].foreign_key.has_value());
  EXPECT_EQ(orders.columns[1].foreign_key->table, "customers");
  EXPECT_EQ(orders.columns[1].foreign_key->column, "id");
  EXPECT_FALSE(orders.columns[2].foreign_key.has_value());
}

}  // namespace
}  // namespace tessera::driver
