#pragma once
// How the consensus host (consensus_host.hpp) reaches the other validators. tallyd adapts the
// peer network's consensus channel to it; tests connect hosts in one process with queues. The
// host calls it from its own thread while deciding, so an implementation must be thread-safe and
// must not block on the network: queue the bytes and return. Delivery is best effort: QBFT
// tolerates lost messages (round changes recover), so a full queue may drop.

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

}  // namespace tally::chain
