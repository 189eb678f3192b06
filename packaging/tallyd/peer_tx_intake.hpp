#pragma once
// Txs gossiped by peers, admitted into the pool off the network thread: the network's callback
// must not block, and admission recovers senders (CPU work). A bounded queue of batches and one
// worker thread; a full queue drops the batch and counts it (the sender's own node still holds
// the txs and proposes them in its turn). The worker hands everything queued (up to
// kPeerTxAdmitMax txs) to one admission: peers gossip a client's txs one by one, and one pool add
// per tx recovered senders on one thread and took the pool's lock per tx.

#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include <tally/core/bytes.hpp>

#include "work_queue.hpp"

namespace tally::tallyd {

inline constexpr std::size_t kPeerTxQueueBatches = 1024;
inline constexpr std::size_t kPeerTxAdmitMax = 4096;

class PeerTxIntake {
 public:
  using Admit = std::function<void(std::vector<Bytes>&&)>;

  explicit PeerTxIntake(Admit admit, std::size_t capacity = kPeerTxQueueBatches);
  ~PeerTxIntake();  // stop()
  PeerTxIntake(const PeerTxIntake&) = delete;
  PeerTxIntake& operator=(const PeerTxIntake&) = delete;

  // False when full or stopped.
  bool push(std::vector<Bytes> txs);
  // Refuses new batches, drops queued ones, joins the worker. Idempotent.
  void stop();
  std::uint64_t dropped() const;

 private:
  void run();

  Admit admit_;
  WorkQueue<std::vector<Bytes>> queue_;
  std::thread worker_;
};

}  // namespace tally::tallyd
