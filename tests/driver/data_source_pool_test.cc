#include "driver/data_source_pool.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "driver/data_source.h"
#include "gtest/gtest.h"
#include "sqlite_test_db.h"

namespace tessera::driver {
namespace {

using std::chrono::seconds;

std::atomic<int> g_alive{0};        // fake sources constructed and not yet destroyed
std::atomic<int> g_constructed{0};  // fake sources ever constructed

// A data source that only knows its name and counts its lifetime.
class FakeSource final : public DataSource {
 public:
  explicit FakeSource(std::string name)
      : name_(std::move(name)), dialect_(sql::MakeSqliteDialect()) {
    ++g_alive;
    ++g_constructed;
  }
  ~FakeSource() override { --g_alive; }

  const std::string& name() const { return name_; }
  std::string_view db_type() const override { return "fake"; }
  const sql::Dialect& dialect() const override { return *dialect_; }
  absl::StatusOr<ResultSet> Execute(const std::string&, const sql::Params&) override {
    return ResultSet{};
  }
  absl::Status Ping() override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<TableSchema>> Introspect() override {
    return std::vector<TableSchema>{};
  }

 private:
  std::string name_;
  std::unique_ptr<sql::Dialect> dialect_;
};

const std::string& NameOf(const DataSourcePtr& source) {
  return static_cast<const FakeSource&>(*source).name();
}

class DataSourcePoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_alive = 0;
    g_constructed = 0;
  }

  // A pool on the fake clock, without the sweeper thread.
  DataSourcePoolOptions Options(size_t max_open = 256, seconds idle = seconds(300)) {
    DataSourcePoolOptions options;
    options.max_open = max_open;
    options.idle_timeout = idle;
    options.background_sweeper = false;
    options.now = [this] { return now_; };
    return options;
  }

  DataSourcePool::Opener Fake(const std::string& name) {
    return [name]() -> absl::StatusOr<DataSourcePtr> { return std::make_shared<FakeSource>(name); };
  }

  DataSourcePtr MustGet(DataSourcePool& pool, const std::string& key) {
    absl::StatusOr<DataSourcePtr> source = pool.Get(key, Fake(key));
    EXPECT_TRUE(source.ok()) << source.status();
    return source.ok() ? *source : nullptr;
  }

  std::chrono::steady_clock::time_point now_{};  // the fake clock; only the test thread moves it
};

TEST_F(DataSourcePoolTest, OpensNothingBeforeFirstGet) {
  DataSourcePool pool(Options());
  EXPECT_EQ(pool.open_count(), 0u);
  EXPECT_EQ(pool.opened_total(), 0u);
  EXPECT_EQ(g_constructed, 0);
}

TEST_F(DataSourcePoolTest, SameKeySharesOneSourceDistinctKeysDoNot) {
  DataSourcePool pool(Options());
  DataSourcePtr a1 = MustGet(pool, "a");
  DataSourcePtr a2 = MustGet(pool, "a");
  DataSourcePtr b = MustGet(pool, "b");
  EXPECT_EQ(a1, a2);
  EXPECT_NE(a1, b);
  EXPECT_EQ(NameOf(a1), "a");
  EXPECT_EQ(NameOf(b), "b");
  EXPECT_EQ(pool.opened_total(), 2u);
  EXPECT_EQ(pool.open_count(), 2u);
  EXPECT_EQ(g_constructed, 2);
}

TEST_F(DataSourcePoolTest, ClosesIdleSourcesAfterTimeoutNotBefore) {
  DataSourcePool pool(Options(256, seconds(60)));
  MustGet(pool, "a");  // the returned pointer is dropped at once
  now_ += seconds(59);
  EXPECT_EQ(pool.CloseIdle(), 0u);
  EXPECT_EQ(g_alive, 1);
  now_ += seconds(1);
  EXPECT_EQ(pool.CloseIdle(), 1u);
  EXPECT_EQ(pool.open_count(), 0u);
  EXPECT_EQ(g_alive, 0);  // nobody else held it: destroyed
  // The next use opens it again.
  MustGet(pool, "a");
  EXPECT_EQ(pool.opened_total(), 2u);
}

TEST_F(DataSourcePoolTest, GetRefreshesIdleness) {
  DataSourcePool pool(Options(256, seconds(60)));
  MustGet(pool, "a");
  MustGet(pool, "b");
  now_ += seconds(40);
  MustGet(pool, "a");
  now_ += seconds(40);  // b idle 80 s, a idle 40 s
  EXPECT_EQ(pool.CloseIdle(), 1u);
  EXPECT_EQ(pool.open_count(), 1u);
  MustGet(pool, "a");
  EXPECT_EQ(pool.opened_total(), 2u);  // a was never reopened
}

TEST_F(DataSourcePoolTest, EvictsLeastRecentlyUsedBeyondMaxOpen) {
  DataSourcePool pool(Options(/*max_open=*/2));
  MustGet(pool, "a");
  MustGet(pool, "b");
  MustGet(pool, "a");  // b is now the least recently used
  MustGet(pool, "c");
  EXPECT_EQ(pool.open_count(), 2u);
  EXPECT_EQ(g_alive, 2);
  MustGet(pool, "a");
  MustGet(pool, "c");
  EXPECT_EQ(pool.opened_total(), 3u);  // a and c stayed open
  MustGet(pool, "b");                  // reopened; a (least recent) goes
  EXPECT_EQ(pool.opened_total(), 4u);
  MustGet(pool, "c");
  EXPECT_EQ(pool.opened_total(), 4u);
  MustGet(pool, "a");
  EXPECT_EQ(pool.opened_total(), 5u);
}

TEST_F(DataSourcePoolTest, HeldSourceSurvivesClosing) {
  DataSourcePool pool(Options(256, seconds(60)));
  DataSourcePtr held = MustGet(pool, "a");
  now_ += seconds(61);
  EXPECT_EQ(pool.CloseIdle(), 1u);
  EXPECT_EQ(pool.open_count(), 0u);
  EXPECT_EQ(g_alive, 1);  // the request still using it keeps it alive
  EXPECT_TRUE(held->Ping().ok());
  DataSourcePtr fresh = MustGet(pool, "a");
  EXPECT_NE(fresh, held);
  held.reset();
  EXPECT_EQ(g_alive, 1);  // only the new one is left
}

TEST_F(DataSourcePoolTest, FailureIsReturnedAndNotRemembered) {
  DataSourcePool pool(Options());
  int calls = 0;
  auto failing = [&]() -> absl::StatusOr<DataSourcePtr> {
    ++calls;
    return absl::UnavailableError("database unavailable: test");
  };
  EXPECT_EQ(pool.Get("a", failing).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pool.Get("a", failing).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(pool.open_count(), 0u);
  EXPECT_EQ(pool.opened_total(), 0u);
  MustGet(pool, "a");
  EXPECT_EQ(pool.opened_total(), 1u);
  // A null source from an opener is an error, not a cached null.
  auto null_opener = []() -> absl::StatusOr<DataSourcePtr> { return DataSourcePtr(); };
  EXPECT_EQ(pool.Get("n", null_opener).status().code(), absl::StatusCode::kInternal);
}

TEST_F(DataSourcePoolTest, ConcurrentFirstGetsOpenOnce) {
  DataSourcePool pool(Options());
  std::atomic<int> opens{0};
  // The opener is slow, so all eight callers arrive while it runs.
  auto slow = [&]() -> absl::StatusOr<DataSourcePtr> {
    ++opens;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return std::make_shared<FakeSource>("a");
  };
  std::vector<DataSourcePtr> got(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      absl::StatusOr<DataSourcePtr> s = pool.Get("a", slow);
      if (s.ok()) got[t] = *s;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(opens, 1);
  EXPECT_EQ(pool.opened_total(), 1u);
  for (const DataSourcePtr& s : got) EXPECT_EQ(s, got[0]);
  EXPECT_NE(got[0], nullptr);
}

TEST_F(DataSourcePoolTest, ConcurrentFirstGetsShareAFailure) {
  DataSourcePool pool(Options());
  std::atomic<int> opens{0};
  auto slow_failure = [&]() -> absl::StatusOr<DataSourcePtr> {
    ++opens;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return absl::UnavailableError("database unavailable: test");
  };
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      if (absl::IsUnavailable(pool.Get("a", slow_failure).status())) ++failures;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 4);
  EXPECT_EQ(opens, 1);
}

TEST_F(DataSourcePoolTest, SlowOpenDoesNotBlockOtherKeys) {
  DataSourcePool pool(Options());
  MustGet(pool, "open");
  absl::Notification entered, release;
  auto stuck = [&]() -> absl::StatusOr<DataSourcePtr> {
    entered.Notify();
    release.WaitForNotification();
    return std::make_shared<FakeSource>("slow");
  };
  std::thread opener([&] { EXPECT_TRUE(pool.Get("slow", stuck).ok()); });
  entered.WaitForNotification();
  // While "slow" is still opening, other keys are served (and opened).
  EXPECT_NE(MustGet(pool, "open"), nullptr);
  EXPECT_NE(MustGet(pool, "other"), nullptr);
  EXPECT_EQ(pool.CloseIdle(), 0u);
  release.Notify();
  opener.join();
  EXPECT_EQ(pool.open_count(), 3u);
}

TEST_F(DataSourcePoolTest, SweeperThreadClosesIdleSources) {
  DataSourcePoolOptions options;  // the real clock
  options.idle_timeout = seconds(1);
  const auto start = std::chrono::steady_clock::now();
  DataSourcePool pool(options);
  MustGet(pool, "a");
  while (pool.open_count() > 0 && std::chrono::steady_clock::now() - start < seconds(3)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(pool.open_count(), 0u);
  EXPECT_GE(std::chrono::steady_clock::now() - start, seconds(1));
  EXPECT_EQ(g_alive, 0);
}

TEST_F(DataSourcePoolTest, DestructorStopsTheSweeperPromptly) {
  const auto start = std::chrono::steady_clock::now();
  {
    DataSourcePoolOptions options;  // sweeps every 75 s
    DataSourcePool pool(options);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(1));
}

TEST_F(DataSourcePoolTest, EachKeyReadsItsOwnSqliteFile) {
  testing::TempDir dir;
  const std::string a = dir.path() + "/tenant_a.db";
  const std::string b = dir.path() + "/tenant_b.db";
  testing::CreateDatabase(a, "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('from a');");
  testing::CreateDatabase(b, "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('from b'), ('b2');");
  auto sqlite = [](std::string path) {
    return [path]() {
      DataSourceConfig config;
      config.type = "sqlite";
      config.database = path;
      return OpenDataSource(config);
    };
  };
  DataSourcePool pool(Options());
  for (int round = 0; round < 2; ++round) {
    absl::StatusOr<DataSourcePtr> sa = pool.Get("a", sqlite(a));
    absl::StatusOr<DataSourcePtr> sb = pool.Get("b", sqlite(b));
    ASSERT_TRUE(sa.ok() && sb.ok());
    absl::StatusOr<ResultSet> ra = (*sa)->Execute("SELECT group_concat(v) FROM t", {});
    absl::StatusOr<ResultSet> rb = (*sb)->Execute("SELECT group_concat(v) FROM t", {});
    ASSERT_TRUE(ra.ok() && rb.ok());
    EXPECT_EQ(ra->rows[0][0], "from a");
    EXPECT_EQ(rb->rows[0][0], "from b,b2");
    now_ += seconds(301);
    EXPECT_EQ(pool.CloseIdle(), 2u);  // the second round reopens both files
  }
  EXPECT_EQ(pool.opened_total(), 4u);
}

}  // namespace
}  // namespace tessera::driver
