#include <tally/chain/trie.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/rlp_u256.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

WorldState::WorldState(CryptoSuite suite,
                       const NodeStore& nodes,
                       const CodeStore& code,
                       const Hash256& root)
    : suite_(suite), nodes_(nodes), code_store_(code), state_trie_(suite, nodes, root) {}

Result<std::optional<Account>> WorldState::stored_account(const Address& address) const {
  TALLY_TRY(const auto encoded, state_trie_.get(address.view()));
  if (!encoded)
    return std::optional<Account>();
  TALLY_TRY(Account account,
            in_context(Account::decode(*encoded), str_cat("state: account ", address.hex())));
  return std::optional<Account>(account);
}

Result<std::optional<Account>> WorldState::account(const Address& address) {
  TALLY_ASSERT(!spent_);
  if (const auto it = accounts_.find(address); it != accounts_.end())
    return it->second.account;
  return stored_account(address);
}

Result<Bytes> WorldState::code(const Address& address) {
  TALLY_TRY(const auto found, account(address));
  if (!found || found->code_hash == empty_code_hash())
    return Bytes{};
  if (const auto it = new_code_.find(found->code_hash); it != new_code_.end())
    return it->second;
  TALLY_TRY(auto stored, code_store_.code(found->code_hash));
  if (!stored) {
    return fail(Errc::not_found, str_cat("state: code ", found->code_hash.hex(), " of ",
                                         address.hex(), " is missing"));
  }
  return std::move(*stored);
}

Result<u256> WorldState::stored_slot(const Address& address, const u256& slot) {
  auto trie = storage_tries_.find(address);
  if (trie == storage_tries_.end()) {
    TALLY_TRY(const auto stored, stored_account(address));
    const Hash256 root = stored ? stored->storage_root : empty_trie_root(suite_);
    trie = storage_tries_.emplace(address, SecureTrie(suite_, nodes_, root)).first;
  }
  TALLY_TRY(const auto encoded, trie->second.get(slot.to_be().view()));
  if (!encoded)
    return u256(0);
  // A slot holds rlp(value) with the value's leading zeros stripped, as Ethereum stores it.
  RlpReader reader(*encoded);
  const std::string where = str_cat("state: storage slot ", slot.hex(), " of ", address.hex());
  TALLY_TRY(const u256 value, in_context(read_rlp_u256(reader), where));
  TALLY_TRY_VOID(in_context(reader.finish(), where));
  return value;
}

Result<u256> WorldState::storage(const Address& address, const u256& slot) {
  TALLY_ASSERT(!spent_);
  if (const auto it = slots_.find({address, slot}); it != slots_.end())
    return it->second;
  if (const auto it = accounts_.find(address); it != accounts_.end()) {
    if (!it->second.account || it->second.storage_reset)
      return u256(0);
  }
  return stored_slot(address, slot);
}

Result<u256> WorldState::original_storage(const Address& address, const u256& slot) {
  if (const auto it = originals_.find({address, slot}); it != originals_.end())
    return it->second;
  return storage(address, slot);
}

void WorldState::record(const Address& address) {
  const auto it = accounts_.find(address);
  journal_.emplace_back(AccountUndo{
      address, it == accounts_.end() ? std::nullopt : std::optional<AccountEntry>(it->second)});
}

Result<WorldState::AccountEntry*> WorldState::entry(const Address& address) {
  TALLY_ASSERT(!spent_);
  auto it = accounts_.find(address);
  if (it == accounts_.end()) {
    TALLY_TRY(const auto stored, stored_account(address));
    it = accounts_.emplace(address, AccountEntry{stored, false}).first;
    // Loading is not a change: undoing it just forgets the entry.
    journal_.emplace_back(AccountUndo{address, std::nullopt});
  }
  return &it->second;
}

Result<Account*> WorldState::existing(const Address& address) {
  TALLY_TRY(AccountEntry* const found, entry(address));
  record(address);
  if (!found->account) {
    found->account = Account::empty(suite_);
    found->storage_reset = true;
  }
  return &*found->account;
}

Result<void> WorldState::set_nonce(const Address& address, std::uint64_t nonce) {
  TALLY_TRY(Account* const target, existing(address));
  target->nonce = nonce;
  return {};
}

Result<void> WorldState::add_balance(const Address& address, const u256& amount) {
  TALLY_TRY(const auto current, account(address));
  const u256 before = current ? current->balance : u256(0);
  const u256 after = before + amount;
  if (after < before) {
    return fail(Errc::overflow, str_cat("state: balance of ", address.hex(), " would overflow"));
  }
  TALLY_TRY(Account* const target, existing(address));
  target->balance = after;
  return {};
}

Result<void> WorldState::sub_balance(const Address& address, const u256& amount) {
  TALLY_TRY(const auto current, account(address));
  const u256 before = current ? current->balance : u256(0);
  if (before < amount) {
    return fail(Errc::out_of_range, str_cat("state: balance of ", address.hex(), " is ",
                                            before.decimal(), ", below ", amount.decimal()));
  }
  TALLY_TRY(Account* const target, existing(address));
  target->balance = before - amount;
  return {};
}

Result<void> WorldState::set_code(const Address& address, Bytes code) {
  TALLY_TRY(Account* const target, existing(address));
  target->code_hash = code.empty() ? empty_code_hash() : keccak256(code);
  if (!code.empty())
    new_code_.emplace(target->code_hash, std::move(code));
  return {};
}

Result<void> WorldState::set_storage(const Address& address, const u256& slot, const u256& value) {
  TALLY_TRY(const u256 current, storage(address, slot));
  TALLY_TRY(Account* const target, existing(address));
  (void)target;
  const SlotKey key{address, slot};
  originals_.emplace(key, current);  // kept only by the first write of the transaction
  const auto it = slots_.find(key);
  journal_.emplace_back(
      SlotUndo{key, it == slots_.end() ? std::nullopt : std::optional<u256>(it->second)});
  slots_[key] = value;
  return {};
}

Result<void> WorldState::create_account(const Address& address) {
  TALLY_TRY(const auto current, account(address));
  const u256 balance = current ? current->balance : u256(0);
  destroy_account(address);
  TALLY_TRY(Account* const fresh, existing(address));
  fresh->balance = balance;
  return {};
}

void WorldState::destroy_account(const Address& address) {
  TALLY_ASSERT(!spent_);
  // Its overlay slots go, each journalled so a rollback restores them.
  const auto first = slots_.lower_bound({address, u256(0)});
  auto last = first;
  while (last != slots_.end() && last->first.first == address)
    ++last;
  for (auto it = first; it != last; ++it)
    journal_.emplace_back(SlotUndo{it->first, it->second});
  slots_.erase(first, last);
  record(address);
  accounts_[address] = AccountEntry{std::nullopt, true};
}

void WorldState::rollback_to(std::size_t checkpoint) {
  TALLY_ASSERT(checkpoint <= journal_.size());
  while (journal_.size() > checkpoint) {
    std::visit(
        [this](auto& undo) {
          using Undo = std::decay_t<decltype(undo)>;
          if constexpr (std::is_same_v<Undo, AccountUndo>) {
            if (undo.previous) {
              accounts_[undo.address] = *undo.previous;
            } else {
              accounts_.erase(undo.address);
            }
          } else {
            if (undo.previous) {
              slots_[undo.key] = *undo.previous;
            } else {
              slots_.erase(undo.key);
            }
          }
        },
        journal_.back());
    journal_.pop_back();
  }
}

void WorldState::end_tx() {
  journal_.clear();
  originals_.clear();
}

}  // namespace tally::chain
