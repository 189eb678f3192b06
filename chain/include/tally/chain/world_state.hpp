#pragma once
// The world state as execution sees it: accounts, storage slots and code at a state root, with an
// in-memory overlay of changes that can be rolled back to any checkpoint (a reverted call) and is
// written into the tries once, at the end of a block, by commit().
//
// Reads see every change made so far. original_storage() answers the value a slot had when the
// current transaction began (what EIP-2200's SSTORE gas needs); end_tx() moves to the next one.
// The tries are read lazily through the NodeStore, so a block touching a few accounts of a large
// state reads only their paths.
//
// Not here yet, for the EVM to add on this same journal so one rollback undoes everything: the
// EIP-161 deletion of touched empty accounts at the end of a transaction, EIP-6780's deferred
// SELFDESTRUCT (destroy_account acts at once today), EIP-2929 warm sets, EIP-1153 transient
// storage, the refund counter and logs.
//
// Accounts read here carry the storage root they had at the block's start; the new roots exist
// only after commit(). A WorldState serves one block: after commit() it is spent. Deterministic:
// changes are applied in address and slot order. Not synchronised: one thread at a time.

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include <tally/chain/account.hpp>
#include <tally/chain/code_store.hpp>
#include <tally/chain/node_store.hpp>
#include <tally/chain/secure_trie.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

// New code of a block by code hash, for the ledger's code table.
using CodeBatch = std::vector<std::pair<Hash256, Bytes>>;

class WorldState {
 public:
  // The state at `root`; the stores must outlive this object.
  WorldState(CryptoSuite suite, const NodeStore& nodes, const CodeStore& code, const Hash256& root);

  // ---- Reads: every change so far included. Errors come only from the stores.
  Result<std::optional<Account>> account(const Address& address);
  Result<Bytes> code(const Address& address);  // empty for none
  Result<u256> storage(const Address& address, const u256& slot);
  // The slot's value when the current transaction began.
  Result<u256> original_storage(const Address& address, const u256& slot);

  // ---- Writes. Each first brings the account into the overlay; an absent account is created
  // empty. Balances are checked: sub_balance below zero and add_balance past 2^256 - 1 fail and
  // change nothing.
  Result<void> set_nonce(const Address& address, std::uint64_t nonce);
  Result<void> add_balance(const Address& address, const u256& amount);
  Result<void> sub_balance(const Address& address, const u256& amount);
  Result<void> set_code(const Address& address, Bytes code);
  Result<void> set_storage(const Address& address, const u256& slot, const u256& value);
  // Makes `address` a fresh account (nonce 0, no code, empty storage) keeping its balance: what
  // contract creation does to an address that only held a balance.
  Result<void> create_account(const Address& address);
  // Removes the account and all its storage (SELFDESTRUCT in its creating transaction, EIP-161
  // clearing of empty accounts).
  void destroy_account(const Address& address);

  // ---- Checkpoints, nested: rollback_to(c) undoes every change since checkpoint() returned c.
  std::size_t checkpoint() const noexcept { return journal_.size(); }
  void rollback_to(std::size_t checkpoint);
  // The current transaction is over: its changes stay, checkpoints and original values go.
  void end_tx();

  // Writes every change into the storage tries and the state trie, appends their new nodes to
  // `nodes` and the new code to `code`, and returns the new state root. The state is spent.
  Result<Hash256> commit(NodeBatch& nodes, CodeBatch& code);

  CryptoSuite suite() const noexcept { return suite_; }

 private:
  struct AccountEntry {
    std::optional<Account> account;  // nullopt: the account does not exist
    bool storage_reset = false;      // its storage starts empty, whatever the trie holds
  };
  using SlotKey = std::pair<Address, u256>;
  struct AccountUndo {
    Address address;
    std::optional<AccountEntry> previous;  // nullopt: it was not in the overlay
  };
  struct SlotUndo {
    SlotKey key;
    std::optional<u256> previous;
  };

  Result<std::optional<Account>> stored_account(const Address& address) const;
  Result<AccountEntry*> entry(const Address& address);
  // The entry of an account that must exist afterwards (created empty if absent).
  Result<Account*> existing(const Address& address);
  void record(const Address& address);
  Result<u256> stored_slot(const Address& address, const u256& slot);
  Result<Hash256> commit_storage(const Address& address,
                                 const AccountEntry& entry,
                                 NodeBatch& nodes);

  CryptoSuite suite_;
  const NodeStore& nodes_;
  const CodeStore& code_store_;
  SecureTrie state_trie_;
  std::map<Address, SecureTrie> storage_tries_;  // opened lazily at each account's stored root
  std::map<Address, AccountEntry> accounts_;
  std::map<SlotKey, u256> slots_;
  std::map<SlotKey, u256> originals_;  // slot values at the start of the transaction
  std::map<Hash256, Bytes> new_code_;
  std::vector<std::variant<AccountUndo, SlotUndo>> journal_;
  bool spent_ = false;
};

}  // namespace tally::chain
