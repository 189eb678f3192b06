#include "ledger_state_view.hpp"

#include <tally/chain/ledger_store.hpp>
#include <tally/chain/world_state.hpp>

namespace tally::tallyd {

namespace {

Result<Hash256> head_state_root(chain::Ledger& ledger) {
  if (!ledger.head())
    return fail(Errc::not_found, "ledger: no genesis block");
  TALLY_TRY(auto header, ledger.header_by_number(ledger.head()->block_number));
  if (!header)
    return fail(Errc::corrupted, "ledger: the head block's header is missing");
  return header->state_root;
}

}  // namespace

Result<std::unique_ptr<LedgerStateView>> LedgerStateView::open(
    const std::filesystem::path& ledger_path,
    const CryptoSuite& suite) {
  chain::Ledger::Options options;
  options.read_only = true;
  options.cache_kib = 16 * 1024;  // the writer's cache holds the hot trie nodes
  TALLY_TRY(chain::Ledger ledger, chain::Ledger::open(ledger_path, suite, options));
  TALLY_TRY(const Hash256 root, head_state_root(ledger));
  return std::unique_ptr<LedgerStateView>(new LedgerStateView(std::move(ledger), root));
}

Result<void> LedgerStateView::refresh() {
  std::lock_guard lock(mutex_);
  TALLY_TRY_VOID(ledger_.refresh_head());
  TALLY_TRY(const Hash256 root, head_state_root(ledger_));
  if (root != state_root_)
    accounts_.clear();
  state_root_ = root;
  return {};
}

std::optional<chain::Account> LedgerStateView::account(const Address& address) const {
  std::lock_guard lock(mutex_);
  if (const auto cached = accounts_.find(address); cached != accounts_.end())
    return cached->second;
  const chain::LedgerStore store(ledger_);
  chain::WorldState state(ledger_.suite(), store, store, state_root_);
  auto account = state.account(address);
  if (!account)
    return std::nullopt;  // not cached: a read error may pass
  if (accounts_.size() >= kMaxCachedAccounts)
    accounts_.clear();
  accounts_.emplace(address, *account);
  return *account;
}

std::uint64_t LedgerStateView::nonce(const Address& address) const {
  const auto found = account(address);
  return found ? found->nonce : 0;
}

u256 LedgerStateView::balance(const Address& address) const {
  const auto found = account(address);
  return found ? found->balance : u256(0);
}

std::uint64_t LedgerStateView::head_block_number() const {
  std::lock_guard lock(mutex_);
  return ledger_.head() ? ledger_.head()->block_number : 0;
}

}  // namespace tally::tallyd
