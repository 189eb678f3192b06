// SystemContracts::call on any calldata, against a small contract with dynamic arguments: no
// crash, gas within the limit, a revert carries Error(string) data and leaves storage as it was,
// a failure consumes all gas. The first byte picks static or not and the gas; the rest is input.
#include <cstddef>
#include <cstdint>

#include <tally/chain/system_contracts.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/assert.hpp>

namespace {

using namespace tally;
using namespace tally::chain;

SystemContracts make_contracts() {
  SystemContract contract("Fuzzed");
  const auto store_sum = [](SystemFrame& frame,
                            const AbiValue::List& args) -> Result<SystemReturn> {
    u256 sum = 0;
    for (const AbiValue& value : args[1].list_value())
      sum += value.uint_value();
    if (sum.is_zero())
      return SystemReturn::revert("sum is zero");
    TALLY_TRY_VOID(frame.store(1, sum));
    return SystemReturn::values({AbiValue::string(args[0].string_value()), AbiValue::uint(sum)});
  };
  TALLY_ASSERT(contract.add("store(string,uint64[])", "(string,uint256)", Mutability::nonpayable,
                            2000, store_sum));
  const auto nested = [](SystemFrame&, const AbiValue::List& args) -> Result<SystemReturn> {
    return SystemReturn::values({AbiValue::uint(args[0].list_value().size())});
  };
  TALLY_ASSERT(
      contract.add("nested((bytes,address)[2][])", "(uint256)", Mutability::view, 500, nested));
  SystemContracts contracts;
  TALLY_ASSERT(contracts.add(system_contract_address(0), std::move(contract)));
  return contracts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const SystemContracts contracts = make_contracts();
  if (size == 0)
    return 0;
  const CryptoSuite suite(SuiteId::standard);
  MemoryNodeStore nodes;
  MemoryCodeStore code;
  WorldState state(suite, nodes, code, empty_trie_root(suite));
  const Address to = system_contract_address(0);
  const bool is_static = (data[0] & 1) != 0;
  const std::uint64_t gas = std::uint64_t{data[0]} * 100;
  TALLY_ASSERT(state.set_storage(to, 1, 7).has_value());
  const SystemCallContext context{Address{}, 0, is_static, state};
  const auto result = contracts.call(to, context, BytesView(data + 1, size - 1), gas);
  TALLY_ASSERT(result.has_value());  // memory stores never fail
  TALLY_ASSERT(result->gas_used <= gas);
  const u256 slot = state.storage(to, 1).value();
  switch (result->status) {
    case SystemCallResult::Status::success:
      break;
    case SystemCallResult::Status::revert:
      TALLY_ASSERT(decode_error_reason(result->output).has_value());
      TALLY_ASSERT(slot == u256(7));
      break;
    case SystemCallResult::Status::failure:
      TALLY_ASSERT(result->gas_used == gas && result->output.empty());
      TALLY_ASSERT(slot == u256(7));
      break;
  }
  return 0;
}
