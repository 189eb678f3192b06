#pragma once
// The peer network's consensus and sync channels as the consensus host's transports. The node is
// built before the network (the network's callbacks deliver into the node), so the network is
// attached once it runs and detached before it stops; in between and after, sends are dropped,
// which consensus tolerates (round changes recover lost messages).

#include <mutex>

#include <tally/chain/consensus_transport.hpp>
#include <tally/chain/peer_network.hpp>

namespace tally::tallyd {

class PeerConsensusTransport final : public chain::ConsensusTransport, public chain::SyncTransport {
 public:
  void attach(chain::PeerNetwork* network) {
    std::lock_guard lock(mutex_);
    network_ = network;
  }
  void detach() { attach(nullptr); }

  void broadcast(BytesView message) override {
    std::lock_guard lock(mutex_);
    if (network_)
      network_->broadcast(chain::Channel::consensus, message);
  }
  void send(const Address& validator, BytesView message) override {
    std::lock_guard lock(mutex_);
    if (network_)
      network_->send(validator, chain::Channel::consensus, message);
  }
  void broadcast_sync(BytesView message) override {
    std::lock_guard lock(mutex_);
    if (network_)
      network_->broadcast(chain::Channel::sync, message);
  }
  // `peer` is the node id in hex, as the host's BlockSync names peers.
  void send_sync(const std::string& peer, BytesView message) override {
    auto node_id = Hash256::from_hex(peer);
    std::lock_guard lock(mutex_);
    if (network_ && node_id)
      network_->send(*node_id, chain::Channel::sync, message);
  }

 private:
  std::mutex mutex_;
  chain::PeerNetwork* network_ = nullptr;  // guarded by mutex_
};

}  // namespace tally::tallyd
