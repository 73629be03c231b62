#include <gtest/gtest.h>

#include "compiler/ir/routemap.h"

using meshc::normalise_weights;

TEST(NormaliseWeights, SplitsRelativeWeightsToHundred) {
  EXPECT_EQ(normalise_weights({30, 70}, 100), (std::vector<int>{30, 70}));
  EXPECT_EQ(normalise_weights({3, 7}, 100), (std::vector<int>{30, 70}));
  EXPECT_EQ(normalise_weights({0, 100}, 100), (std::vector<int>{0, 100}));
}

TEST(NormaliseWeights, LargestRemainderWithTiesToTheEarlierVersion) {
  // 1/3 each: 33.33 -> 33, 33, 33 and one point left; equal remainders: the first gets it.
  EXPECT_EQ(normalise_weights({1, 1, 1}, 100), (std::vector<int>{34, 33, 33}));
  // 2/3 = 66.67 has the larger remainder than 1/3 = 33.33.
  EXPECT_EQ(normalise_weights({1, 2}, 100), (std::vector<int>{33, 67}));
  EXPECT_EQ(normalise_weights({1, 1, 1, 1, 1, 1}, 100), (std::vector<int>{17, 17, 17, 17, 16, 16}));
}

TEST(NormaliseWeights, AllZeroStaysZero) {
  EXPECT_EQ(normalise_weights({0, 0}, 100), (std::vector<int>{0, 0}));
  EXPECT_EQ(normalise_weights({}, 100), (std::vector<int>{}));
}

TEST(NormaliseWeights, SumsToTheTotalForManyShapes) {
  for (uint64_t a = 0; a < 20; ++a) {
    for (uint64_t b = 0; b < 20; ++b) {
      for (uint64_t c = 1; c < 20; ++c) {
        auto w = normalise_weights({a, b, c}, 100);
        EXPECT_EQ(w[0] + w[1] + w[2], 100) << a << " " << b << " " << c;
      }
    }
  }
}
