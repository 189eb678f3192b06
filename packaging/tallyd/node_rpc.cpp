#include "node_rpc.hpp"

namespace tally::tallyd {

Result<Hash256> NodeRpc::submit_raw_tx(BytesView raw) {
  const std::vector<Bytes> txs{Bytes(raw.begin(), raw.end())};
  return std::move(node_.submit_txs(txs, true).front());
}

std::optional<std::uint64_t> NodeRpc::pending_nonce(const Address& sender) const {
  const std::uint64_t state_nonce = node_.head_state().nonce(sender);
  const std::uint64_t pending = node_.pool().pending_nonce(sender, state_nonce);
  if (pending == state_nonce)
    return std::nullopt;
  return pending;
}

std::optional<chain::Transaction> NodeRpc::pending_tx(const Hash256& hash) const {
  const chain::PooledTx tx = node_.pool().find(hash);
  if (!tx)
    return std::nullopt;
  return tx->tx();
}

chain::RpcSyncStatus NodeRpc::syncing() const {
  // Block sync is not wired into tallyd yet (packaging/README.md): the node reports what it has.
  const std::uint64_t head = node_.head_state().head_block_number();
  return chain::RpcSyncStatus{false, head, head, head};
}

chain::RpcConsensusStatus NodeRpc::consensus_status() const {
  const chain::ConsensusStatus status = node_.host().status();
  return chain::RpcConsensusStatus{status.block_number, status.round, status.proposer,
                                   status.role == chain::NodeRole::validator};
}

std::vector<chain::RpcPeer> NodeRpc::peers() const {
  std::lock_guard lock(mutex_);
  std::vector<chain::RpcPeer> out;
  if (!network_)
    return out;
  for (const chain::PeerStatus& peer : network_->peers())
    out.push_back(
        chain::RpcPeer{to_hex(peer.node_id.view()), peer.account, peer.remote_endpoint, true});
  return out;
}

}  // namespace tally::tallyd
