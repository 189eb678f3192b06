#include <atomic>
#include <future>

#include <gtest/gtest.h>

#include "peer_tx_intake.hpp"

namespace tally::tallyd {
namespace {

using namespace std::chrono_literals;

TEST(PeerTxIntake, AdmitsBatchesInOrderOffTheCallingThread) {
  std::mutex mutex;
  std::vector<Bytes> seen;
  std::thread::id worker;
  std::promise<void> done;
  PeerTxIntake intake([&](std::vector<Bytes>&& txs) {
    std::lock_guard lock(mutex);
    worker = std::this_thread::get_id();
    seen.insert(seen.end(), txs.begin(), txs.end());
    if (seen.size() == 3)
      done.set_value();
  });
  EXPECT_TRUE(intake.push({Bytes{1}, Bytes{2}}));
  EXPECT_TRUE(intake.push({Bytes{3}}));
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  std::lock_guard lock(mutex);
  EXPECT_EQ(seen, (std::vector<Bytes>{Bytes{1}, Bytes{2}, Bytes{3}}));
  EXPECT_NE(worker, std::this_thread::get_id());
}

TEST(PeerTxIntake, BatchesQueuedWhileTheWorkerIsBusyAreAdmittedTogetherInOrder) {
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::mutex mutex;
  std::vector<std::vector<Bytes>> calls;
  std::promise<void> done;
  PeerTxIntake intake([&](std::vector<Bytes>&& txs) {
    std::unique_lock lock(mutex);
    calls.push_back(txs);
    if (calls.size() > 1) {
      done.set_value();
      return;
    }
    started.set_value();
    lock.unlock();
    released.wait();  // the worker holds the first batch; the others queue behind it
  });
  EXPECT_TRUE(intake.push({Bytes{1}}));
  ASSERT_EQ(started.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(intake.push({Bytes{2}}));
  EXPECT_TRUE(intake.push({Bytes{3}, Bytes{4}}));
  EXPECT_TRUE(intake.push({Bytes{5}}));
  release.set_value();
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  std::lock_guard lock(mutex);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1], (std::vector<Bytes>{Bytes{2}, Bytes{3}, Bytes{4}, Bytes{5}}));
}

TEST(PeerTxIntake, AdmitsAtMostTheBoundAtOnce) {
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::mutex mutex;
  std::vector<std::size_t> sizes;
  std::size_t total = 0;
  std::promise<void> done;
  constexpr std::size_t kPerBatch = 8;
  const std::size_t batches = kPeerTxAdmitMax / kPerBatch + 1;  // just over the bound
  static_assert(kPeerTxAdmitMax / kPerBatch + 1 <= kPeerTxQueueBatches);
  PeerTxIntake intake([&](std::vector<Bytes>&& txs) {
    std::unique_lock lock(mutex);
    sizes.push_back(txs.size());
    total += txs.size();
    if (sizes.size() == 1) {
      started.set_value();
      lock.unlock();
      released.wait();
      return;
    }
    if (total == 1 + kPerBatch * batches)
      done.set_value();
  });
  EXPECT_TRUE(intake.push({Bytes{0}}));
  ASSERT_EQ(started.get_future().wait_for(10s), std::future_status::ready);
  for (std::size_t i = 0; i < batches; ++i)
    ASSERT_TRUE(intake.push(std::vector<Bytes>(kPerBatch, Bytes{1})));
  release.set_value();
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  std::lock_guard lock(mutex);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1, kPeerTxAdmitMax, kPerBatch}));
}

TEST(PeerTxIntake, DropsBeyondItsCapacityAndAfterStop) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> admitted{0};
  PeerTxIntake intake(
      [&](std::vector<Bytes>&&) {
        released.wait();  // the worker holds the first batch; the queue fills behind it
        ++admitted;
      },
      2);
  EXPECT_TRUE(intake.push({Bytes{1}}));
  // The worker may or may not have taken the first batch yet: at most 3 fit, at least 2.
  int accepted = 1;
  for (int i = 0; i < 5; ++i)
    accepted += intake.push({Bytes{2}}) ? 1 : 0;
  EXPECT_GE(accepted, 2);
  EXPECT_LE(accepted, 3);
  EXPECT_EQ(intake.dropped(), static_cast<std::uint64_t>(6 - accepted));
  release.set_value();
  intake.stop();
  EXPECT_FALSE(intake.push({Bytes{3}}));
  EXPECT_LE(admitted.load(), accepted);
}

}  // namespace
}  // namespace tally::tallyd
