// VerifiedTokenCache: lifetimes (exp, max_age), the capacity bound and LRU
// eviction, and the disabled cache.
//
// The cache has 16 shards chosen by the first byte of SHA-256(token) mod 16,
// each holding ceil(capacity / 16) entries; the bound tests rely on that.
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "identity/verified_token_cache.h"

namespace tessera::identity {
namespace {

constexpr int64_t kNow = 1'700'000'000;
constexpr std::size_t kShards = 16;

std::shared_ptr<const VerifiedToken> Token(bool has_exp, int64_t exp, std::string sub = "alice") {
  auto t = std::make_shared<VerifiedToken>();
  t->has_exp = has_exp;
  t->exp = exp;
  t->subject = std::move(sub);
  return t;
}

std::size_t ShardOf(const std::string& token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), digest, &len, EVP_sha256(), nullptr);
  return digest[0] % kShards;
}

// `count` distinct token strings that fall in the same shard.
std::vector<std::string> SameShardTokens(std::size_t count) {
  std::map<std::size_t, std::vector<std::string>> by_shard;
  for (int i = 0;; ++i) {
    std::string t = "token-" + std::to_string(i);
    auto& v = by_shard[ShardOf(t)];
    v.push_back(t);
    if (v.size() == count) return v;
  }
}

TEST(VerifiedTokenCacheTest, PutThenGetReturnsTheSameObject) {
  VerifiedTokenCache cache(100, std::chrono::seconds(300));
  auto t = Token(true, kNow + 100);
  cache.Put("tok", t, kNow);
  EXPECT_EQ(cache.Get("tok", kNow).get(), t.get());
  EXPECT_EQ(cache.Get("tok", kNow + 50).get(), t.get());
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Get("other", kNow), nullptr);
  EXPECT_EQ(cache.Get("to", kNow), nullptr);
  EXPECT_EQ(cache.Get("tok ", kNow), nullptr);
}

TEST(VerifiedTokenCacheTest, GetAtOrAfterExpReturnsNull) {
  VerifiedTokenCache cache(100, std::chrono::seconds(300));
  auto t = Token(true, kNow + 100);
  cache.Put("tok", t, kNow);
  EXPECT_NE(cache.Get("tok", kNow + 99), nullptr);
  EXPECT_EQ(cache.Get("tok", kNow + 100), nullptr);
  EXPECT_EQ(cache.size(), 0u) << "an expired entry is dropped when found";
  cache.Put("tok", t, kNow);
  EXPECT_EQ(cache.Get("tok", kNow + 101), nullptr);
  EXPECT_EQ(cache.Get("tok", kNow + 99), nullptr) << "and stays gone";
}

TEST(VerifiedTokenCacheTest, PutAtOrAfterExpStoresNothing) {
  VerifiedTokenCache cache(100, std::chrono::seconds(300));
  cache.Put("a", Token(true, kNow), kNow);
  cache.Put("b", Token(true, kNow - 10), kNow);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Get("a", kNow - 5), nullptr);
}

TEST(VerifiedTokenCacheTest, TokenWithoutExpKeptAtMostMaxAge) {
  VerifiedTokenCache cache(100, std::chrono::seconds(300));
  cache.Put("tok", Token(false, 0), kNow);
  EXPECT_NE(cache.Get("tok", kNow + 299), nullptr);
  EXPECT_EQ(cache.Get("tok", kNow + 300), nullptr);
}

TEST(VerifiedTokenCacheTest, FarExpStillBoundedByMaxAge) {
  VerifiedTokenCache cache(100, std::chrono::seconds(300));
  cache.Put("tok", Token(true, kNow + 86400), kNow);
  EXPECT_NE(cache.Get("tok", kNow + 299), nullptr);
  EXPECT_EQ(cache.Get("tok", kNow + 300), nullptr);
  // A clamped, effectively infinite exp (as the verifier stores for exp=1e300).
  cache.Put("far", Token(true, std::numeric_limits<int64_t>::max() / 2), kNow);
  EXPECT_NE(cache.Get("far", kNow + 299), nullptr);
  EXPECT_EQ(cache.Get("far", kNow + 300), nullptr);
}

TEST(VerifiedTokenCacheTest, PutReplacesAndRefreshesEntry) {
  VerifiedTokenCache cache(100, std::chrono::seconds(300));
  auto first = Token(true, kNow + 10, "first");
  auto second = Token(true, kNow + 200, "second");
  cache.Put("tok", first, kNow);
  cache.Put("tok", second, kNow);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Get("tok", kNow + 100).get(), second.get());
}

TEST(VerifiedTokenCacheTest, CapacityZeroDisables) {
  VerifiedTokenCache cache(0, std::chrono::seconds(300));
  cache.Put("tok", Token(true, kNow + 100), kNow);
  EXPECT_EQ(cache.Get("tok", kNow), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(VerifiedTokenCacheTest, NullValueIsNotStored) {
  VerifiedTokenCache cache(10, std::chrono::seconds(300));
  cache.Put("tok", nullptr, kNow);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(VerifiedTokenCacheTest, SizeNeverExceedsCapacityRoundedUpPerShard) {
  for (std::size_t capacity : {std::size_t{1}, std::size_t{16}, std::size_t{20}, std::size_t{100}}) {
    const std::size_t per_shard = (capacity + kShards - 1) / kShards;
    const std::size_t bound = per_shard * kShards;
    VerifiedTokenCache cache(capacity, std::chrono::seconds(300));
    std::map<std::size_t, std::size_t> per_shard_seen;
    for (int i = 0; i < 2000; ++i) {
      std::string t = "t" + std::to_string(i);
      ++per_shard_seen[ShardOf(t)];
      cache.Put(t, Token(true, kNow + 100), kNow);
      ASSERT_LE(cache.size(), bound) << "capacity " << capacity << " after " << i + 1 << " puts";
    }
    // Every shard received more than it can hold, so every shard is full.
    std::size_t expected = 0;
    for (const auto& [shard, n] : per_shard_seen) expected += std::min(n, per_shard);
    EXPECT_EQ(cache.size(), expected) << "capacity " << capacity;
    EXPECT_EQ(cache.size(), bound) << "capacity " << capacity;
  }
}

TEST(VerifiedTokenCacheTest, LeastRecentlyUsedIsEvictedFirst) {
  // Capacity 32: two entries per shard.
  VerifiedTokenCache cache(32, std::chrono::seconds(300));
  std::vector<std::string> t = SameShardTokens(4);
  cache.Put(t[0], Token(true, kNow + 100), kNow);
  cache.Put(t[1], Token(true, kNow + 100), kNow);
  ASSERT_NE(cache.Get(t[0], kNow), nullptr);  // t[0] is now the most recent
  cache.Put(t[2], Token(true, kNow + 100), kNow);  // evicts t[1]
  EXPECT_NE(cache.Get(t[0], kNow), nullptr);
  EXPECT_EQ(cache.Get(t[1], kNow), nullptr);
  EXPECT_NE(cache.Get(t[2], kNow), nullptr);
  // Now t[0] was used before t[2]: t[3] evicts t[0].
  cache.Put(t[3], Token(true, kNow + 100), kNow);
  EXPECT_EQ(cache.Get(t[0], kNow), nullptr);
  EXPECT_NE(cache.Get(t[2], kNow), nullptr);
  EXPECT_NE(cache.Get(t[3], kNow), nullptr);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(VerifiedTokenCacheTest, EvictionInOneShardLeavesOthersAlone) {
  VerifiedTokenCache cache(16, std::chrono::seconds(300));  // one entry per shard
  std::set<std::size_t> used;
  std::vector<std::string> one_per_shard;
  for (int i = 0; one_per_shard.size() < kShards; ++i) {
    std::string t = "x" + std::to_string(i);
    if (used.insert(ShardOf(t)).second) one_per_shard.push_back(t);
  }
  for (const std::string& t : one_per_shard) cache.Put(t, Token(true, kNow + 100), kNow);
  EXPECT_EQ(cache.size(), kShards);
  for (const std::string& t : one_per_shard) EXPECT_NE(cache.Get(t, kNow), nullptr) << t;
}

}  // namespace
}  // namespace tessera::identity
