#include <tally/chain/create_address.hpp>
#include <tally/chain/evm.hpp>
#include <tally/chain/gas_schedule.hpp>
#include <tally/chain/interpreter.hpp>
#include <tally/chain/precompiles.hpp>
#include <tally/chain/system_contracts.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/keccak.hpp>

namespace tally::chain {

std::string_view evm_status_name(EvmStatus status) noexcept {
  switch (status) {
    case EvmStatus::success:
      return "success";
    case EvmStatus::revert:
      return "revert";
    case EvmStatus::out_of_gas:
      return "out of gas";
    case EvmStatus::undefined_instruction:
      return "undefined instruction";
    case EvmStatus::stack_underflow:
      return "stack underflow";
    case EvmStatus::stack_overflow:
      return "stack overflow";
    case EvmStatus::bad_jump_destination:
      return "bad jump destination";
    case EvmStatus::invalid_memory_access:
      return "invalid memory access";
    case EvmStatus::static_mode_violation:
      return "static mode violation";
    case EvmStatus::precompile_failure:
      return "precompile failure";
    case EvmStatus::create_collision:
      return "create collision";
    case EvmStatus::code_size_exceeded:
      return "code size exceeded";
    case EvmStatus::invalid_code_prefix:
      return "invalid code prefix";
    case EvmStatus::insufficient_balance:
      return "insufficient balance";
    case EvmStatus::call_depth_exceeded:
      return "call depth exceeded";
    case EvmStatus::nonce_overflow:
      return "nonce overflow";
    case EvmStatus::system_call_failure:
      return "system call failure";
  }
  return "unknown";
}

Evm::Evm(WorldState& state,
         CodeCache& code_cache,
         const BlockEnv& block,
         const TxEnv& tx,
         Revision revision,
         const SystemContracts* system_contracts)
    : state_(state),
      code_cache_(code_cache),
      block_(block),
      tx_(tx),
      revision_(revision),
      system_contracts_(system_contracts) {}

template <typename T>
T Evm::latch(Result<T> result, T fallback) {
  if (result)
    return std::move(*result);
  if (!store_error_)
    store_error_ = result.error();
  return fallback;
}

void Evm::check(Result<void> result) {
  if (!result && !store_error_)
    store_error_ = result.error();
}

StackSpace& Evm::stack_space(int depth) {
  const auto index = static_cast<std::size_t>(depth);
  if (stacks_.size() <= index)
    stacks_.resize(index + 1);
  if (!stacks_[index])
    stacks_[index] = std::make_unique<StackSpace>();
  return *stacks_[index];
}

// ---- State -------------------------------------------------------------------------------------

u256 Evm::balance(const Address& address) {
  const auto account = latch(state_.account(address), std::optional<Account>());
  return account ? account->balance : u256(0);
}

bool Evm::exists(const Address& address) {
  return latch(state_.account(address), std::optional<Account>()).has_value();
}

bool Evm::is_empty(const Address& address) {
  const auto account = latch(state_.account(address), std::optional<Account>());
  return !account || account->is_empty();
}

const CodeAnalysis& Evm::code(const Address& address) {
  static const CodeAnalysis kNoCode{BytesView{}};
  const auto account = latch(state_.account(address), std::optional<Account>());
  if (!account || account->code_hash == empty_code_hash())
    return kNoCode;
  if (const CodeAnalysis* cached = code_cache_.find(account->code_hash))
    return *cached;
  const Bytes bytes = latch(state_.code(address), Bytes{});
  return code_cache_.get(account->code_hash, bytes);
}

Hash256 Evm::code_hash(const Address& address) {
  const auto account = latch(state_.account(address), std::optional<Account>());
  if (!account || account->is_empty())
    return Hash256{};
  return account->code_hash;
}

u256 Evm::storage(const Address& address, const u256& slot) {
  return latch(state_.storage(address, slot), u256(0));
}

u256 Evm::original_storage(const Address& address, const u256& slot) {
  return latch(state_.original_storage(address, slot), u256(0));
}

void Evm::set_storage(const Address& address, const u256& slot, const u256& value) {
  if (auto done = state_.set_storage(address, slot, value); !done && !store_error_)
    store_error_ = done.error();
}

u256 Evm::transient(const Address& address, const u256& slot) const {
  const auto it = transient_.find({address, slot});
  return it == transient_.end() ? u256(0) : it->second;
}

void Evm::set_transient(const Address& address, const u256& slot, const u256& value) {
  u256& current = transient_[{address, slot}];
  journal_.push_back({ChangeKind::transient, address, slot, current});
  current = value;
}

void Evm::emit_log(Log log) {
  logs_.push_back(std::move(log));
}

Hash256 Evm::block_hash(std::uint64_t number) const {
  return block_.block_hash ? block_.block_hash(number) : Hash256{};
}

bool Evm::access_account(const Address& address) {
  if (!warm_accounts_.insert(address).second)
    return false;
  journal_.push_back({ChangeKind::warm_account, address, {}, {}});
  return true;
}

bool Evm::access_slot(const Address& address, const u256& slot) {
  if (!warm_slots_.insert({address, slot}).second)
    return false;
  journal_.push_back({ChangeKind::warm_slot, address, slot, {}});
  return true;
}

void Evm::touch(const Address& address) {
  if (touched_.insert(address).second)
    journal_.push_back({ChangeKind::touched, address, {}, {}});
}

bool Evm::transfer(const Address& from, const Address& to, const u256& value) {
  if (!state_.sub_balance(from, value))
    return false;
  if (auto added = state_.add_balance(to, value); !added) {
    // Past 2^256 - 1 cannot happen with a real supply; undo the debit and refuse.
    (void)state_.add_balance(from, value);
    return false;
  }
  touch(from);
  touch(to);
  return true;
}

bool Evm::selfdestruct(const Address& self, const Address& beneficiary) {
  const u256 amount = balance(self);
  if (revision_ == Revision::cancun) {
    // EIP-6780: the balance moves (to itself: it stays); only an account created in this
    // transaction is destroyed, at its end, and a balance sent to itself burns with it.
    transfer(self, beneficiary, amount);
  } else {
    check(state_.add_balance(beneficiary, amount));
    check(state_.sub_balance(self, balance(self)));
    touch(beneficiary);
  }
  if (revision_ == Revision::cancun && !created_.contains(self))
    return false;
  if (!destroyed_.insert(self).second)
    return false;
  journal_.push_back({ChangeKind::destroyed, self, {}, {}});
  return true;
}

void Evm::revert_to(const Snapshot& snapshot) {
  state_.rollback_to(snapshot.state);
  logs_.resize(snapshot.logs);
  while (journal_.size() > snapshot.journal) {
    const Change& change = journal_.back();
    switch (change.kind) {
      case ChangeKind::warm_account:
        warm_accounts_.erase(change.address);
        break;
      case ChangeKind::warm_slot:
        warm_slots_.erase({change.address, change.slot});
        break;
      case ChangeKind::transient:
        transient_[{change.address, change.slot}] = change.previous;
        break;
      case ChangeKind::touched:
        touched_.erase(change.address);
        break;
      case ChangeKind::created:
        created_.erase(change.address);
        break;
      case ChangeKind::destroyed:
        destroyed_.erase(change.address);
        break;
    }
    journal_.pop_back();
  }
}

void Evm::finalize() {
  for (const Address& address : destroyed_)
    state_.destroy_account(address);
  for (const Address& address : touched_) {
    const auto account = latch(state_.account(address), std::optional<Account>());
    if (account && account->is_empty())
      state_.destroy_account(address);
  }
}

// ---- Messages ----------------------------------------------------------------------------------

ExecResult Evm::run_precompile_message(const Message& message) {
  const PrecompileResult ran =
      run_precompile(message.code_address, message.input, static_cast<std::uint64_t>(message.gas));
  if (!ran.success || ran.gas_used > static_cast<std::uint64_t>(message.gas))
    return {EvmStatus::precompile_failure, 0, 0, {}, {}};
  return {
      EvmStatus::success, message.gas - static_cast<std::int64_t>(ran.gas_used), 0, ran.output, {}};
}

// CALL or STATICCALL (or a tx) to a system contract, after the value transfer.
ExecResult Evm::run_system_message(const Message& message) {
  const auto gas = static_cast<std::uint64_t>(message.gas);
  const SystemCallContext context{message.sender, message.value, message.is_static, state_};
  auto ran = system_contracts_->call(message.code_address, context, message.input, gas);
  if (!ran) {
    // A store failure, not the contract's: latched so the tx (and its block) is refused.
    check(std::unexpected(std::move(ran.error())));
    return {EvmStatus::system_call_failure, 0, 0, {}, {}};
  }
  TALLY_ASSERT(ran->gas_used <= gas);
  const auto gas_left = static_cast<std::int64_t>(gas - ran->gas_used);
  switch (ran->status) {
    case SystemCallResult::Status::success:
      return {EvmStatus::success, gas_left, 0, std::move(ran->output), {}};
    case SystemCallResult::Status::revert:
      return {EvmStatus::revert, gas_left, 0, std::move(ran->output), {}};
    case SystemCallResult::Status::failure:
      break;
  }
  return {EvmStatus::system_call_failure, 0, 0, {}, {}};
}

ExecResult Evm::call(const Message& message) {
  if (recorded_ != nullptr && message.depth > 0) {
    recorded_->push_back({message.kind, message.code_address, message.gas, message.value,
                          Bytes(message.input.begin(), message.input.end())});
    return {EvmStatus::success, message.gas, 0, {}, {}};
  }
  const bool system =
      system_contracts_ != nullptr && system_contracts_->contains(message.code_address);
  // A system contract keeps its state in its own account: its logic cannot run in another's.
  if (system && (message.kind == CallKind::delegatecall || message.kind == CallKind::callcode))
    return {EvmStatus::system_call_failure, 0, 0, {}, {}};
  const Snapshot before = snapshot();
  const bool precompile = revision_ == Revision::cancun && is_precompile(message.code_address);
  if (message.kind == CallKind::call) {
    // A value-less call to nothing creates nothing (and touches nothing).
    if (!precompile && !system && message.value.is_zero() && !exists(message.recipient))
      return {EvmStatus::success, message.gas, 0, {}, {}};
    if (!transfer(message.sender, message.recipient, message.value))
      return {EvmStatus::insufficient_balance, message.gas, 0, {}, {}};
  } else if (message.kind == CallKind::staticcall) {
    touch(message.recipient);
    check(state_.add_balance(message.recipient, 0));
  }
  ExecResult result;
  if (precompile) {
    result = run_precompile_message(message);
  } else if (system) {
    result = run_system_message(message);
  } else {
    const CodeAnalysis& analysis = code(message.code_address);
    if (analysis.size() == 0)
      return {EvmStatus::success, message.gas, 0, {}, {}};
    result = interpret(*this, message, analysis);
  }
  if (result.status != EvmStatus::success) {
    revert_to(before);
    if (result.status != EvmStatus::revert)
      result.gas_left = 0;
  }
  return result;
}

ExecResult Evm::create(const Message& message) {
  if (recorded_ != nullptr && message.depth > 0) {
    recorded_->push_back({message.kind, Address{}, message.gas, message.value,
                          Bytes(message.input.begin(), message.input.end())});
    return {EvmStatus::revert, message.gas, 0, {}, {}};
  }
  const auto sender = latch(state_.account(message.sender), std::optional<Account>());
  const std::uint64_t nonce = sender ? sender->nonce : 0;
  if (nonce == UINT64_MAX)
    return {EvmStatus::nonce_overflow, message.gas, 0, {}, {}};
  const Address address = message.kind == CallKind::create
                              ? create_address(message.sender, nonce)
                              : create2_address(message.sender, message.salt, message.input);
  check(state_.set_nonce(message.sender, nonce + 1));
  if (revision_ == Revision::cancun)
    access_account(address);

  // EIP-684 (and EIP-7610 for storage): never over an account that has nonce, code or storage.
  if (const auto target = latch(state_.account(address), std::optional<Account>())) {
    if (target->nonce != 0 || target->code_hash != empty_code_hash() ||
        target->storage_root != empty_trie_root(state_.suite()))
      return {EvmStatus::create_collision, 0, 0, {}, {}};
  }
  const Snapshot before = snapshot();
  check(state_.create_account(address));
  created_.insert(address);
  journal_.push_back({ChangeKind::created, address, {}, {}});
  if (revision_ == Revision::cancun)
    check(state_.set_nonce(address, 1));
  if (!transfer(message.sender, address, message.value)) {
    revert_to(before);
    return {EvmStatus::insufficient_balance, message.gas, 0, {}, {}};
  }

  Message frame = message;
  frame.recipient = address;
  frame.code_address = address;
  frame.input = {};
  const CodeAnalysis init_code(message.input);
  ExecResult result = finish_creation(interpret(*this, frame, init_code), address);
  if (result.status != EvmStatus::success) {
    revert_to(before);
    if (result.status != EvmStatus::revert)
      result.gas_left = 0;
  }
  return result;
}

ExecResult Evm::finish_creation(ExecResult result, const Address& address) {
  if (result.status != EvmStatus::success)
    return result;
  const Bytes& code = result.output;
  if (revision_ == Revision::cancun) {
    if (code.size() > kMaxCodeSize)
      return {EvmStatus::code_size_exceeded, 0, 0, {}, {}};
    if (!code.empty() && code[0] == 0xef)
      return {EvmStatus::invalid_code_prefix, 0, 0, {}, {}};
  }
  const std::int64_t deposit = kCodeDepositGas * static_cast<std::int64_t>(code.size());
  if (result.gas_left < deposit)
    return {EvmStatus::out_of_gas, 0, 0, {}, {}};
  result.gas_left -= deposit;
  check(state_.set_code(address, std::move(result.output)));
  result.output.clear();
  result.created_address = address;
  return result;
}

}  // namespace tally::chain
