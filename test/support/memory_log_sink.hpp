#pragma once
// A LogSink that keeps lines in memory, for tests that assert what was logged.

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <tally/core/log.hpp>

namespace tally::test {

class MemoryLogSink final : public LogSink {
 public:
  void write(std::string_view line) override {
    const std::lock_guard lock(mutex_);
    lines_.emplace_back(line);
  }
  std::vector<std::string> lines() const {
    const std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;  // guarded by mutex_
};

}  // namespace tally::test
