#pragma once
// A tiny deterministic PRNG (SplitMix64) for the demo data. The standard
// <random> distributions are implementation-defined, so the same seed could
// give different data with another standard library; everything here is
// integer arithmetic with a fixed definition.
#include <cstddef>
#include <cstdint>
#include <span>

namespace tessera::demo {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n) for n > 0 (multiply-shift: no modulo bias worth noting
  // at these sizes, and no floating point).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }

  // Uniform in [lo, hi], inclusive.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // True with probability percent / 100.
  bool Percent(uint64_t percent) { return Below(100) < percent; }

  // An index into `weights`, each chosen with probability weight / sum.
  size_t Weighted(std::span<const uint32_t> weights) {
    uint64_t total = 0;
    for (uint32_t w : weights) total += w;
    uint64_t r = Below(total);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  uint64_t state_;
};

// Independent streams per table, so that changing the number of orders does
// not change the users or products generated from the same seed.
inline SplitMix64 StreamFor(uint64_t seed, uint64_t table_tag) {
  SplitMix64 mixer(seed ^ (table_tag * 0xD1B54A32D192ED03ULL));
  return SplitMix64(mixer.Next());
}

}  // namespace tessera::demo
