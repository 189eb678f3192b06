#pragma once
// Runs a function on a thread with a large stack. The EVM recurses natively, one interpreter frame
// per call depth (up to 1024); unoptimised sanitizer builds need far more stack per frame than a
// main thread's default 8 MB.

#include <cstddef>
#include <functional>

namespace tally::test {

inline constexpr std::size_t kEvmTestStackBytes = std::size_t{1} << 30;  // reserved, not committed

void run_on_large_stack(const std::function<void()>& body,
                        std::size_t stack_bytes = kEvmTestStackBytes);

}  // namespace tally::test
