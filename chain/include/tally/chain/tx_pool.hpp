#pragma once
// The tx pool: txs submitted by clients (eth_sendRawTransaction) or gossiped by peers, checked,
// held per sender in nonce order until a block includes them. The contract is in ../README.md
// ("Tx pool"); in short:
//
// Admission, in this order (texts in tx_rejection.hpp): size (before decoding, so a huge input is
// never parsed), encoding, chain id, the stateless checks of tx_validation.hpp, signature,
// admitted sender, gas limit against the block's, then against the head state and the pool:
// nonce too low, already known (in the pool or recently included), same sender and nonce
// (replacement), nonce gap, per-sender limit, pool full, balance.
//
// Threads. Every public method may be called from any thread at any time. add() decodes and
// recovers senders in parallel on an internal WorkerPool and on the calling thread, outside the
// pool's mutex; then it takes the mutex once and inserts the batch in input order, so its results
// depend only on the pool's contents and the view, never on thread timing. The PoolStateView and
// SenderAdmission the pool is given are called from the threads that call the pool (admission
// also from its workers), so they must be thread-safe.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include <tally/chain/tx_signing.hpp>
#include <tally/chain/tx_validation.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

class PooledTxs;
class WorkerPool;

struct TxPoolConfig {
  std::uint64_t chain_id = 0;
  SuiteId suite = SuiteId::standard;
  ReplayProtection replay_protection = ReplayProtection::required;
  std::uint64_t block_gas_limit = 30'000'000;
  // Bounds on what outsiders can make the pool hold.
  std::size_t max_txs = 65'536;
  std::size_t max_txs_per_sender = 1'024;
  std::size_t max_tx_bytes = 128 * 1024;
  // How many nonces may be missing between a sender's next nonce (state nonce plus its pooled
  // run) and a new tx's: a tx may wait for at most this many others to arrive.
  std::uint64_t max_nonce_gap = 64;
  // Hashes of included txs remembered for "already known".
  std::size_t recent_included = 16'384;
  // A tx replacing the pooled one of the same sender and nonce must raise both fee caps by at least
  // this many percent (and strictly), as geth's price bump.
  std::uint32_t price_bump_percent = 10;
  // Threads recovering senders, the calling thread included; 0 is hardware_concurrency.
  std::size_t recovery_threads = 0;
};

// The head state the pool checks against; the node implements it over its ledger (or the
// consensus thread's post-commit state). Called with the pool's mutex held: must not call the pool.
class PoolStateView {
 public:
  virtual ~PoolStateView() = default;
  virtual std::uint64_t nonce(const Address& account) const = 0;
  virtual u256 balance(const Address& account) const = 0;
};

// Whether an account may send txs: the consortium's admitted set, given by the node (from genesis
// now, from an on-chain allowlist later). Called from the pool's worker threads, without the
// pool's mutex.
using SenderAdmission = std::function<bool(const Address& sender)>;

using PooledTx = std::shared_ptr<const VerifiedTx>;

class TxPool {
 public:
  TxPool(TxPoolConfig config, SenderAdmission admitted);
  ~TxPool();
  TxPool(const TxPool&) = delete;
  TxPool& operator=(const TxPool&) = delete;

  // One result per input, in input order: the tx hash when it joined the pool, or why not. The
  // raw bytes of the accepted txs (for gossip) are find(hash)->tx().encoded().
  std::vector<Result<Hash256>> add(std::span<const Bytes> raw_txs, const PoolStateView& head);
  Result<Hash256> add_one(BytesView raw_tx, const PoolStateView& head);

  // Executable txs for the next block: for each sender, its run of consecutive nonces from its
  // state nonce; across senders by arrival, each sender's next tx entering when it has been
  // taken. Stops at `max_txs`, or at the first tx whose gas limit exceeds the gas left, so no tx
  // waits behind later arrivals however large it is (first come, first served).
  std::vector<PooledTx> select_for_block(std::uint64_t gas_limit,
                                         std::size_t max_txs,
                                         const PoolStateView& head) const;

  // After a block is committed: drops the included txs (remembering their hashes) and every tx
  // whose nonce is now below its sender's nonce at `new_head`.
  void remove_committed(std::span<const Hash256> included, const PoolStateView& new_head);

  // The nonce after the sender's run of consecutive pooled nonces from `state_nonce`
  // (eth_getTransactionCount "pending").
  std::uint64_t pending_nonce(const Address& sender, std::uint64_t state_nonce) const;
  // The pooled tx with this hash, or null.
  PooledTx find(const Hash256& hash) const;
  std::size_t size() const;
  // How many txs select_for_block could take with no gas or count limit: whether to propose.
  std::size_t executable_count(const PoolStateView& head) const;

  const TxPoolConfig& config() const noexcept { return config_; }

 private:
  Result<PooledTx> prepare(BytesView raw_tx) const;

  const TxPoolConfig config_;
  const CryptoSuite suite_;
  const SenderAdmission admitted_;
  std::unique_ptr<WorkerPool> workers_;
  mutable std::mutex mutex_;
  std::unique_ptr<PooledTxs> txs_;  // guarded by mutex_
};

}  // namespace tally::chain
