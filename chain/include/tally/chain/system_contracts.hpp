#pragma once
// The registry of system contracts (system_contract.hpp) and the single entry point through which
// the EVM calls them, from a transaction sent to one and from CALL/STATICCALL inside contracts.
//
// A call: the input's first four bytes pick the function; the rest is decoded strictly as its
// arguments; the handler runs against the world state; the results are ABI-encoded. Outcomes:
//   success  output = the encoded results; gas_used = the price below
//   revert   output = Error(string) revert data; gas_used = the price (a revert refunds the rest)
//            -- unknown selector, input shorter than a selector, arguments that do not decode,
//            value sent to a function that is not payable, or the handler's own revert
//   failure  gas_used = all gas given, no output -- gas below the price, or a write attempted in
//            a read-only frame (a static call, or a view function)
// Price: kSystemCallBaseGas + kSystemCallWordGas per 32-byte word of input (rounded up), plus the
// function's declared gas. On revert and failure every state change of the call is rolled back
// here (to a WorldState checkpoint taken on entry), so the registry is safe on its own; the
// EVM's own call frame rolls back its value transfer as for any failed call.
//
// Hooking into the interpreter (the EVM's side):
//   - CALL and STATICCALL to an address with contains(to): transfer value as for any call, then
//     call(to, {caller = the calling contract, value, is_static = frame is static or STATICCALL,
//     state}, input, gas given to the callee); the result sets returndata and the gas left
//     (gas - gas_used), and success pushes 1 on the stack, revert and failure 0.
//   - A tx to a system contract does the same with caller = the tx sender, is_static = false.
//   - DELEGATECALL and CALLCODE to a system contract fail (all gas): its logic keeps its state in
//     its own account and cannot run in another's.
//   - Treat these addresses as warm from the start (EIP-2929), like precompiles.
//   - Genesis should give each registered address one byte of code (0xfe, INVALID, never run):
//     Solidity checks extcodesize before some calls, and EIP-161 would delete an account with
//     storage but no code, nonce or balance once touched.
//   - An Error result from call() is a store failure: abort the block, do not treat it as a revert.

#include <cstdint>
#include <map>
#include <vector>

#include <tally/chain/system_contract.hpp>

namespace tally::chain {

inline constexpr std::uint64_t kSystemCallBaseGas = 100;
inline constexpr std::uint64_t kSystemCallWordGas = 3;

struct SystemCallContext {
  Address caller;
  u256 value;
  bool is_static = false;
  WorldState& state;
};

struct SystemCallResult {
  enum class Status : std::uint8_t { success, revert, failure };

  Status status = Status::failure;
  std::uint64_t gas_used = 0;
  Bytes output;
};

class SystemContracts {
 public:
  // invalid_argument for an address outside the reserved range; already_exists if taken.
  Result<void> add(const Address& address, SystemContract contract);

  bool contains(const Address& address) const noexcept;
  const SystemContract* find(const Address& address) const noexcept;
  // The registered addresses, ascending (the EVM warms them at the start of every tx).
  std::vector<Address> addresses() const;

  // `to` must be registered (contains). Errors only from the stores.
  Result<SystemCallResult> call(const Address& to,
                                const SystemCallContext& context,
                                BytesView input,
                                std::uint64_t gas) const;

 private:
  std::map<Address, SystemContract> contracts_;
};

}  // namespace tally::chain
