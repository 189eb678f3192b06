#pragma once
// The simulator's virtual clock: a queue of callbacks ordered by (time, insertion order), so a run
// is a pure function of its seed. Time only moves when the next event is taken.

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace tally::sim {

class EventQueue {
 public:
  std::uint64_t now_ms() const noexcept { return now_ms_; }
  void at(std::uint64_t time_ms, std::function<void()> callback) {
    queue_.push(Entry{time_ms < now_ms_ ? now_ms_ : time_ms, next_seq_++, std::move(callback)});
  }
  void after(std::uint64_t delay_ms, std::function<void()> callback) {
    at(now_ms_ + delay_ms, std::move(callback));
  }
  // Runs the next event; false when none is left or it lies beyond `until_ms`.
  bool step(std::uint64_t until_ms) {
    if (queue_.empty() || queue_.top().time_ms > until_ms)
      return false;
    Entry entry = queue_.top();
    queue_.pop();
    now_ms_ = entry.time_ms;
    entry.callback();
    return true;
  }
  void advance_to(std::uint64_t time_ms) {
    if (time_ms > now_ms_)
      now_ms_ = time_ms;
  }
  explicit EventQueue(std::uint64_t start_ms) : now_ms_(start_ms) {}

 private:
  struct Entry {
    std::uint64_t time_ms;
    std::uint64_t seq;
    std::function<void()> callback;
    bool operator>(const Entry& other) const {
      return time_ms != other.time_ms ? time_ms > other.time_ms : seq > other.seq;
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  std::uint64_t now_ms_ = 0;
  std::uint64_t next_seq_ = 0;
};

}  // namespace tally::sim
