#include <tally/chain/consensus_inbox.hpp>
#include <tally/core/assert.hpp>

namespace tally::chain {

ConsensusInbox::ConsensusInbox(std::size_t capacity) : capacity_(capacity) {
  TALLY_ASSERT(capacity_ > 0);
}

bool ConsensusInbox::push(InboxItem item) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      ++counters_.refused_closed;
      return false;
    }
    if (items_.size() >= capacity_) {
      ++counters_.refused_full;
      return false;
    }
    items_.push_back(std::move(item));
    ++counters_.accepted;
  }
  changed_.notify_one();
  return true;
}

bool ConsensusInbox::set_pending_txs(std::size_t pending) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      ++counters_.refused_closed;
      return false;
    }
    pending_txs_ = pending;
  }
  changed_.notify_one();
  return true;
}

void ConsensusInbox::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

void ConsensusInbox::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

InboxBatch ConsensusInbox::wait_for(std::chrono::nanoseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return ready(); });
  InboxBatch batch;
  batch.items.swap(items_);
  batch.pending_txs = pending_txs_;
  pending_txs_.reset();
  batch.closed = closed_;
  woken_ = false;
  return batch;
}

InboxCounters ConsensusInbox::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace tally::chain
