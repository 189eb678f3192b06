#include <thread>

#include <gtest/gtest.h>

#include <tally/chain/consensus_inbox.hpp>

namespace tally::chain {
namespace {

using namespace std::chrono_literals;

TEST(ConsensusInbox, RefusesBeyondItsCapacityAndCounts) {
  ConsensusInbox inbox(3);
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(inbox.push(InboundMessage{Address{}, Bytes{static_cast<Byte>(i)}}));
  EXPECT_FALSE(inbox.push(InboundMessage{Address{}, Bytes{9}}));
  EXPECT_EQ(inbox.counters().accepted, 3u);
  EXPECT_EQ(inbox.counters().refused_full, 1u);

  InboxBatch batch = inbox.wait_for(0ms);
  ASSERT_EQ(batch.items.size(), 3u);
  EXPECT_EQ(std::get<InboundMessage>(batch.items.front()).message, Bytes{0});  // oldest first
  EXPECT_TRUE(inbox.push(InboundMessage{Address{}, Bytes{9}}));                // room again
}

TEST(ConsensusInbox, KeepsOnlyTheLatestPoolSizeEvenWhenFull) {
  ConsensusInbox inbox(1);
  EXPECT_TRUE(inbox.push(SyncedBlock{}));
  EXPECT_TRUE(inbox.set_pending_txs(5));
  EXPECT_TRUE(inbox.set_pending_txs(2));
  InboxBatch batch = inbox.wait_for(0ms);
  EXPECT_EQ(batch.items.size(), 1u);
  EXPECT_EQ(batch.pending_txs, std::optional<std::size_t>(2));
  EXPECT_FALSE(inbox.wait_for(0ms).pending_txs.has_value());  // taken once
}

TEST(ConsensusInbox, CloseRefusesEverythingAndWakesTheConsumer) {
  ConsensusInbox inbox;
  std::thread closer([&] {
    std::this_thread::sleep_for(20ms);
    inbox.close();
  });
  const auto started = std::chrono::steady_clock::now();
  InboxBatch batch = inbox.wait_for(60s);
  closer.join();
  EXPECT_TRUE(batch.closed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
  EXPECT_FALSE(inbox.push(SyncedBlock{}));
  EXPECT_FALSE(inbox.set_pending_txs(1));
  EXPECT_EQ(inbox.counters().refused_closed, 2u);
}

TEST(ConsensusInbox, WaitEndsAtItsTimeoutWhenNothingComes) {
  ConsensusInbox inbox;
  InboxBatch batch = inbox.wait_for(10ms);
  EXPECT_TRUE(batch.items.empty());
  EXPECT_FALSE(batch.closed);
}

}  // namespace
}  // namespace tally::chain
