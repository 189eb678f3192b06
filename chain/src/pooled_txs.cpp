#include "pooled_txs.hpp"

#include <algorithm>
#include <queue>

#include <tally/chain/tx_rejection.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {
namespace {

// The most a tx can cost its sender: gas limit times max fee, plus value; false past 2^256 - 1.
bool max_cost(const TxFields& fields, u256& cost) {
  // validate_tx refused a product past 256 bits, so only the sum can overflow.
  const U512Limbs product = mul_full(u256(fields.gas_limit), fields.max_fee_per_gas);
  TALLY_ASSERT((product[4] | product[5] | product[6] | product[7]) == 0);
  const u256 gas_cost(u256::Limbs{product[0], product[1], product[2], product[3]});
  const U256Carry sum = add_with_carry(gas_cost, fields.value);
  cost = sum.value;
  return !sum.carry;
}

// Whether `next` >= `old` * (100 + percent) / 100, computed in 512 bits so nothing wraps.
bool bumped_enough(const u256& next, const u256& old, std::uint32_t percent) {
  const U512Limbs lhs = mul_full(next, u256(100));
  const U512Limbs rhs = mul_full(old, u256(100 + std::uint64_t{percent}));
  for (std::size_t i = lhs.size(); i-- > 0;) {
    if (lhs[i] != rhs[i])
      return lhs[i] > rhs[i];
  }
  return true;
}

}  // namespace

Result<void> PooledTxs::check_replacement(const VerifiedTx& old_tx,
                                          const VerifiedTx& new_tx) const {
  const TxFields& old_fields = old_tx.tx().fields();
  const TxFields& new_fields = new_tx.tx().fields();
  const std::uint32_t bump = config_.price_bump_percent;
  const bool fee_ok = new_fields.max_fee_per_gas > old_fields.max_fee_per_gas &&
                      bumped_enough(new_fields.max_fee_per_gas, old_fields.max_fee_per_gas, bump);
  const bool tip_ok =
      new_fields.max_priority_fee_per_gas > old_fields.max_priority_fee_per_gas &&
      bumped_enough(new_fields.max_priority_fee_per_gas, old_fields.max_priority_fee_per_gas, bump);
  if (fee_ok && tip_ok)
    return {};
  return reject(
      TxRejection::replacement_underpriced,
      str_cat("sender ", new_tx.sender().hex(), " nonce ", new_fields.nonce, " is pooled as ",
              old_tx.hash().hex(), "; a replacement raises both fee caps by ", bump, "% or more"));
}

Result<void> PooledTxs::check_room(const VerifiedTx& tx,
                                   const Queue* queue,
                                   std::uint64_t state_nonce) const {
  const std::uint64_t nonce = tx.tx().fields().nonce;
  const std::uint64_t next = pending_nonce(tx.sender(), state_nonce);
  if (nonce > next && nonce - next > config_.max_nonce_gap) {
    return reject(TxRejection::nonce_gap,
                  str_cat("address ", tx.sender().hex(), ", tx nonce ", nonce, ", next nonce ",
                          next, "; at most ", config_.max_nonce_gap, " nonces may be missing"));
  }
  const std::size_t held = queue ? queue->size() : 0;
  if (held >= config_.max_txs_per_sender) {
    return reject(TxRejection::account_limit,
                  str_cat("address ", tx.sender().hex(), " has ", held, " pooled txs; at most ",
                          config_.max_txs_per_sender));
  }
  if (by_hash_.size() >= config_.max_txs)
    return reject(TxRejection::pool_full, str_cat(by_hash_.size(), " txs pooled"));
  return {};
}

// This tx's cost, and with it those of the sender's other pooled txs (not the one it replaces):
// a sender's balance only falls through its own txs, so what the pool holds for it stays
// affordable, unless another node's pool spends the same balance first.
Result<void> PooledTxs::check_funds(const VerifiedTx& tx,
                                    const Queue* queue,
                                    const u256& balance,
                                    std::uint64_t state_nonce) const {
  const TxFields& fields = tx.tx().fields();
  u256 total;
  bool fits = max_cost(fields, total);
  std::size_t others = 0;
  if (fits && queue != nullptr) {
    for (auto it = queue->lower_bound(state_nonce); it != queue->end() && fits; ++it) {
      if (it->first == fields.nonce)
        continue;
      u256 cost;
      fits = max_cost(it->second.tx->tx().fields(), cost);
      const U256Carry sum = add_with_carry(total, cost);
      fits = fits && !sum.carry;
      total = sum.value;
      ++others;
    }
  }
  if (fits && total <= balance)
    return {};
  return reject(TxRejection::insufficient_funds,
                str_cat("address ", tx.sender().hex(), " have ", balance.decimal(), " want ",
                        fits ? total.decimal() : std::string("more than 2^256 - 1"),
                        others == 0 ? "" : str_cat(" with its ", others, " other pooled txs")));
}

Result<Hash256> PooledTxs::insert(PooledTx tx, const PoolStateView& head) {
  const Address& sender = tx->sender();
  const TxFields& fields = tx->tx().fields();
  const std::uint64_t state_nonce = head.nonce(sender);
  if (fields.nonce < state_nonce) {
    return reject(TxRejection::nonce_too_low, str_cat("address ", sender.hex(), ", tx nonce ",
                                                      fields.nonce, ", state nonce ", state_nonce));
  }
  if (by_hash_.contains(tx->hash()) || recent_.contains(tx->hash()))
    return reject(TxRejection::already_known, tx->hash().hex());

  const auto queue = senders_.find(sender);
  Queue* const held = queue == senders_.end() ? nullptr : &queue->second;
  const auto same_nonce = held ? held->find(fields.nonce) : Queue::iterator{};
  const bool replaces = held && same_nonce != held->end();
  if (replaces) {
    TALLY_TRY_VOID(check_replacement(*same_nonce->second.tx, *tx));
  } else {
    TALLY_TRY_VOID(check_room(*tx, held, state_nonce));
  }

  TALLY_TRY_VOID(check_funds(*tx, held, head.balance(sender), state_nonce));

  if (replaces)
    erase(*held, same_nonce);
  const Hash256 hash = tx->hash();
  by_hash_.emplace(hash, tx);
  senders_[sender].emplace(fields.nonce, Slot{std::move(tx), next_seq_++});
  return hash;
}

void PooledTxs::erase(Queue& queue, Queue::iterator slot) {
  const std::size_t erased = by_hash_.erase(slot->second.tx->hash());
  TALLY_ASSERT(erased == 1);
  queue.erase(slot);
}

std::uint64_t PooledTxs::pending_nonce(const Address& sender, std::uint64_t state_nonce) const {
  const auto queue = senders_.find(sender);
  if (queue == senders_.end())
    return state_nonce;
  std::uint64_t next = state_nonce;
  for (auto it = queue->second.find(next); it != queue->second.end() && it->first == next; ++it)
    ++next;
  return next;
}

PooledTx PooledTxs::find(const Hash256& hash) const {
  const auto it = by_hash_.find(hash);
  return it == by_hash_.end() ? nullptr : it->second;
}

std::size_t PooledTxs::executable_count(const PoolStateView& head) const {
  std::size_t count = 0;
  for (const auto& [sender, queue] : senders_) {
    const std::uint64_t state_nonce = head.nonce(sender);
    count += static_cast<std::size_t>(pending_nonce(sender, state_nonce) - state_nonce);
  }
  return count;
}

std::vector<PooledTx> PooledTxs::select(std::uint64_t gas_limit,
                                        std::size_t max_txs,
                                        const PoolStateView& head) const {
  // A min-heap of each sender's next executable tx by arrival; taking one lets its successor in.
  using Head = std::pair<std::uint64_t, Queue::const_iterator>;  // (seq, slot)
  const auto later = [](const Head& a, const Head& b) { return a.first > b.first; };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
  for (const auto& [sender, queue] : senders_) {
    const auto first = queue.find(head.nonce(sender));
    if (first != queue.end())
      heads.emplace(first->second.seq, first);
  }
  std::vector<PooledTx> out;
  std::uint64_t gas_left = gas_limit;
  while (!heads.empty() && out.size() < max_txs) {
    const auto slot = heads.top().second;
    heads.pop();
    const std::uint64_t gas = slot->second.tx->tx().fields().gas_limit;
    if (gas > gas_left)
      break;
    gas_left -= gas;
    out.push_back(slot->second.tx);
    const auto& queue = senders_.at(slot->second.tx->sender());
    const auto next = std::next(slot);
    if (next != queue.end() && next->first == slot->first + 1)
      heads.emplace(next->second.seq, next);
  }
  return out;
}

void PooledTxs::remember_included(const Hash256& hash) {
  if (config_.recent_included == 0 || !recent_.insert(hash).second)
    return;
  recent_order_.push_back(hash);
  if (recent_order_.size() > config_.recent_included) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
}

void PooledTxs::remove_committed(std::span<const Hash256> included, const PoolStateView& new_head) {
  for (const Hash256& hash : included) {
    remember_included(hash);
    const auto it = by_hash_.find(hash);
    if (it == by_hash_.end())
      continue;
    const PooledTx tx = it->second;
    auto& queue = senders_.at(tx->sender());
    erase(queue, queue.find(tx->tx().fields().nonce));
  }
  // Every sender, not only those of the included txs this pool held: a block may carry another
  // node's tx with the nonce of one of ours.
  for (auto sender = senders_.begin(); sender != senders_.end();) {
    Queue& queue = sender->second;
    const auto keep = queue.lower_bound(new_head.nonce(sender->first));
    while (queue.begin() != keep)
      erase(queue, queue.begin());
    sender = queue.empty() ? senders_.erase(sender) : std::next(sender);
  }
}

}  // namespace tally::chain
