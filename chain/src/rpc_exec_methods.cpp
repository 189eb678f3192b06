// State reads at a block (balance, code, storage, nonce) and execution without commit (eth_call,
// eth_estimateGas): a WorldState opened at the block's state root over the ledger, thrown away.
#include <tally/chain/abi.hpp>
#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/ledger_store.hpp>
#include <tally/chain/state_transition.hpp>
#include <tally/core/str_cat.hpp>

#include "rpc_state.hpp"

namespace tally::chain::rpc {
namespace {

// A state read: the address param at 0, the block at `block_index`.
struct StateAt {
  BlockHeader header;
  Address address;
};

std::expected<StateAt, RpcError> state_at(Call& call, std::size_t block_index) {
  TALLY_TRY(auto address, checked(parse_eth_address(param(call, 0), "address")));
  TALLY_TRY(auto header, state_header(call, param(call, block_index)));
  return StateAt{std::move(header), address};
}

RpcResult eth_get_balance(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 2));
  TALLY_TRY(auto at, state_at(call, 1));
  LedgerStore store(call.ledger);
  WorldState state(call.state.suite, store, store, at.header.state_root);
  TALLY_TRY(auto account, checked(state.account(at.address)));
  return json::value(eth_quantity(account ? account->balance : u256(0)));
}

RpcResult eth_get_code(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 2));
  TALLY_TRY(auto at, state_at(call, 1));
  LedgerStore store(call.ledger);
  WorldState state(call.state.suite, store, store, at.header.state_root);
  TALLY_TRY(auto code, checked(state.code(at.address)));
  return json::value(eth_data(code));
}

// A slot as clients send it: hex of at most 32 bytes, leading zeros allowed (geth accepts both
// the quantity and the 32-byte data form).
std::expected<u256, RpcError> parse_slot(const json::value& value) {
  if (!value.is_string())
    return rpc_fail(kInvalidParams, "slot: expected a hex string");
  const std::string_view text = value.get_string();
  if (text.size() < 3 || text.size() > 66 || text[0] != '0' || text[1] != 'x')
    return rpc_fail(kInvalidParams, "slot: expected 0x and at most 64 hex digits");
  return checked(u256::from_hex(text));
}

RpcResult eth_get_storage_at(Call& call) {
  TALLY_TRY_VOID(param_count(call, 2, 3));
  TALLY_TRY(auto slot, parse_slot(param(call, 1)));
  TALLY_TRY(auto at, state_at(call, 2));
  LedgerStore store(call.ledger);
  WorldState state(call.state.suite, store, store, at.header.state_root);
  TALLY_TRY(auto value, checked(state.storage(at.address, slot)));
  return json::value(value.to_be().hex());
}

bool is_pending_tag(const json::value& value) {
  return value.is_string() && value.get_string() == "pending";
}

RpcResult eth_get_transaction_count(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 2));
  TALLY_TRY(auto at, state_at(call, 1));
  if (is_pending_tag(param(call, 1))) {
    if (const auto pending = call.state.node.pending_nonce(at.address))
      return json::value(eth_quantity(*pending));
  }
  LedgerStore store(call.ledger);
  WorldState state(call.state.suite, store, store, at.header.state_root);
  TALLY_TRY(auto account, checked(state.account(at.address)));
  return json::value(eth_quantity(account ? account->nonce : 0U));
}

// ---- Execution

struct Execution {
  BlockHeader header;
  CallRequest request;
};

std::expected<Execution, RpcError> execution_params(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 3));
  TALLY_TRY(auto request, checked(parse_call_request(param(call, 0))));
  TALLY_TRY(auto header, state_header(call, param(call, 1)));
  if (!param(call, 2).is_null())
    return rpc_fail(kInvalidParams, "state overrides are not supported");
  return Execution{std::move(header), std::move(request)};
}

BlockEnv block_env(Call& call, const BlockHeader& header) {
  BlockEnv env;
  env.coinbase = header.beneficiary;
  env.number = header.block_number;
  env.timestamp = header.timestamp;
  env.gas_limit = header.gas_limit;
  env.base_fee = header.base_fee_per_gas.value_or(u256(0));
  env.prev_randao = header.mix_hash;
  env.difficulty = header.difficulty;
  env.chain_id = call.state.node.chain_id();
  Ledger* ledger = &call.ledger;
  const CryptoSuite suite = call.state.suite;
  env.block_hash = [ledger, suite](std::uint64_t number) {
    auto found = ledger->header_by_number(number);
    return (found && *found) ? block_hash_of(**found, suite) : Hash256{};
  };
  return env;
}

// The request as a tx from `from` with the nonce it has now (eth_call does not check nonces).
TxFields call_fields(const Execution& execution,
                     std::uint64_t nonce,
                     std::uint64_t gas,
                     u256 price) {
  const CallRequest& request = execution.request;
  TxFields fields;
  fields.type = TxType::dynamic_fee;
  fields.nonce = nonce;
  fields.max_fee_per_gas = request.max_fee_per_gas.value_or(price);
  fields.max_priority_fee_per_gas = request.max_priority_fee_per_gas.value_or(price);
  fields.gas_limit = gas;
  fields.to = request.to;
  fields.value = request.value;
  fields.data = request.data;
  fields.access_list = request.access_list;
  return fields;
}

// Runs the request with `gas` on a throw-away state at the block; nothing is kept.
Result<TxOutcome> run(Call& call, const Execution& execution, std::uint64_t gas) {
  LedgerStore store(call.ledger);
  WorldState state(call.state.suite, store, store, execution.header.state_root);
  const Address from = execution.request.from.value_or(Address{});
  TALLY_TRY(auto account, state.account(from));
  const std::uint64_t nonce = account ? account->nonce : 0;
  const TxFields fields =
      call_fields(execution, nonce, gas, execution.request.gas_price.value_or(u256(0)));
  CodeCache cache;
  const BlockEnv env = block_env(call, execution.header);
  return apply_tx(state, cache, env, fields, from, call.state.node.system_contracts());
}

RpcError reverted(const TxOutcome& outcome) {
  std::string message = "execution reverted";
  if (auto reason = decode_error_reason(outcome.output))
    message = str_cat(message, ": ", *reason);
  return RpcError{kExecutionReverted, std::move(message), json::value(eth_data(outcome.output))};
}

std::uint64_t gas_cap(const Execution& execution) {
  const std::uint64_t limit = execution.header.gas_limit;
  return execution.request.gas ? std::min(*execution.request.gas, limit) : limit;
}

RpcResult eth_call(Call& call) {
  TALLY_TRY(auto execution, execution_params(call));
  auto outcome = run(call, execution, gas_cap(execution));
  if (!outcome)
    return rpc_fail(kServerError, outcome.error().message);
  if (outcome->status == EvmStatus::revert)
    return std::unexpected(reverted(*outcome));
  if (!outcome->success())
    return rpc_fail(kServerError, std::string(evm_status_name(outcome->status)));
  return json::value(eth_data(outcome->output));
}

// The lowest gas limit with which the request succeeds, by bisection between a limit that fails
// (or is below the intrinsic cost) and one that succeeds, as geth does.
RpcResult eth_estimate_gas(Call& call) {
  TALLY_TRY(auto execution, execution_params(call));
  std::uint64_t high = gas_cap(execution);
  auto outcome = run(call, execution, high);
  if (!outcome)
    return rpc_fail(kServerError, outcome.error().message);
  if (outcome->status == EvmStatus::revert)
    return std::unexpected(reverted(*outcome));
  if (!outcome->success())
    return rpc_fail(kServerError, str_cat("gas required exceeds allowance (", high,
                                          "): ", evm_status_name(outcome->status)));
  // Below what it used it cannot succeed.
  std::uint64_t low = outcome->gas_used > 0 ? outcome->gas_used - 1 : 0;
  while (low + 1 < high) {
    const std::uint64_t middle = low + (high - low) / 2;
    auto attempt = run(call, execution, middle);
    if (attempt && attempt->success())
      high = middle;
    else
      low = middle;
  }
  return json::value(eth_quantity(high));
}

}  // namespace

void add_exec_methods(MethodTable& table) {
  table.emplace("eth_getBalance", eth_get_balance);
  table.emplace("eth_getCode", eth_get_code);
  table.emplace("eth_getStorageAt", eth_get_storage_at);
  table.emplace("eth_getTransactionCount", eth_get_transaction_count);
  table.emplace("eth_call", eth_call);
  table.emplace("eth_estimateGas", eth_estimate_gas);
}

}  // namespace tally::chain::rpc
