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
