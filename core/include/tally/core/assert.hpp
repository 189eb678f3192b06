#pragma once
// Assertions for programmer errors. They stay on in release builds: a broken invariant in a ledger
// must stop the process, not corrupt state quietly.

namespace tally::detail {
[[noreturn]] void assertion_failed(const char* expr, const char* file, int line, const char* func);
}  // namespace tally::detail

#define TALLY_ASSERT(expr)       \
  ((expr) ? static_cast<void>(0) \
          : ::tally::detail::assertion_failed(#expr, __FILE__, __LINE__, __func__))
