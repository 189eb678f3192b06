#include <tally/chain/system_contracts.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

using Status = SystemCallResult::Status;

SystemCallResult failure(std::uint64_t gas) {
  return {Status::failure, gas, {}};
}

SystemCallResult revert(std::uint64_t gas_used, std::string_view reason) {
  return {Status::revert, gas_used, encode_error_reason(reason)};
}

// kSystemCallBaseGas + kSystemCallWordGas per word of input; nullopt past 2^64 - 1.
std::optional<std::uint64_t> base_price(std::size_t input_size) {
  const std::uint64_t words = input_size / 32 + (input_size % 32 != 0 ? 1 : 0);
  std::uint64_t price = 0;
  if (__builtin_mul_overflow(words, kSystemCallWordGas, &price) ||
      __builtin_add_overflow(price, kSystemCallBaseGas, &price))
    return std::nullopt;
  return price;
}

}  // namespace

Result<void> SystemContracts::add(const Address& address, SystemContract contract) {
  if (!is_system_contract_address(address))
    return fail(Errc::invalid_argument,
                str_cat("system contracts: ", address.hex(), " is outside the reserved range"));
  if (contracts_.contains(address))
    return fail(Errc::already_exists, str_cat("system contracts: ", address.hex(), " is taken"));
  contracts_.emplace(address, std::move(contract));
  return {};
}

bool SystemContracts::contains(const Address& address) const noexcept {
  return contracts_.contains(address);
}

const SystemContract* SystemContracts::find(const Address& address) const noexcept {
  const auto found = contracts_.find(address);
  return found == contracts_.end() ? nullptr : &found->second;
}

std::vector<Address> SystemContracts::addresses() const {
  std::vector<Address> out;
  out.reserve(contracts_.size());
  for (const auto& entry : contracts_)
    out.push_back(entry.first);
  return out;
}

Result<SystemCallResult> SystemContracts::call(const Address& to,
                                               const SystemCallContext& context,
                                               BytesView input,
                                               std::uint64_t gas) const {
  const SystemContract* contract = find(to);
  TALLY_ASSERT(contract != nullptr);
  const auto dispatch_price = base_price(input.size());
  if (!dispatch_price || *dispatch_price > gas)
    return failure(gas);
  if (input.size() < Selector::kSize)
    return revert(*dispatch_price, str_cat(contract->name(), ": no function selector"));
  Selector selector;
  std::copy_n(input.begin(), Selector::kSize, selector.bytes.begin());
  const SystemFunction* function = contract->find(selector);
  if (function == nullptr)
    return revert(*dispatch_price,
                  str_cat(contract->name(), ": unknown function selector ", selector.hex()));
  std::uint64_t price = 0;
  if (__builtin_add_overflow(*dispatch_price, function->gas, &price) || price > gas)
    return failure(gas);
  const std::string& signature = function->function.signature;
  if (!context.value.is_zero() && function->mutability != Mutability::payable)
    return revert(price, str_cat(contract->name(), ": ", signature, " is not payable"));
  const auto arguments = abi_decode(function->function.inputs, input.subspan(Selector::kSize));
  if (!arguments)
    return revert(price, str_cat(contract->name(), ": bad arguments to ", signature, ": ",
                                 arguments.error().message));

  WorldState& state = context.state;
  const std::size_t checkpoint = state.checkpoint();
  SystemFrame frame(state, to, context.caller, context.value,
                    context.is_static || function->mutability == Mutability::view);
  // The decoded argument tuple is a list, one value per parameter.
  auto outcome = function->handler(frame, arguments->list_value());
  if (frame.write_refused()) {
    state.rollback_to(checkpoint);
    return failure(gas);
  }
  if (!outcome) {
    state.rollback_to(checkpoint);
    return std::unexpected(std::move(outcome.error()));
  }
  if (const auto* reverted = std::get_if<SystemRevert>(&outcome->outcome)) {
    state.rollback_to(checkpoint);
    return revert(price, reverted->reason);
  }
  // Values that do not match the declared outputs are a bug in the contract.
  auto output = abi_encode(function->outputs,
                           AbiValue::list(std::get<AbiValue::List>(std::move(outcome->outcome))));
  TALLY_ASSERT(output.has_value());
  return SystemCallResult{Status::success, price, std::move(*output)};
}

}  // namespace tally::chain
