#pragma once
// The transaction-level state transition (Cancun rules; the chain has no blob transactions):
//   1. checks against the state (nonce, EIP-3607 sender without code, EIP-2681 nonce limit, gas
//      limit within the block's, fee caps against the base fee, balance for gas_limit * max fee +
//      value, intrinsic gas, EIP-3860 init code size); a failed check is an Error and nothing
//      changes;
//   2. buys the gas at the effective price min(max_fee, base_fee + priority_fee) (zero is fine:
//      gas still bounds the work), increments the nonce, warms the sender, the recipient, the
//      coinbase (EIP-3651), the precompiles, the system contracts and the access list
//      (EIP-2929/2930);
//   3. runs the call or creation; failure rolls back its effects, keeping the nonce and payment;
//   4. refunds at most a fifth of the gas used (EIP-3529), returns the unused gas to the sender,
//      pays the priority fee per gas used to the coinbase (the base fee is burnt, EIP-1559);
//   5. destroys EIP-6780 self-destructed and EIP-161 touched empty accounts; ends the tx in the
//      WorldState (original storage values reset).

#include <cstdint>
#include <vector>

#include <tally/chain/code_analysis.hpp>
#include <tally/chain/evm.hpp>
#include <tally/chain/evm_env.hpp>
#include <tally/chain/receipt.hpp>
#include <tally/chain/transaction.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

struct TxOutcome {
  EvmStatus status = EvmStatus::success;
  std::uint64_t gas_used = 0;  // after the refund: what the sender paid for
  std::vector<Log> logs;       // empty unless the execution succeeded
  Bytes output;                // return or revert data
  Address contract_address;    // for a successful creation
  bool success() const noexcept { return status == EvmStatus::success; }
};

// Applies `fields`, sent by `sender` (already recovered from the signature), to `state`. An
// invalid tx is refused (invalid_argument or out_of_range naming the rule) and leaves the state as
// it was; store errors are returned too. `code_cache` may be shared by the txs of a block.
// `system_contracts` (null: none) run at their addresses and are warm from the start.
Result<TxOutcome> apply_tx(WorldState& state,
                           CodeCache& code_cache,
                           const BlockEnv& block,
                           const TxFields& fields,
                           const Address& sender,
                           const SystemContracts* system_contracts = nullptr);

}  // namespace tally::chain
