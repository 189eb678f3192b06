#pragma once
// The head state the tx pool checks txs against (tx_pool.hpp's PoolStateView), read through a
// read-only connection of its own to the node's ledger file, so RPC and network threads can
// admit txs while the consensus thread writes (SQLite WAL lets a reader run beside the writer).
// The pool calls it from many threads: one mutex serialises the connection. It reads the head it
// last refreshed to: the node refreshes it after each commit, before the pool drops what the
// block included, so nonces move together with the pool.
//
// Accounts read are kept until the next refresh: the pool asks for every pooled sender's nonce
// after each commit and on each admission, and a trie walk per question bounded throughput
// (test/bench/node_tps.py). The cache holds at most kMaxCachedAccounts, then starts again.

#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

#include <tally/chain/ledger.hpp>
#include <tally/chain/tx_pool.hpp>
#include <tally/core/error.hpp>

namespace tally::tallyd {

inline constexpr std::size_t kMaxCachedAccounts = 65'536;

class LedgerStateView final : public chain::PoolStateView {
 public:
  static Result<std::unique_ptr<LedgerStateView>> open(const std::filesystem::path& ledger_path,
                                                       const CryptoSuite& suite);

  // Follows the ledger's head (after a commit by the writer).
  Result<void> refresh();

  // A failed read (a damaged ledger) answers 0: the pool then refuses the tx (nonce, balance),
  // which is the safe side; the fault is logged by the writer, which reads the same file.
  std::uint64_t nonce(const Address& account) const override;
  u256 balance(const Address& account) const override;

  std::uint64_t head_block_number() const;

 private:
  LedgerStateView(chain::Ledger ledger, Hash256 state_root)
      : ledger_(std::move(ledger)), state_root_(state_root) {}
  std::optional<chain::Account> account(const Address& address) const;

  mutable std::mutex mutex_;
  mutable chain::Ledger ledger_;  // guarded by mutex_
  Hash256 state_root_;            // guarded by mutex_
  // Reads at state_root_ that succeeded (an absent account included); guarded by mutex_.
  mutable std::map<Address, std::optional<chain::Account>> accounts_;
};

}  // namespace tally::tallyd
