// LargeArena (compiler/support/large_buffer.h): the memory of post-render's document list.
// Its blocks are distinct, aligned and writable, a container on it holds what was put in, and
// a request larger than the arena comes from operator new (and is freed).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>

#include "compiler/support/large_buffer.h"

namespace meshc {
namespace {

TEST(LargeArena, BlocksAreDistinctAlignedAndWritable) {
  LargeArena arena;
  std::vector<char*> blocks;
  for (size_t i = 1; i <= 2000; ++i) {
    char* p = static_cast<char*>(arena.allocate(i * 3));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % alignof(std::max_align_t), 0u);
    std::memset(p, static_cast<int>(i & 0xff), i * 3);
    blocks.push_back(p);
  }
  for (size_t i = 1; i <= 2000; ++i) {
    const char* p = blocks[i - 1];
    for (size_t k = 0; k < i * 3; ++k) ASSERT_EQ(p[k], static_cast<char>(i & 0xff)) << i;
  }
  for (char* p : blocks) arena.deallocate(p);
}

TEST(LargeArena, ADequeOnItHoldsWhatWasPutIn) {
  struct Item {
    size_t a, b;
    uint32_t c;
  };
  LargeArena arena;
  std::deque<Item, ArenaAllocator<Item>> items{ArenaAllocator<Item>(&arena)};
  for (size_t i = 0; i < 200000; ++i) items.push_back(Item{i, i * 7, static_cast<uint32_t>(i)});
  ASSERT_EQ(items.size(), 200000u);
  size_t i = 0;
  for (const Item& it : items) {
    ASSERT_EQ(it.a, i);
    ASSERT_EQ(it.b, i * 7);
    ASSERT_EQ(it.c, static_cast<uint32_t>(i));
    ++i;
  }
}

TEST(LargeArena, MoreThanItHoldsComesFromOperatorNew) {
  LargeArena arena;
  size_t big = size_t{300} << 20;  // more than the arena reserves
  char* p = static_cast<char*>(arena.allocate(big));
  ASSERT_NE(p, nullptr);
  p[0] = 'a', p[big - 1] = 'z';
  char* q = static_cast<char*>(arena.allocate(16));  // the arena still serves small ones
  q[0] = 'b';
  EXPECT_EQ(p[0], 'a');
  EXPECT_EQ(p[big - 1], 'z');
  arena.deallocate(p);
  arena.deallocate(q);
}

}  // namespace
}  // namespace meshc
