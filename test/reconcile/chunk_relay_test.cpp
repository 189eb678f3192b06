// ChunkRelay (reconcile/src/chunk_relay.hpp): chunks arrive whole and in order, a full relay
// holds its producer back, and a cancel frees a producer waiting on a full relay.

#include "chunk_relay.hpp"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace tally::reconcile {
namespace {

TEST(ChunkRelay, ChunksArriveInOrderAndPopEndsOnceClosedAndDrained) {
  ChunkRelay<int> relay(2);
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i)
      ASSERT_TRUE(relay.push({i, i + 1}));
    relay.close();
  });
  int expected = 0;
  while (auto chunk = relay.pop()) {
    ASSERT_EQ(*chunk, (std::vector<int>{expected, expected + 1}));
    ++expected;
  }
  producer.join();
  EXPECT_EQ(expected, 100);
}

TEST(ChunkRelay, AFullRelayHoldsItsProducerUntilACancelRefusesThePush) {
  ChunkRelay<int> relay(1);
  ASSERT_TRUE(relay.push({1}));
  std::atomic<int> pushed{-1};
  std::thread producer([&] { pushed = relay.push({2}) ? 1 : 0; });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(pushed.load(), -1);  // still waiting for room
  relay.cancel();
  producer.join();
  EXPECT_EQ(pushed.load(), 0);
  EXPECT_FALSE(relay.pop());  // a cancelled relay drops what waited
  EXPECT_FALSE(relay.push({3}));
}

}  // namespace
}  // namespace tally::reconcile
