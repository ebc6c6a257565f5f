// The long-polling deadline ("Continue wait") of QueryRunner: a query answered
// before its deadline leaves nothing scheduled behind (a pending callback
// holds the request's state), and a query slower than the deadline is
// answered "Continue wait" and then completes for the next request.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "api/deadline_timer.h"
#include "api/query_runner.h"
#include "api/worker_pool.h"
#include "cache/result_cache.h"

namespace tessera::api {
namespace {

using namespace std::chrono_literals;

TEST(DeadlineTimerTest, CancelDropsTheCallbackAndWhatItHolds) {
  DeadlineTimer timer;
  auto held = std::make_shared<int>(7);
  std::atomic<int> ran{0};
  DeadlineTimer::Ticket t = timer.At(DeadlineTimer::Clock::now() + 1h, [held, &ran] { ++ran; });
  EXPECT_EQ(timer.pending(), 1u);
  EXPECT_EQ(held.use_count(), 2);
  timer.Cancel(t);
  EXPECT_EQ(timer.pending(), 0u);
  EXPECT_EQ(held.use_count(), 1);
  timer.Cancel(t);  // twice is harmless
  // Callbacks that are due still run, in deadline order.
  std::promise<void> done;
  std::vector<int> order;
  timer.At(DeadlineTimer::Clock::now() + 30ms, [&] {
    order.push_back(2);
    done.set_value();
  });
  timer.At(DeadlineTimer::Clock::now() + 10ms, [&] { order.push_back(1); });
  ASSERT_EQ(done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(ran.load(), 0);
}

// A data source whose queries take `delay`.
class SlowSource final : public driver::DataSource {
 public:
  explicit SlowSource(std::chrono::milliseconds delay) : delay_(delay), dialect_(sql::MakePostgresDialect()) {}
  std::string_view db_type() const override { return "fake"; }
  const sql::Dialect& dialect() const override { return *dialect_; }
  absl::StatusOr<driver::ResultSet> Execute(const std::string&, const sql::Params&) override {
    std::this_thread::sleep_for(delay_);
    ++executed;
    return driver::ResultSet{};
  }
  absl::Status Ping() override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<driver::TableSchema>> Introspect() override { return std::vector<driver::TableSchema>{}; }
  std::atomic<int> executed{0};

 private:
  std::chrono::milliseconds delay_;
  std::unique_ptr<sql::Dialect> dialect_;
};

absl::StatusOr<Results> RunOnce(QueryRunner& runner, std::shared_ptr<driver::DataSource> source,
                                const std::string& key) {
  auto st = std::make_shared<PreparedStatement>();
  st->source = std::move(source);
  st->compiled.sql = "SELECT 1";
  st->cache_key = key;
  std::promise<absl::StatusOr<Results>> p;
  auto f = p.get_future();
  runner.Run({st}, false, [&p](absl::StatusOr<Results> r) { p.set_value(std::move(r)); });
  if (f.wait_for(10s) != std::future_status::ready) return absl::DeadlineExceededError("no answer");
  return f.get();
}

TEST(QueryRunnerTest, AnsweredQueriesLeaveNoDeadlineBehind) {
  cache::ResultCache cache(100);
  DeadlineTimer timer;
  WorkerPool workers(2);
  QueryRunner runner(cache, workers, timer, 60s);
  auto source = std::make_shared<SlowSource>(0ms);
  for (int i = 0; i < 50; ++i) {
    absl::StatusOr<Results> r = RunOnce(runner, source, "k" + std::to_string(i));
    ASSERT_TRUE(r.ok()) << r.status();
  }
  // Give the last Answer's cancellation a moment (it runs after the callback).
  for (int i = 0; i < 100 && timer.pending() != 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(timer.pending(), 0u);
  EXPECT_EQ(source->executed.load(), 50);
}

TEST(QueryRunnerTest, SlowQueryAnswersContinueWaitThenItsResult) {
  cache::ResultCache cache(100);
  DeadlineTimer timer;
  WorkerPool workers(2);
  QueryRunner runner(cache, workers, timer, 50ms);
  auto source = std::make_shared<SlowSource>(300ms);
  absl::StatusOr<Results> first = RunOnce(runner, source, "slow");
  ASSERT_FALSE(first.ok());
  EXPECT_TRUE(IsContinueWait(first.status()));
  std::this_thread::sleep_for(400ms);
  absl::StatusOr<Results> second = RunOnce(runner, source, "slow");  // from the cache now
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(source->executed.load(), 1);
  EXPECT_EQ(timer.pending(), 0u);
}

}  // namespace
}  // namespace tessera::api
