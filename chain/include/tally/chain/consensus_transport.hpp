#pragma once
// How the consensus host (consensus_host.hpp) reaches the other validators. tallyd adapts the
// peer network's consensus channel to it; tests connect hosts in one process with queues. The
// host calls it from its own thread while deciding, so an implementation must be thread-safe and
// must not block on the network: queue the bytes and return. Delivery is best effort: QBFT
// tolerates lost messages (round changes recover), so a full queue may drop.

#include <string>

#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

class ConsensusTransport {
 public:
  virtual ~ConsensusTransport() = default;
  // To every other validator.
  virtual void broadcast(BytesView message) = 0;
  // To one validator, named by its chain account.
  virtual void send(const Address& validator, BytesView message) = 0;
};

// The sync channel (sync_message.hpp), for the host's BlockSync. Peers are named by the network's
// node id (hex). Same rules: thread-safe, never blocking, best effort (sync asks again).
class SyncTransport {
 public:
  virtual ~SyncTransport() = default;
  // To every connected peer (Status).
  virtual void broadcast_sync(BytesView message) = 0;
  // To one peer (GetBlocks).
  virtual void send_sync(const std::string& peer, BytesView message) = 0;
};

}  // namespace tally::chain
