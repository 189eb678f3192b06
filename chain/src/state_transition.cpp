#include <tally/chain/gas_schedule.hpp>
#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/precompiles.hpp>
#include <tally/chain/state_transition.hpp>
#include <tally/chain/system_contracts.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

constexpr std::uint8_t kPrecompileCount = 10;  // 0x01..0x0a in Cancun

struct Prices {
  u256 effective;  // what the sender pays per gas
  u256 priority;   // what the coinbase receives per gas
};

Result<Prices> check_fees(const TxFields& fields, const BlockEnv& block) {
  if (fields.max_priority_fee_per_gas > fields.max_fee_per_gas)
    return fail(Errc::invalid_argument, "tx: max priority fee per gas above max fee per gas");
  if (fields.max_fee_per_gas < block.base_fee) {
    return fail(Errc::invalid_argument,
                str_cat("tx: max fee per gas ", fields.max_fee_per_gas.decimal(),
                        " below the base fee ", block.base_fee.decimal()));
  }
  const u256 headroom = fields.max_fee_per_gas - block.base_fee;
  const u256 priority = std::min(headroom, fields.max_priority_fee_per_gas);
  return Prices{block.base_fee + priority, priority};
}

// gas_limit * max_fee + value, the balance the sender must hold; overflow is a refusal.
Result<u256> upfront_cost(const TxFields& fields) {
  const u256 gas(fields.gas_limit);
  if (!gas.is_zero() && fields.max_fee_per_gas > u256::max() / gas)
    return fail(Errc::out_of_range, "tx: gas limit * max fee per gas overflows");
  const U256Carry total = add_with_carry(gas * fields.max_fee_per_gas, fields.value);
  if (total.carry)
    return fail(Errc::out_of_range, "tx: gas limit * max fee per gas + value overflows");
  return total.value;
}

Result<void> check_sender(WorldState& state,
                          const TxFields& fields,
                          const Address& sender,
                          const u256& cost) {
  TALLY_TRY(const auto account, state.account(sender));
  const Account found = account.value_or(Account::empty(state.suite()));
  if (found.nonce != fields.nonce) {
    return fail(Errc::invalid_argument,
                str_cat("tx: nonce ", fields.nonce, ", the sender's is ", found.nonce));
  }
  if (found.nonce == UINT64_MAX)
    return fail(Errc::out_of_range, "tx: the sender's nonce is at its maximum (EIP-2681)");
  if (found.code_hash != empty_code_hash())
    return fail(Errc::invalid_argument, "tx: the sender has code (EIP-3607)");
  if (found.balance < cost) {
    return fail(Errc::invalid_argument,
                str_cat("tx: the sender's balance ", found.balance.decimal(), " is below ",
                        cost.decimal()));
  }
  return {};
}

void warm_up(Evm& evm, const BlockEnv& block, const TxFields& fields, const Address& sender) {
  evm.access_account(sender);
  if (fields.to)
    evm.access_account(*fields.to);
  evm.access_account(block.coinbase);  // EIP-3651
  for (std::uint8_t i = 1; i <= kPrecompileCount; ++i) {
    Address precompile;
    precompile.bytes[19] = i;
    evm.access_account(precompile);
  }
  if (const SystemContracts* system_contracts = evm.system_contracts()) {
    for (const Address& address : system_contracts->addresses())
      evm.access_account(address);
  }
  for (const AccessListEntry& entry : fields.access_list) {
    evm.access_account(entry.address);
    for (const Hash256& key : entry.storage_keys)
      evm.access_slot(entry.address, u256::from_be(key));
  }
}

}  // namespace

Result<TxOutcome> apply_tx(WorldState& state,
                           CodeCache& code_cache,
                           const BlockEnv& block,
                           const TxFields& fields,
                           const Address& sender,
                           const SystemContracts* system_contracts) {
  TALLY_TRY(const std::uint64_t intrinsic, intrinsic_gas(fields));
  if (fields.gas_limit < intrinsic) {
    return fail(Errc::invalid_argument, str_cat("tx: gas limit ", fields.gas_limit,
                                                " below the intrinsic gas ", intrinsic));
  }
  if (fields.gas_limit > block.gas_limit) {
    return fail(Errc::invalid_argument, str_cat("tx: gas limit ", fields.gas_limit,
                                                " above the block's ", block.gas_limit));
  }
  if (fields.gas_limit > static_cast<std::uint64_t>(INT64_MAX))
    return fail(Errc::out_of_range, "tx: gas limit above 2^63 - 1");  // the EVM counts in int64
  if (fields.is_creation() && fields.data.size() > kMaxInitCodeSize)
    return fail(Errc::invalid_argument, "tx: init code above 49152 bytes (EIP-3860)");
  TALLY_TRY(const Prices prices, check_fees(fields, block));
  TALLY_TRY(const u256 cost, upfront_cost(fields));
  TALLY_TRY_VOID(check_sender(state, fields, sender, cost));

  // From here the tx is valid: it pays for its gas and uses its nonce whatever happens.
  const u256 gas_payment = u256(fields.gas_limit) * prices.effective;
  TALLY_TRY_VOID(state.sub_balance(sender, gas_payment));
  const TxEnv tx{sender, prices.effective};
  Evm evm(state, code_cache, block, tx, Revision::cancun, system_contracts);
  warm_up(evm, block, fields, sender);

  Message message;
  message.depth = 0;
  message.gas = static_cast<std::int64_t>(fields.gas_limit - intrinsic);
  message.sender = sender;
  message.value = fields.value;
  message.input = fields.data;
  ExecResult result;
  if (fields.to) {
    TALLY_TRY_VOID(state.set_nonce(sender, fields.nonce + 1));
    message.kind = CallKind::call;
    message.recipient = *fields.to;
    message.code_address = *fields.to;
    result = evm.call(message);
  } else {
    message.kind = CallKind::create;  // Evm::create increments the nonce
    result = evm.create(message);
  }

  const std::uint64_t gas_left = static_cast<std::uint64_t>(result.gas_left);
  std::uint64_t gas_used = fields.gas_limit - gas_left;
  if (result.status == EvmStatus::success && result.gas_refund > 0) {
    const std::uint64_t refund =
        std::min(static_cast<std::uint64_t>(result.gas_refund), gas_used / kMaxRefundQuotient);
    gas_used -= refund;
  }
  TALLY_TRY_VOID(state.add_balance(sender, u256(fields.gas_limit - gas_used) * prices.effective));
  TALLY_TRY_VOID(state.add_balance(block.coinbase, u256(gas_used) * prices.priority));
  evm.touch(block.coinbase);
  evm.finalize();
  if (evm.store_error())
    return std::unexpected(*evm.store_error());
  state.end_tx();

  TxOutcome outcome;
  outcome.status = result.status;
  outcome.gas_used = gas_used;
  if (result.status == EvmStatus::success)
    outcome.logs = evm.logs();
  outcome.output = std::move(result.output);
  outcome.contract_address = result.created_address;
  return outcome;
}

}  // namespace tally::chain
