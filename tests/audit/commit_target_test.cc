#include "audit/commit_target.h"

#include <chrono>
#include <limits>

#include "gtest/gtest.h"

namespace tessera::audit {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(GroupCommitTarget, NoDelayMeansSyncAtOnce) {
  EXPECT_EQ(GroupCommitTarget(1e6, microseconds(0), 1000), 1u);
  EXPECT_EQ(GroupCommitTarget(1e6, microseconds(0), std::nullopt), 1u);
}

TEST(GroupCommitTarget, ALightLoadIsNotHeldBack) {
  // 100 records a second: under one expected within a millisecond.
  EXPECT_EQ(GroupCommitTarget(100, microseconds(1000), 1000), 1u);
  EXPECT_EQ(GroupCommitTarget(0, microseconds(1000), 1000), 1u);
  EXPECT_EQ(GroupCommitTarget(std::numeric_limits<double>::quiet_NaN(), microseconds(1000), 1000), 1u);
}

TEST(GroupCommitTarget, AFewClientsNeverWaitForEachOther) {
  // Two clients that wait for their answers: the other one's record may
  // never come while this one waits.
  EXPECT_EQ(GroupCommitTarget(40000, microseconds(1000), 1), 1u);
  EXPECT_EQ(GroupCommitTarget(40000, microseconds(1000), 2), 1u);
  EXPECT_EQ(GroupCommitTarget(40000, microseconds(1000), 3), 1u);
  EXPECT_EQ(GroupCommitTarget(40000, microseconds(1000), 0), 1u);
}

TEST(GroupCommitTarget, ManyWaitingClientsShareASyncByHalves) {
  // 64 connections at 40,000 records a second: half of them per batch.
  EXPECT_EQ(GroupCommitTarget(40000, microseconds(1000), 64), 32u);
  EXPECT_EQ(GroupCommitTarget(40000, microseconds(1000), 65), 32u);
}

TEST(GroupCommitTarget, ManyIdleConnectionsWaitOnlyForTheExpectedArrivals) {
  // A thousand keep-alive connections, most of them idle: as many records
  // as arrive within the delay at the recent rate.
  EXPECT_EQ(GroupCommitTarget(20000, microseconds(1000), 1000), 20u);
  EXPECT_EQ(GroupCommitTarget(20000, microseconds(500), 1000), 10u);
}

TEST(GroupCommitTarget, WithoutACountOfClientsItDoesNotWait) {
  // One client sending record after record, each after the last one's
  // answer, makes a high rate too: it must not wait out the delay.
  EXPECT_EQ(GroupCommitTarget(20000, microseconds(1000), std::nullopt), 1u);
}

TEST(GroupCommitTarget, IsBounded) {
  EXPECT_EQ(GroupCommitTarget(1e12, microseconds(100000), 1000000), 4096u);
}

TEST(ArrivalRate, FollowsASteadyLoad) {
  ArrivalRate rate;
  EXPECT_EQ(rate.per_second(), 0);
  for (int i = 0; i < 200; ++i) rate.Observe(40, milliseconds(1));  // 200 ms at 40,000/s
  EXPECT_NEAR(rate.per_second(), 40000, 400);
}

TEST(ArrivalRate, AveragesUnevenBatches) {
  ArrivalRate rate;
  for (int i = 0; i < 200; ++i) {
    rate.Observe(5, microseconds(250));   // 20,000/s
    rate.Observe(55, microseconds(750));  // 73,333/s
  }
  // 60 records a millisecond overall, whatever the batches' own rates.
  EXPECT_NEAR(rate.per_second(), 60000, 3000);
}

TEST(ArrivalRate, ForgetsTheLoadBeforeAPause) {
  ArrivalRate rate;
  for (int i = 0; i < 200; ++i) rate.Observe(40, milliseconds(1));
  rate.Observe(1, seconds(10));  // one lone record after a quiet spell
  EXPECT_LT(rate.per_second(), 1.0);
  EXPECT_EQ(GroupCommitTarget(rate.per_second(), microseconds(1000), 64), 1u);
}

TEST(ArrivalRate, IgnoresAnEmptyInterval) {
  ArrivalRate rate;
  rate.Observe(10, milliseconds(1));
  double before = rate.per_second();
  rate.Observe(10, std::chrono::steady_clock::duration::zero());
  EXPECT_EQ(rate.per_second(), before);
}

}  // namespace
}  // namespace tessera::audit
