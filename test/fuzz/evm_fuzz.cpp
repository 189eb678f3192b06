// Arbitrary bytecode through the EVM: installed as a contract and called, and run as init code,
// each under a gas cap. No crash, no undefined behaviour, and the accounting holds: the gas used
// stays within the limit, the sender pays for all of it, and the state still commits.
#include <cstddef>
#include <cstdint>

#include <tally/chain/state_transition.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/assert.hpp>

namespace {

using namespace tally;
using namespace tally::chain;

constexpr std::uint64_t kGasLimit = 1'000'000;

Address address(Byte value) {
  Address out;
  out.bytes[19] = value;
  out.bytes[0] = 0xbb;
  return out;
}

void run(BytesView bytecode, bool as_init_code) {
  const CryptoSuite suite(SuiteId::standard);
  MemoryNodeStore nodes;
  MemoryCodeStore code;
  WorldState state(suite, nodes, code, empty_trie_root(suite));
  const Address sender = address(1);
  const Address contract = address(2);
  const u256 funds(1'000'000'000'000ULL);
  TALLY_ASSERT(state.add_balance(sender, funds));
  TALLY_ASSERT(state.set_code(contract, Bytes(bytecode.begin(), bytecode.end())));
  TALLY_ASSERT(state.add_balance(contract, 1000));
  // A second copy of the code, so calls between contracts happen too.
  TALLY_ASSERT(state.set_code(address(3), Bytes(bytecode.begin(), bytecode.end())));

  BlockEnv block;
  block.coinbase = address(9);
  block.number = 300;
  block.gas_limit = kGasLimit;
  block.base_fee = 1;
  TxFields fields;
  fields.chain_id = 1;
  fields.set_gas_price(1);
  fields.gas_limit = kGasLimit;
  fields.value = 1;
  if (as_init_code)
    fields.data.assign(bytecode.begin(), bytecode.end());
  else
    fields.to = contract;

  CodeCache cache;
  const auto outcome = apply_tx(state, cache, block, fields, sender);
  if (!outcome)
    return;  // refused (init code above the EIP-3860 limit): nothing to check
  TALLY_ASSERT(outcome->gas_used <= kGasLimit);
  const auto payer = state.account(sender).value();
  TALLY_ASSERT(payer && payer->nonce == 1);
  // The sender paid for every unit of gas used; at most the contracts' 1000 came back to it.
  TALLY_ASSERT(payer->balance + u256(outcome->gas_used) <= funds + u256(1000));
  NodeBatch batch;
  CodeBatch new_code;
  TALLY_ASSERT(state.commit(batch, new_code));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const BytesView bytecode(data, size);
  run(bytecode, false);
  run(bytecode, true);
  return 0;
}
