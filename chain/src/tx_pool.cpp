#include <algorithm>
#include <thread>

#include <tally/chain/tx_pool.hpp>
#include <tally/core/assert.hpp>

#include "pooled_txs.hpp"
#include "tx_admission.hpp"
#include "worker_pool.hpp"

namespace tally::chain {
namespace {

std::size_t recovery_threads(const TxPoolConfig& config) {
  const std::size_t wanted = config.recovery_threads != 0
                                 ? config.recovery_threads
                                 : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  // The calling thread is one of them.
  return std::min(wanted, kMaxWorkerThreads + 1) - 1;
}

}  // namespace

TxPool::TxPool(TxPoolConfig config, SenderAdmission admitted)
    : config_(config),
      suite_(config.suite),
      admitted_(std::move(admitted)),
      workers_(std::make_unique<WorkerPool>(recovery_threads(config_))),
      txs_(std::make_unique<PooledTxs>(config_)) {
  TALLY_ASSERT(admitted_ != nullptr);
}

TxPool::~TxPool() = default;

Result<PooledTx> TxPool::prepare(BytesView raw_tx) const {
  TALLY_TRY(Transaction tx, decode_pool_tx(suite_, config_, raw_tx));
  // A tx gossiped by several peers arrives several times: the pooled copy (the same bytes, since
  // the hash covers them) already has its sender, so it is not recovered again.
  PooledTx pooled;
  {
    const std::lock_guard lock(mutex_);
    pooled = txs_->find(tx.hash());
  }
  if (pooled) {
    TALLY_TRY_VOID(check_sender_and_gas(*pooled, config_, admitted_));
    return pooled;
  }
  TALLY_TRY(VerifiedTx verified, verify_pool_tx(std::move(tx), config_, admitted_));
  return std::make_shared<const VerifiedTx>(std::move(verified));
}

std::vector<Result<Hash256>> TxPool::add(std::span<const Bytes> raw_txs,
                                         const PoolStateView& head) {
  std::vector<Result<PooledTx>> prepared(raw_txs.size(), PooledTx{});
  workers_->run(raw_txs.size(), [&](std::size_t i) { prepared[i] = prepare(raw_txs[i]); });

  std::vector<Result<Hash256>> out;
  out.reserve(raw_txs.size());
  const std::lock_guard lock(mutex_);
  for (auto& tx : prepared) {
    if (tx)
      out.push_back(txs_->insert(std::move(*tx), head));
    else
      out.push_back(std::unexpected(std::move(tx.error())));
  }
  return out;
}

Result<Hash256> TxPool::add_one(BytesView raw_tx, const PoolStateView& head) {
  TALLY_TRY(PooledTx tx, prepare(raw_tx));
  const std::lock_guard lock(mutex_);
  return txs_->insert(std::move(tx), head);
}

std::vector<PooledTx> TxPool::select_for_block(std::uint64_t gas_limit,
                                               std::size_t max_txs,
                                               const PoolStateView& head) const {
  const std::lock_guard lock(mutex_);
  return txs_->select(gas_limit, max_txs, head);
}

void TxPool::remove_committed(std::span<const Hash256> included, const PoolStateView& new_head) {
  const std::lock_guard lock(mutex_);
  txs_->remove_committed(included, new_head);
}

std::uint64_t TxPool::pending_nonce(const Address& sender, std::uint64_t state_nonce) const {
  const std::lock_guard lock(mutex_);
  return txs_->pending_nonce(sender, state_nonce);
}

PooledTx TxPool::find(const Hash256& hash) const {
  const std::lock_guard lock(mutex_);
  return txs_->find(hash);
}

std::size_t TxPool::size() const {
  const std::lock_guard lock(mutex_);
  return txs_->size();
}

std::size_t TxPool::executable_count(const PoolStateView& head) const {
  const std::lock_guard lock(mutex_);
  return txs_->executable_count(head);
}

}  // namespace tally::chain
