#pragma once
// The node's core, as tallyd assembles it: the ledger (initialised from genesis), the tx pool
// checking against the ledger's head, the EVM block executor building from the pool, and the
// consensus host driving them on its thread. The network is outside: consensus messages leave
// through the ConsensusTransport given, and enter through on_consensus_message; txs enter through
// submit_txs (from RPC clients or peers). tallyd adapts the peer network to both; tests connect
// nodes in one process.
//
// Threads: submit_txs and the on_* entry points may be called from any thread; the ledger writer,
// the executor and the engine belong to the host thread. stop() stops the host (joining its
// thread) and then the rest closes with the object.

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include <tally/chain/block_executor.hpp>
#include <tally/chain/consensus_host.hpp>
#include <tally/chain/file_consensus_store.hpp>
#include <tally/chain/genesis.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/tx_pool.hpp>
#include <tally/core/clock.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/log.hpp>

#include "ledger_state_view.hpp"
#include "pool_tx_source.hpp"

namespace tally::tallyd {

inline constexpr std::string_view kLedgerFileName = "ledger.db";
inline constexpr std::string_view kConsensusFileName = "consensus.snapshot";

struct NodeSettings {
  std::filesystem::path data_dir;  // holds the ledger and the consensus snapshot
  chain::Genesis genesis;
  sqlite::Durability durability = sqlite::Durability::full;
  std::size_t recovery_threads = 0;  // the pool's sender recovery; 0: every core
};

struct NodeCallbacks {
  // On the host thread after each commit (RPC notifications, sync); keep it short.
  std::function<void(const chain::Block&)> on_committed;
  // Txs the pool accepted from a client, to gossip to peers (any thread).
  std::function<void(std::span<const Bytes>)> on_accepted_from_client;
  // The host could not write a final block (host thread).
  std::function<void(const Error&)> on_fatal;
};

// The engine's parameters from genesis. The engine counts the block period in whole seconds (block
// timestamps are seconds): a period in milliseconds is rounded down, so one below a second means
// blocks as fast as the validators agree.
chain::EngineConfig engine_config(const chain::Genesis& genesis);

class Node {
 public:
  // Opens (or creates) the ledger in settings.data_dir and checks it holds this genesis, opens
  // the consensus snapshot, and builds the parts; start() starts the host thread. `key_pair` is the
  // node's chain key (its address decides validator or observer); it, the transport, the clock
  // and the logger's sink outlive the node.
  static Result<std::unique_ptr<Node>> open(NodeSettings settings,
                                            const KeyPair& key_pair,
                                            chain::ConsensusTransport& transport,
                                            chain::SyncTransport* sync_transport,
                                            const Clock& clock,
                                            Logger logger,
                                            NodeCallbacks callbacks);
  ~Node();

  void start();
  void stop();

  // One result per raw tx, as TxPool::add. Accepted txs wake the host; those from clients are
  // handed to on_accepted_from_client for gossip (peers' txs are not gossiped again: every node
  // sends its clients' txs to every peer).
  std::vector<Result<Hash256>> submit_txs(std::span<const Bytes> raw_txs, bool from_client);
  bool on_consensus_message(const Address& sender, Bytes message);
  bool on_synced_block(chain::Block block);
  bool on_sync_message(std::string peer, Bytes message);
  void on_peer_gone(std::string peer);
  void on_peer_joined(std::string peer);

  const chain::ConsensusHost& host() const { return *host_; }
  chain::TxPool& pool() { return *pool_; }
  const LedgerStateView& head_state() const { return *view_; }
  const CryptoSuite& suite() const noexcept { return suite_; }
  const std::filesystem::path& ledger_path() const noexcept { return ledger_path_; }

 private:
  Node(NodeSettings settings, const CryptoSuite& suite, Logger logger, NodeCallbacks callbacks);

  NodeSettings settings_;
  CryptoSuite suite_;
  Logger logger_;
  NodeCallbacks callbacks_;
  std::filesystem::path ledger_path_;
  // Declaration order is construction order; destruction runs backwards: host first.
  std::optional<chain::Ledger> ledger_;  // the writer: the host thread's once started
  std::unique_ptr<LedgerStateView> view_;
  std::unique_ptr<chain::TxPool> pool_;
  std::unique_ptr<PoolTxSource> source_;
  std::unique_ptr<chain::BlockExecutor> executor_;
  std::unique_ptr<chain::FileConsensusStore> store_;
  std::unique_ptr<chain::ConsensusHost> host_;
};

}  // namespace tally::tallyd
