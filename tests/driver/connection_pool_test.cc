#include "driver/connection_pool.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace tessera::driver {
namespace {

struct FakeConnection {
  int id;
};

class ConnectionPoolTest : public ::testing::Test {
 protected:
  ConnectionPool<FakeConnection>::Factory Factory() {
    return [this]() -> absl::StatusOr<std::unique_ptr<FakeConnection>> {
      if (fail_) return absl::UnavailableError("database unavailable: test");
      return std::make_unique<FakeConnection>(FakeConnection{++opened_});
    };
  }
  std::atomic<int> opened_{0};
  std::atomic<bool> fail_{false};
};

TEST_F(ConnectionPoolTest, OpensLazilyAndReusesIdleConnections) {
  ConnectionPool<FakeConnection> pool(2, absl::Seconds(1), Factory());
  EXPECT_EQ(opened_, 0);
  {
    auto a = pool.Acquire();
    ASSERT_TRUE(a.ok());
    EXPECT_EQ((*a)->id, 1);
  }
  auto b = pool.Acquire();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->id, 1);  // the same connection came back
  EXPECT_EQ(opened_, 1);
  EXPECT_EQ(pool.open_connections(), 1u);
}

TEST_F(ConnectionPoolTest, CapsConnectionsAndTimesOut) {
  ConnectionPool<FakeConnection> pool(2, absl::Milliseconds(20), Factory());
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = pool.Acquire();
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(opened_, 2);
}

TEST_F(ConnectionPoolTest, WaiterGetsAReturnedConnection) {
  ConnectionPool<FakeConnection> pool(1, absl::Seconds(30), Factory());
  auto a = pool.Acquire();
  ASSERT_TRUE(a.ok());
  std::thread releaser([lease = std::move(*a)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    lease = {};  // return it
  });
  auto b = pool.Acquire();
  releaser.join();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->id, 1);
}

TEST_F(ConnectionPoolTest, DiscardFreesTheSlot) {
  ConnectionPool<FakeConnection> pool(1, absl::Milliseconds(20), Factory());
  {
    auto a = pool.Acquire();
    ASSERT_TRUE(a.ok());
    a->Discard();
  }
  EXPECT_EQ(pool.open_connections(), 0u);
  auto b = pool.Acquire();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->id, 2);  // a fresh connection
}

TEST_F(ConnectionPoolTest, FailedOpenFreesTheSlot) {
  ConnectionPool<FakeConnection> pool(1, absl::Milliseconds(20), Factory());
  fail_ = true;
  EXPECT_EQ(pool.Acquire().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pool.Acquire().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pool.open_connections(), 0u);
  fail_ = false;
  EXPECT_TRUE(pool.Acquire().ok());
}

TEST_F(ConnectionPoolTest, DiscardIdleClosesOnlyIdleConnections) {
  ConnectionPool<FakeConnection> pool(3, absl::Seconds(1), Factory());
  auto a = pool.Acquire();
  { auto b = pool.Acquire(); auto c = pool.Acquire(); }
  EXPECT_EQ(pool.open_connections(), 3u);
  pool.DiscardIdle();
  EXPECT_EQ(pool.open_connections(), 1u);  // `a` is still leased
  auto d = pool.Acquire();
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->id, 4);
}

TEST_F(ConnectionPoolTest, ManyThreadsNeverExceedCapacity) {
  ConnectionPool<FakeConnection> pool(4, absl::Seconds(30), Factory());
  std::atomic<int> in_use{0}, max_in_use{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto lease = pool.Acquire();
        if (!lease.ok()) {
          ++failures;
          continue;
        }
        int now = ++in_use;
        int seen = max_in_use.load();
        while (now > seen && !max_in_use.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --in_use;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_LE(max_in_use, 4);
  EXPECT_LE(opened_, 4);
}

}  // namespace
}  // namespace tessera::driver
