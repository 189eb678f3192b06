#include <signal.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include "signals.hpp"

namespace tally::tallyd {
namespace {

TEST(TallydSignals, SigtermReleasesTheLatchOnce) {
  block_stop_signals();  // this thread; the watcher inherits the mask
  StopLatch latch;
  SignalWatcher watcher(latch);
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  const StopReason reason = latch.wait();
  EXPECT_FALSE(reason.fatal);
  EXPECT_EQ(reason.what, "SIGTERM");
  latch.trigger(StopReason{true, "later"});  // the first reason stays
  EXPECT_EQ(latch.reason()->what, "SIGTERM");
}

TEST(TallydSignals, FatalErrorReleasesTheLatchAndTheWatcherEnds) {
  block_stop_signals();
  StopLatch latch;
  {
    SignalWatcher watcher(latch);
    std::thread failing([&] { latch.trigger(StopReason{true, "disk full"}); });
    const StopReason reason = latch.wait();
    failing.join();
    EXPECT_TRUE(reason.fatal);
    EXPECT_EQ(reason.what, "disk full");
  }  // joins the watcher, which no signal woke
  EXPECT_EQ(latch.reason()->what, "disk full");
}

}  // namespace
}  // namespace tally::tallyd
