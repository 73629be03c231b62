// SmallBlocks (compiler/support/small_blocks.h), the allocator behind the meshc executable's
// operator new: blocks are aligned, disjoint and as large as asked, a freed block serves the
// next request of its size class and no other, and what it cannot serve (too large, region
// used up) is refused with nullptr, never a block outside the region.
#include "compiler/support/small_blocks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <utility>
#include <vector>

namespace meshc {
namespace {

struct Region {
  explicit Region(size_t bytes)
      : storage(new std::max_align_t[bytes / sizeof(std::max_align_t)]), size(bytes) {}
  char* base() { return reinterpret_cast<char*>(storage.get()); }
  std::unique_ptr<std::max_align_t[]> storage;
  size_t size;
};

TEST(SmallBlocks, BlocksAreAlignedDisjointInTheRegionAndHoldWhatWasAsked) {
  Region r(1 << 20);
  SmallBlocks blocks(r.base(), r.size);
  std::vector<std::pair<char*, size_t>> got;
  for (size_t n = 0; n <= SmallBlocks::kMaxRequest; ++n) {
    char* p = static_cast<char*>(blocks.allocate(n));
    ASSERT_NE(p, nullptr) << n;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % SmallBlocks::kAlign, 0u) << n;
    EXPECT_TRUE(blocks.owns(p));
    EXPECT_GE(SmallBlocks::usable_size(p), n);
    EXPECT_LT(SmallBlocks::usable_size(p), n + SmallBlocks::kAlign);
    std::memset(p, static_cast<int>(n & 0xff), n);
    got.emplace_back(p, n);
  }
  // Every block still holds its own bytes: none overlaps another or a header.
  for (const auto& [p, n] : got) {
    for (size_t k = 0; k < n; ++k) ASSERT_EQ(p[k], static_cast<char>(n & 0xff)) << n;
  }
  std::sort(got.begin(), got.end());
  for (size_t i = 1; i < got.size(); ++i) {
    ASSERT_LE(got[i - 1].first + got[i - 1].second, got[i].first);
  }
  EXPECT_GE(got.front().first, r.base());
  EXPECT_LE(got.back().first + got.back().second, r.base() + r.size);
}

TEST(SmallBlocks, AFreedBlockServesTheNextRequestOfItsClassOnly) {
  Region r(1 << 16);
  SmallBlocks blocks(r.base(), r.size);
  void* a = blocks.allocate(40);  // class of 48-byte blocks: requests of 25..40 bytes
  void* b = blocks.allocate(100);
  const size_t used = blocks.used();
  blocks.deallocate(a);
  void* other_class = blocks.allocate(60);
  EXPECT_NE(other_class, a);
  EXPECT_GT(blocks.used(), used);  // came from fresh space
  void* same_class = blocks.allocate(25);
  EXPECT_EQ(same_class, a);
  blocks.deallocate(b);
  blocks.deallocate(same_class);
  // Last in, first out within a class.
  EXPECT_EQ(blocks.allocate(33), same_class);
  EXPECT_EQ(blocks.allocate(100), b);
}

TEST(SmallBlocks, RefusesWhatItCannotServe) {
  Region r(4096);
  SmallBlocks blocks(r.base(), r.size);
  EXPECT_EQ(blocks.allocate(SmallBlocks::kMaxRequest + 1), nullptr);
  EXPECT_EQ(blocks.allocate(size_t{1} << 40), nullptr);
  EXPECT_EQ(blocks.allocate(SIZE_MAX), nullptr);
  // The region holds 4096 - 8 bytes of blocks: three of 1,024 and the rest in 16s.
  std::vector<void*> got;
  for (int i = 0; i < 3; ++i) got.push_back(blocks.allocate(SmallBlocks::kMaxRequest));
  for (void* p : got) ASSERT_NE(p, nullptr);
  EXPECT_EQ(blocks.allocate(SmallBlocks::kMaxRequest), nullptr);  // 1,016 bytes of room left
  size_t sixteens = 0;
  while (void* p = blocks.allocate(8)) {
    ASSERT_TRUE(blocks.owns(p));
    ASSERT_LE(static_cast<char*>(p) + 8, r.base() + r.size);
    ++sixteens;
  }
  EXPECT_EQ(sixteens, (4096 - 8 - 3 * 1024) / 16);
  // A full region still serves a class whose blocks were freed.
  blocks.deallocate(got[1]);
  EXPECT_EQ(blocks.allocate(1001), got[1]);  // 1,001..1,016 bytes: the 1,024-byte class
  EXPECT_EQ(blocks.allocate(1001), nullptr);
  EXPECT_EQ(blocks.allocate(1000), nullptr);  // the 1,008-byte class has no block
}

TEST(SmallBlocks, OwnsOnlyItsRegion) {
  Region r(1 << 12);
  SmallBlocks blocks(r.base(), r.size);
  int outside = 0;
  EXPECT_FALSE(blocks.owns(&outside));
  EXPECT_FALSE(blocks.owns(nullptr));
  EXPECT_FALSE(blocks.owns(r.base() + r.size));
  EXPECT_TRUE(blocks.owns(r.base()));
  EXPECT_TRUE(blocks.owns(r.base() + r.size - 1));
}

// A random mix of requests and frees, as a compile makes them, checked against a model: every
// live block keeps its bytes, and the region is never handed out twice at once.
TEST(SmallBlocks, RandomWorkloadKeepsEveryLiveBlockIntact) {
  Region r(1 << 22);
  SmallBlocks blocks(r.base(), r.size);
  std::mt19937 rng(7);
  struct Live {
    unsigned char* p;
    size_t n;
    unsigned char fill;
  };
  std::vector<Live> live;
  for (int step = 0; step < 200000; ++step) {
    if (!live.empty() && rng() % 2 == 0) {
      const size_t i = rng() % live.size();
      const Live l = live[i];
      for (size_t k = 0; k < l.n; ++k) ASSERT_EQ(l.p[k], l.fill) << step;
      blocks.deallocate(l.p);
      live[i] = live.back();
      live.pop_back();
      continue;
    }
    const size_t n = rng() % 4 == 0 ? rng() % (SmallBlocks::kMaxRequest + 1) : rng() % 96;
    auto* p = static_cast<unsigned char*>(blocks.allocate(n));
    ASSERT_NE(p, nullptr);
    const auto fill = static_cast<unsigned char>(step);
    std::memset(p, fill, n);
    live.push_back({p, n, fill});
  }
  for (const Live& l : live) {
    for (size_t k = 0; k < l.n; ++k) ASSERT_EQ(l.p[k], l.fill);
  }
  // About 17 MB were asked for over the run; reuse kept it within the 4 MiB region.
  EXPECT_LT(blocks.used(), size_t{4} << 20);
}

}  // namespace
}  // namespace meshc
