#include <algorithm>

#include <tally/chain/system_contract.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

Address system_contract_address(std::uint16_t index) {
  TALLY_ASSERT(index <= kLastSystemContract - kFirstSystemContract);
  const auto value = static_cast<std::uint16_t>(kFirstSystemContract + index);
  Address out;
  out.bytes[18] = static_cast<Byte>(value >> 8);
  out.bytes[19] = static_cast<Byte>(value & 0xff);
  return out;
}

bool is_system_contract_address(const Address& address) noexcept {
  if (!std::all_of(address.bytes.begin(), address.bytes.begin() + 18,
                   [](Byte b) { return b == 0; }))
    return false;
  const auto value = static_cast<std::uint16_t>((address.bytes[18] << 8) | address.bytes[19]);
  return value >= kFirstSystemContract && value <= kLastSystemContract;
}

Result<u256> SystemFrame::load(const u256& slot) {
  return state_.storage(self_, slot);
}

Result<void> SystemFrame::store(const u256& slot, const u256& value) {
  if (read_only_) {
    write_refused_ = true;
    return fail(Errc::unsupported,
                str_cat("system contract ", self_.hex(), ": storage write in a read-only call"));
  }
  return state_.set_storage(self_, slot, value);
}

Result<void> SystemContract::add(std::string_view signature,
                                 std::string_view outputs,
                                 Mutability mutability,
                                 std::uint64_t gas,
                                 SystemHandler handler) {
  auto function = parse_function_signature(signature);
  if (!function)
    return std::unexpected(function.error());
  auto output_type = AbiType::parse(outputs);
  if (!output_type)
    return std::unexpected(output_type.error());
  if (output_type->kind() != AbiType::Kind::tuple)
    return fail(Errc::malformed,
                str_cat("system contract ", name_, ": outputs of ", signature, " are not a tuple"));
  if (const SystemFunction* taken = find(function->selector))
    return fail(Errc::already_exists,
                str_cat("system contract ", name_, ": selector ", function->selector.hex(), " of ",
                        function->signature, " is taken by ", taken->function.signature));
  TALLY_ASSERT(handler != nullptr);
  functions_.push_back(SystemFunction{std::move(*function), std::move(*output_type), mutability,
                                      gas, std::move(handler)});
  return {};
}

const SystemFunction* SystemContract::find(const Selector& selector) const noexcept {
  for (const SystemFunction& function : functions_) {
    if (function.function.selector == selector)
      return &function;
  }
  return nullptr;
}

}  // namespace tally::chain
