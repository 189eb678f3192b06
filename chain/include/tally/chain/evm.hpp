#pragma once
// The EVM of one transaction: runs messages (calls and creations) against a WorldState and holds
// the transaction's substate on top of it: EIP-2929 warm sets, EIP-1153 transient storage, the
// accounts created and self-destructed (EIP-6780), the accounts touched (EIP-161) and the logs.
// Every substate change is journalled beside the WorldState's own journal, so one revert undoes
// both. The interpreter (interpreter.hpp) runs code and calls back here for state and sub-calls.
//
// Store errors (a missing trie node or code) cannot be handled by the contract; the first one is
// latched (store_error()), reads then see zero, and the caller refuses the whole transaction.
//
// Calls recurse natively: one interpreter frame per call depth, up to 1024. A release build needs
// about 2-3 KB of thread stack per depth (a few MB at the limit; the default 8 MB is enough);
// unoptimised sanitizer builds need far more (the tests run the EVM on a 1 GB-stack thread).
//
// Legacy VM tests record CALL and CREATE instead of running them (record_calls): the message is
// kept, the call succeeds with its gas untouched and no output, and a creation returns no address.
//
// System contracts (system_contracts.hpp), when given, run at their addresses in place of code:
// CALL and STATICCALL (and a tx) reach them as the comment at the top of system_contracts.hpp
// describes; DELEGATECALL and CALLCODE to them fail.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include <tally/chain/code_analysis.hpp>
#include <tally/chain/evm_env.hpp>
#include <tally/chain/evm_revision.hpp>
#include <tally/chain/evm_stack.hpp>
#include <tally/chain/receipt.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

class SystemContracts;

enum class EvmStatus : std::uint8_t {
  success,
  revert,
  out_of_gas,
  undefined_instruction,
  stack_underflow,
  stack_overflow,
  bad_jump_destination,
  invalid_memory_access,  // RETURNDATACOPY past the return data
  static_mode_violation,
  precompile_failure,
  create_collision,
  code_size_exceeded,   // EIP-170
  invalid_code_prefix,  // EIP-3541
  insufficient_balance,
  call_depth_exceeded,
  nonce_overflow,
  system_call_failure,  // a system contract's failure, or DELEGATECALL/CALLCODE to one
};

std::string_view evm_status_name(EvmStatus status) noexcept;

enum class CallKind : std::uint8_t { call, callcode, delegatecall, staticcall, create, create2 };

struct Message {
  CallKind kind = CallKind::call;
  bool is_static = false;
  int depth = 0;
  std::int64_t gas = 0;
  Address recipient;     // whose storage and balance the code acts on (ADDRESS)
  Address sender;        // CALLER
  Address code_address;  // whose code runs
  u256 value;            // CALLVALUE (for DELEGATECALL, the parent's, not transferred)
  BytesView input;       // call data, or the init code of a creation
  Hash256 salt;          // CREATE2
};

struct ExecResult {
  EvmStatus status = EvmStatus::success;
  std::int64_t gas_left = 0;
  std::int64_t gas_refund = 0;  // meaningful on success only
  Bytes output;                 // RETURN or REVERT data; empty for a successful creation
  Address created_address;      // a successful creation's address
};

// A CALL or CREATE as the legacy VM tests record it.
struct RecordedCall {
  CallKind kind;
  Address destination;  // zero for a creation
  std::int64_t gas;
  u256 value;
  Bytes data;
};

class Evm {
 public:
  Evm(WorldState& state,
      CodeCache& code_cache,
      const BlockEnv& block,
      const TxEnv& tx,
      Revision revision,
      const SystemContracts* system_contracts = nullptr);  // null: none

  // A message call (call, callcode, delegatecall, staticcall): the value transfer, the code or
  // precompile run, rollback on failure. The caller has checked the depth and the balance.
  ExecResult call(const Message& message);
  // A creation (create, create2): the address, the sender's nonce, collision, init code, deposit.
  ExecResult create(const Message& message);

  Revision revision() const noexcept { return revision_; }
  const BlockEnv& block() const noexcept { return block_; }
  const TxEnv& tx() const noexcept { return tx_; }
  const SystemContracts* system_contracts() const noexcept { return system_contracts_; }

  // ---- State, for instructions. No gas here: the interpreter charges.
  u256 balance(const Address& address);
  bool exists(const Address& address);
  // EIP-161 empty: absent, or no nonce, balance and code.
  bool is_empty(const Address& address);
  const CodeAnalysis& code(const Address& address);
  // EXTCODEHASH: zero for an absent or empty account.
  Hash256 code_hash(const Address& address);
  u256 storage(const Address& address, const u256& slot);
  u256 original_storage(const Address& address, const u256& slot);
  void set_storage(const Address& address, const u256& slot, const u256& value);
  u256 transient(const Address& address, const u256& slot) const;
  void set_transient(const Address& address, const u256& slot, const u256& value);
  void emit_log(Log log);
  // SELFDESTRUCT's state effect (the interpreter charged it). Returns whether `self` was not yet
  // destroyed in this transaction (the legacy revision refunds only the first time).
  bool selfdestruct(const Address& self, const Address& beneficiary);
  Hash256 block_hash(std::uint64_t number) const;

  // ---- EIP-2929: marks warm and returns whether it was cold.
  bool access_account(const Address& address);
  bool access_slot(const Address& address, const u256& slot);

  // ---- The transaction.
  // Moves `value` and touches both accounts; false (nothing changed) if `from` has too little.
  bool transfer(const Address& from, const Address& to, const u256& value);
  void touch(const Address& address);
  // The end of the transaction: destroys the self-destructed accounts and the touched empty ones.
  void finalize();
  const std::vector<Log>& logs() const noexcept { return logs_; }
  const std::optional<Error>& store_error() const noexcept { return store_error_; }
  void record_calls(std::vector<RecordedCall>* sink) noexcept { recorded_ = sink; }

  // The stack of the frame at `depth`, reused across calls at that depth.
  StackSpace& stack_space(int depth);

 private:
  struct Snapshot {
    std::size_t state;
    std::size_t journal;
    std::size_t logs;
  };
  enum class ChangeKind : std::uint8_t {
    warm_account,
    warm_slot,
    transient,
    touched,
    created,
    destroyed
  };
  struct Change {
    ChangeKind kind;
    Address address;
    u256 slot;
    u256 previous;
  };
  using SlotKey = std::pair<Address, u256>;

  Snapshot snapshot() const noexcept {
    return {state_.checkpoint(), journal_.size(), logs_.size()};
  }
  void revert_to(const Snapshot& snapshot);
  template <typename T>
  T latch(Result<T> result, T fallback);
  void check(Result<void> result);
  ExecResult run_precompile_message(const Message& message);
  ExecResult run_system_message(const Message& message);
  ExecResult finish_creation(ExecResult result, const Address& address);

  WorldState& state_;
  CodeCache& code_cache_;
  const BlockEnv& block_;
  const TxEnv& tx_;
  Revision revision_;
  const SystemContracts* system_contracts_;
  std::set<Address> warm_accounts_;
  std::set<SlotKey> warm_slots_;
  std::map<SlotKey, u256> transient_;
  std::set<Address> touched_;
  std::set<Address> created_;
  std::set<Address> destroyed_;
  std::vector<Log> logs_;
  std::vector<Change> journal_;
  std::vector<std::unique_ptr<StackSpace>> stacks_;
  std::optional<Error> store_error_;
  std::vector<RecordedCall>* recorded_ = nullptr;
};

}  // namespace tally::chain
