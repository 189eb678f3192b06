#include "peer_tx_intake.hpp"

#include <iterator>

namespace tally::tallyd {

PeerTxIntake::PeerTxIntake(Admit admit, std::size_t capacity)
    : admit_(std::move(admit)), queue_(capacity) {
  worker_ = std::thread([this] { run(); });
}

PeerTxIntake::~PeerTxIntake() {
  stop();
}

bool PeerTxIntake::push(std::vector<Bytes> txs) {
  return queue_.push(std::move(txs));
}

void PeerTxIntake::stop() {
  queue_.close();
  if (worker_.joinable())
    worker_.join();
}

std::uint64_t PeerTxIntake::dropped() const {
  return queue_.dropped();
}

void PeerTxIntake::run() {
  for (;;) {
    // At least one batch, whatever its size (the frame limit bounds it), then more while the txs
    // stay within kPeerTxAdmitMax.
    auto batches = queue_.take([total = std::size_t{0}](const std::vector<Bytes>& next) mutable {
      total += next.size();
      return total <= kPeerTxAdmitMax;
    });
    if (!batches)
      return;
    std::vector<Bytes> txs;
    for (std::vector<Bytes>& batch : *batches)
      txs.insert(txs.end(), std::make_move_iterator(batch.begin()),
                 std::make_move_iterator(batch.end()));
    admit_(std::move(txs));
  }
}

}  // namespace tally::tallyd
