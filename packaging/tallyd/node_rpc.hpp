#pragma once
// The running node as the JSON-RPC server sees it (rpc_node.hpp): the chain's parameters from
// genesis, tx submission and pending state from the pool, consensus status from the host, peers
// from the network (attached once it runs). Thread-safe: the pool, the host's status and the
// network are; the network pointer is guarded.

#include <mutex>

#include <tally/chain/genesis.hpp>
#include <tally/chain/peer_network.hpp>
#include <tally/chain/rpc_node.hpp>

#include "node.hpp"

namespace tally::tallyd {

class NodeRpc final : public chain::RpcNode {
 public:
  NodeRpc(Node& node, const chain::Genesis& genesis) : node_(node), genesis_(genesis) {}

  void attach(const chain::PeerNetwork* network) {
    std::lock_guard lock(mutex_);
    network_ = network;
  }

  std::uint64_t chain_id() const override { return genesis_.chain_id; }
  SuiteId suite() const override { return genesis_.suite; }
  std::uint64_t block_gas_limit() const override { return genesis_.block_gas_limit; }

  Result<Hash256> submit_raw_tx(BytesView raw) override;
  std::optional<std::uint64_t> pending_nonce(const Address& sender) const override;
  std::optional<chain::Transaction> pending_tx(const Hash256& hash) const override;

  chain::RpcSyncStatus syncing() const override;
  chain::RpcConsensusStatus consensus_status() const override;
  std::vector<Address> validators() const override { return genesis_.validators; }
  std::vector<chain::RpcPeer> peers() const override;
  const chain::SystemContracts* system_contracts() const override { return nullptr; }

 private:
  Node& node_;
  const chain::Genesis& genesis_;
  mutable std::mutex mutex_;
  const chain::PeerNetwork* network_ = nullptr;  // guarded by mutex_
};

}  // namespace tally::tallyd
