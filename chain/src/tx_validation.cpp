#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/tx_validation.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {
namespace {

bool product_fits_256_bits(std::uint64_t a, const u256& b) noexcept {
  const U512Limbs product = mul_full(u256(a), b);
  return (product[4] | product[5] | product[6] | product[7]) == 0;
}

Result<void> check_fees(const TxFields& fields) {
  if (fields.max_priority_fee_per_gas > fields.max_fee_per_gas) {
    return fail(Errc::out_of_range,
                str_cat("tx max priority fee per gas: ", fields.max_priority_fee_per_gas.decimal(),
                        " is above the max fee per gas ", fields.max_fee_per_gas.decimal()));
  }
  if (!product_fits_256_bits(fields.gas_limit, fields.max_fee_per_gas)) {
    return fail(Errc::overflow,
                str_cat("tx gas limit ", fields.gas_limit, " times max fee per gas ",
                        fields.max_fee_per_gas.decimal(), " exceeds 2^256 - 1"));
  }
  return {};
}

Result<void> check_gas(const TxFields& fields) {
  if (fields.is_creation() && fields.data.size() > kMaxInitCodeSize) {
    return fail(Errc::limit_exceeded, str_cat("tx data: init code of ", fields.data.size(),
                                              " bytes; at most ", kMaxInitCodeSize, " (EIP-3860)"));
  }
  const auto intrinsic = intrinsic_gas(fields);
  if (!intrinsic)
    return std::unexpected(intrinsic.error());
  if (fields.gas_limit < *intrinsic) {
    return fail(Errc::out_of_range, str_cat("tx gas limit: ", fields.gas_limit,
                                            " is below the intrinsic gas ", *intrinsic));
  }
  return {};
}

}  // namespace

Result<void> check_chain_id(const TxFields& fields,
                            std::uint64_t chain_id,
                            ReplayProtection replay_protection) {
  if (!fields.chain_id) {
    if (replay_protection == ReplayProtection::optional)
      return {};
    return fail(Errc::invalid_argument,
                str_cat("tx chain id: none (signed without EIP-155), and chain ", chain_id,
                        " requires replay protection"));
  }
  if (*fields.chain_id != chain_id) {
    return fail(Errc::invalid_argument,
                str_cat("tx chain id: ", *fields.chain_id, ", but this is chain ", chain_id));
  }
  return {};
}

Result<void> validate_tx(const TxFields& fields, const TxRules& rules) {
  if (auto chain = check_chain_id(fields, rules.chain_id, rules.replay_protection); !chain)
    return chain;
  if (fields.nonce > kMaxTxNonce) {
    return fail(Errc::out_of_range,
                str_cat("tx nonce: ", fields.nonce, " is above ", kMaxTxNonce, " (EIP-2681)"));
  }
  if (auto fees = check_fees(fields); !fees)
    return fees;
  return check_gas(fields);
}

}  // namespace tally::chain
