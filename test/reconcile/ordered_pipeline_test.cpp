#include "ordered_pipeline.hpp"  // the engine's, from reconcile/src

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace tally::reconcile {
namespace {

// Items made out of order (random delays) are taken in order, on every thread count.
TEST(OrderedPipeline, TakesInOrderWhateverOrderItemsAreMadeIn) {
  for (const std::size_t threads : {0u, 1u, 2u, 5u}) {
    SCOPED_TRACE(threads);
    std::vector<std::size_t> taken;
    const auto made = ordered_pipeline<std::size_t>(
        40, threads,
        [](std::size_t i) {
          std::this_thread::sleep_for(std::chrono::microseconds((i * 7919) % 500));
          return i * i;
        },
        [&](std::size_t value) -> Result<void> {
          taken.push_back(value);
          return {};
        });
    ASSERT_TRUE(made);
    ASSERT_EQ(taken.size(), 40u);
    for (std::size_t i = 0; i < taken.size(); ++i)
      EXPECT_EQ(taken[i], i * i);
  }
}

// A failed take stops the run: its error comes back, later items are not taken and few are made.
TEST(OrderedPipeline, AFailedTakeStopsTheRun) {
  std::atomic<std::size_t> made_count = 0;
  std::size_t taken = 0;
  const auto outcome = ordered_pipeline<std::size_t>(
      1000, 3,
      [&](std::size_t i) {
        ++made_count;
        return i;
      },
      [&](std::size_t i) -> Result<void> {
        ++taken;
        if (i == 4)
          return fail(Errc::io_error, "sink full");
        return {};
      });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message, "sink full");
  EXPECT_EQ(taken, 5u);
  EXPECT_LE(made_count.load(), 5u + 2 * 3);  // at most `threads` ahead, and those being made
}

// Exceptions reach the caller, from make as from take, and no thread is left behind.
TEST(OrderedPipeline, ExceptionsFromMakeOrTakeReachTheCaller) {
  const auto make_throws = [] {
    return ordered_pipeline<int>(
        20, 2,
        [](std::size_t i) {
          if (i == 7)
            throw std::runtime_error("make failed");
          return static_cast<int>(i);
        },
        [](int) -> Result<void> { return {}; });
  };
  EXPECT_THROW(make_throws(), std::runtime_error);
  const auto take_throws = [] {
    return ordered_pipeline<int>(
        20, 2, [](std::size_t i) { return static_cast<int>(i); },
        [](int i) -> Result<void> {
          if (i == 3)
            throw std::runtime_error("take failed");
          return {};
        });
  };
  EXPECT_THROW(take_throws(), std::runtime_error);
}

}  // namespace
}  // namespace tally::reconcile
