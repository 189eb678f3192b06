#include "node.hpp"

#include <set>

#include <tally/core/str_cat.hpp>

namespace tally::tallyd {

chain::EngineConfig engine_config(const chain::Genesis& genesis) {
  const chain::ConsensusTiming& timing = genesis.consensus;
  auto validators = chain::ValidatorSet::create(genesis.validators);
  TALLY_ASSERT(validators.has_value());  // check_genesis held
  return chain::EngineConfig{CryptoSuite(genesis.suite),    std::move(*validators),
                             timing.block_period_ms / 1000, timing.round_timeout_ms,
                             timing.round_timeout_max_ms,   nullptr};
}

Node::Node(NodeSettings settings, const CryptoSuite& suite, Logger logger, NodeCallbacks callbacks)
    : settings_(std::move(settings)),
      suite_(suite),
      logger_(std::move(logger)),
      callbacks_(std::move(callbacks)),
      ledger_path_(settings_.data_dir / kLedgerFileName) {}

Node::~Node() {
  stop();
}

Result<std::unique_ptr<Node>> Node::open(NodeSettings settings,
                                         const KeyPair& key_pair,
                                         chain::ConsensusTransport& transport,
                                         chain::SyncTransport* sync_transport,
                                         const Clock& clock,
                                         Logger logger,
                                         NodeCallbacks callbacks) {
  const CryptoSuite suite(settings.genesis.suite);
  std::unique_ptr<Node> node(
      new Node(std::move(settings), suite, std::move(logger), std::move(callbacks)));
  const NodeSettings& s = node->settings_;
  std::error_code error;
  std::filesystem::create_directories(s.data_dir, error);
  if (error)
    return fail(Errc::io_error, str_cat(s.data_dir.string(), ": ", error.message()));

  chain::Ledger::Options options;
  options.durability = s.durability;
  TALLY_TRY(chain::Ledger ledger, chain::Ledger::open(node->ledger_path_, suite, options));
  node->ledger_.emplace(std::move(ledger));
  TALLY_TRY(const Hash256 genesis_hash, chain::initialise_ledger(*node->ledger_, s.genesis));
  TALLY_TRY(node->view_, LedgerStateView::open(node->ledger_path_, suite));

  chain::TxPoolConfig pool_config;
  pool_config.chain_id = s.genesis.chain_id;
  pool_config.suite = s.genesis.suite;
  pool_config.block_gas_limit = s.genesis.block_gas_limit;
  pool_config.recovery_threads = s.recovery_threads;
  std::set<Address> admitted;
  for (const chain::GenesisAccount& account : s.genesis.accounts)
    admitted.insert(account.address);
  node->pool_ = std::make_unique<chain::TxPool>(
      pool_config, [admitted = std::move(admitted)](const Address& sender) {
        return admitted.contains(sender);
      });
  node->source_ = std::make_unique<PoolTxSource>(*node->pool_, *node->view_, suite);
  node->executor_ = std::make_unique<chain::BlockExecutor>(
      *node->ledger_, suite, chain::ExecutionParams{s.genesis.chain_id, s.genesis.block_gas_limit},
      *node->source_);

  TALLY_TRY(auto store, chain::FileConsensusStore::open(s.data_dir / kConsensusFileName, suite));
  node->store_ = std::make_unique<chain::FileConsensusStore>(std::move(store));

  TALLY_TRY(auto head, node->ledger_->header_by_number(node->ledger_->head()->block_number));
  if (!head)
    return fail(Errc::corrupted, "ledger: the head block's header is missing");
  chain::ConsensusHostCallbacks host_callbacks{node->callbacks_.on_committed,
                                               node->callbacks_.on_fatal};
  node->host_ = std::make_unique<chain::ConsensusHost>(
      chain::ConsensusHostConfig{engine_config(s.genesis), chain::kDefaultInboxCapacity,
                                 sync_transport},
      key_pair, *node->store_, *node->executor_, transport, clock,
      node->logger_.for_component("consensus"), std::move(host_callbacks), *head);
  node->logger_.info(
      "node opened",
      {{"genesis", to_hex(genesis_hash.view())},
       {"head", head->block_number},
       {"role", node->host_->role() == chain::NodeRole::validator ? "validator" : "observer"},
       {"address", to_hex(node->host_->address().view())}});
  return node;
}

void Node::start() {
  host_->start();
  host_->post_pending_txs(source_->pending_count());
}

void Node::stop() {
  if (host_)
    host_->stop();
}

std::vector<Result<Hash256>> Node::submit_txs(std::span<const Bytes> raw_txs, bool from_client) {
  std::vector<Result<Hash256>> results = pool_->add(raw_txs, *view_);
  std::vector<Bytes> accepted;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i])
      accepted.push_back(raw_txs[i]);
  }
  if (accepted.empty())
    return results;
  if (from_client && callbacks_.on_accepted_from_client)
    callbacks_.on_accepted_from_client(accepted);
  // The engine only asks whether any tx waits, and the host recounts exactly after each commit;
  // so the pool's size stands in for the executable count, which reads every pooled sender's
  // nonce and, once per submitted tx, bounded throughput (test/bench/node_tps.py). A pool of
  // future nonces only makes the proposer build nothing, which it treats as an idle pool.
  host_->post_pending_txs(pool_->size());
  return results;
}

bool Node::on_consensus_message(const Address& sender, Bytes message) {
  return host_->post_message(sender, std::move(message));
}

bool Node::on_synced_block(chain::Block block) {
  return host_->post_synced_block(std::move(block));
}

bool Node::on_sync_message(std::string peer, Bytes message) {
  return host_->post_sync_message(std::move(peer), std::move(message));
}

void Node::on_peer_gone(std::string peer) {
  host_->post_sync_peer_left(std::move(peer));
}

void Node::on_peer_joined(std::string peer) {
  host_->post_sync_peer_joined(std::move(peer));
}

}  // namespace tally::tallyd
