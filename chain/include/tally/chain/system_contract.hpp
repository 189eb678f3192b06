#pragma once
// System contracts: consortium logic (governance, permissions, configuration, later the joint-loan
// ledger) written in C++ and called like Solidity contracts, at fixed addresses in the reserved
// range below. A contract declares its functions by Solidity signature, each with a handler, a
// mutability and a fixed gas cost; callers send ordinary ABI calldata and receive ABI-encoded
// results or an Error(string) revert, so ethers, web3 and Solidity interfaces work unchanged.
// The registry that dispatches calls to them is system_contracts.hpp.
//
// Reserved addresses: 0x0000000000000000000000000000000000001000 to ...1fff (4096 addresses),
// the first 18 bytes zero. Clear of Ethereum's precompiles (0x01-0x0a today; later forks and
// RIP-7212 use 0x0b-0x11 and 0x100) and where FISCO BCOS keeps its system contracts too.
//
// A handler sees its call through a SystemFrame: caller, value, and the storage of its own
// account. Writes are refused in read-only frames (view functions, and any function reached by a
// static call); a refused write makes the whole call fail as the EVM's SSTORE in a static context
// does, consuming all gas, whatever the handler returns afterwards. Handlers must be
// deterministic (no clock, randomness, unordered iteration) and may keep no state of their own:
// everything lives in storage, so reverts roll it back.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <tally/chain/abi.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

inline constexpr std::uint16_t kFirstSystemContract = 0x1000;
inline constexpr std::uint16_t kLastSystemContract = 0x1fff;

// 0x...1000 + index; index below 0x1000.
Address system_contract_address(std::uint16_t index);
bool is_system_contract_address(const Address& address) noexcept;

// The call as a handler sees it.
class SystemFrame {
 public:
  SystemFrame(WorldState& state,
              const Address& self,
              const Address& caller,
              const u256& value,
              bool read_only)
      : state_(state), self_(self), caller_(caller), value_(value), read_only_(read_only) {}

  const Address& self() const noexcept { return self_; }
  const Address& caller() const noexcept { return caller_; }
  const u256& value() const noexcept { return value_; }
  bool read_only() const noexcept { return read_only_; }

  // This contract's storage. Errors come from the stores, or (store) from a read-only frame.
  Result<u256> load(const u256& slot);
  Result<void> store(const u256& slot, const u256& value);

  bool write_refused() const noexcept { return write_refused_; }

 private:
  WorldState& state_;
  Address self_;
  Address caller_;
  u256 value_;
  bool read_only_;
  bool write_refused_ = false;
};

struct SystemRevert {
  std::string reason;
};

// A handler's outcome: return values (encoded with the function's output types) or a revert.
struct SystemReturn {
  std::variant<AbiValue::List, SystemRevert> outcome;

  static SystemReturn values(AbiValue::List values) { return {std::move(values)}; }
  static SystemReturn revert(std::string reason) { return {SystemRevert{std::move(reason)}}; }
};

// Arguments arrive decoded (one value per parameter). An error return means the node failed (a
// store error) and the block cannot be executed; contract-level refusals are reverts.
using SystemHandler =
    std::function<Result<SystemReturn>(SystemFrame& frame, const AbiValue::List& arguments)>;

enum class Mutability : std::uint8_t {
  view,        // read-only frame always
  nonpayable,  // a call with value reverts
  payable,
};

struct SystemFunction {
  AbiFunction function;  // name, argument types, canonical signature, selector
  AbiType outputs;       // a tuple
  Mutability mutability = Mutability::nonpayable;
  std::uint64_t gas = 0;  // charged on success and revert alike
  SystemHandler handler;
};

class SystemContract {
 public:
  explicit SystemContract(std::string name) : name_(std::move(name)) {}

  // Declares "name(types)" returning the tuple `outputs` ("()" for nothing, "(bool,uint256)").
  // malformed for a bad signature or output type; already_exists for a selector taken (two
  // signatures can collide on four bytes).
  Result<void> add(std::string_view signature,
                   std::string_view outputs,
                   Mutability mutability,
                   std::uint64_t gas,
                   SystemHandler handler);

  const std::string& name() const noexcept { return name_; }
  // The function with this selector, or nullptr.
  const SystemFunction* find(const Selector& selector) const noexcept;
  const std::vector<SystemFunction>& functions() const noexcept { return functions_; }

 private:
  std::string name_;
  std::vector<SystemFunction> functions_;  // few: searched linearly
};

}  // namespace tally::chain
