#include "peer_tx_intake.hpp"

#include <iterator>

namespace tally::tallyd {

PeerTxIntake::PeerTxIntake(Admit admit, std::size_t capacity)
    : admit_(std::move(admit)), capacity_(capacity) {
  worker_ = std::thread([this] { run(); });
}

PeerTxIntake::~PeerTxIntake() {
  stop();
}

bool PeerTxIntake::push(std::vector<Bytes> txs) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= capacity_) {
      ++dropped_;
      return false;
    }
    queue_.push_back(std::move(txs));
  }
  changed_.notify_one();
  return true;
}

void PeerTxIntake::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (worker_.joinable())
    worker_.join();
}

std::uint64_t PeerTxIntake::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void PeerTxIntake::run() {
  for (;;) {
    std::vector<Bytes> txs;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_)
        return;
      // At least one batch, whatever its size (the frame limit bounds it).
      do {
        std::vector<Bytes>& batch = queue_.front();
        txs.insert(txs.end(), std::make_move_iterator(batch.begin()),
                   std::make_move_iterator(batch.end()));
        queue_.pop_front();
      } while (!queue_.empty() && txs.size() + queue_.front().size() <= kPeerTxAdmitMax);
    }
    admit_(std::move(txs));
  }
}

}  // namespace tally::tallyd
