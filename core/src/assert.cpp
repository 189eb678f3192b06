#include <cstdio>
#include <cstdlib>

#include <tally/core/assert.hpp>

namespace tally::detail {

void assertion_failed(const char* expr, const char* file, int line, const char* func) {
  std::fprintf(stderr, "tally: assertion failed: %s at %s:%d in %s\n", expr, file, line, func);
  std::fflush(stderr);
  std::abort();
}

}  // namespace tally::detail
