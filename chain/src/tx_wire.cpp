#include "tx_wire.hpp"

#include <tally/core/assert.hpp>
#include <tally/core/secp256k1.hpp>
#include <tally/core/sm2.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain::detail {

u256 legacy_v(const LegacyV& v) noexcept {
  if (!v.chain_id)
    return u256(kLegacyVBase + v.y_parity);
  // chain_id * 2 + 35 + parity can pass 2^64, so in 256 bits.
  return (u256(*v.chain_id) << 1) + u256(kEip155VBase + v.y_parity);
}

Result<LegacyV> parse_legacy_v(const u256& v) {
  if (v == u256(kLegacyVBase) || v == u256(kLegacyVBase + 1))
    return LegacyV{std::nullopt, static_cast<std::uint8_t>(v.low_u64() - kLegacyVBase)};
  if (v < u256(kEip155VBase)) {
    return fail(Errc::malformed, str_cat("v = ", v.low_u64(),
                                         " is neither 27/28 nor an EIP-155 value (35 or more)"));
  }
  const u256 offset = v - u256(kEip155VBase);
  const u256 chain_id = offset >> 1;
  if (!chain_id.fits_u64())
    return fail(Errc::out_of_range, str_cat("v = ", v.hex(), " names a chain id above 2^64 - 1"));
  return LegacyV{chain_id.low_u64(), static_cast<std::uint8_t>(offset.low_u64() & 1)};
}

Result<void> check_signature_values(const Signature& signature) {
  if (signature.suite() == SuiteId::guomi)
    return sm2::check_scalar_range(signature.guomi());
  const secp256k1::Signature parts = signature.standard();
  if (parts.v > 1)
    return fail(Errc::malformed, str_cat("y parity ", parts.v, " is not 0 or 1"));
  TALLY_TRY_VOID(secp256k1::check_scalar_range(parts));
  // EIP-2: of s and n - s only the low one is valid, so no third party can re-sign a tx to a new
  // hash. SM2 has no such twin signature, so guomi needs no rule here.
  if (!secp256k1::is_low_s(parts.s))
    return fail(Errc::malformed, "s is above n/2 (EIP-2)");
  return {};
}

void add_unsigned_fields(RlpWriter& writer, const TxFields& fields) {
  if (fields.type != TxType::legacy) {
    TALLY_ASSERT(fields.chain_id.has_value());
    writer.add_uint(*fields.chain_id);
  }
  writer.add_uint(fields.nonce);
  if (fields.type == TxType::dynamic_fee)
    writer.add_uint_bytes(fields.max_priority_fee_per_gas.to_be().view());
  writer.add_uint_bytes(fields.max_fee_per_gas.to_be().view());
  writer.add_uint(fields.gas_limit);
  writer.add_string(fields.to ? fields.to->view() : BytesView{});
  writer.add_uint_bytes(fields.value.to_be().view());
  writer.add_string(fields.data);
  if (fields.type == TxType::legacy)
    return;
  writer.begin_list();
  for (const AccessListEntry& entry : fields.access_list) {
    writer.begin_list();
    writer.add_string(entry.address.view());
    writer.begin_list();
    for (const Hash256& key : entry.storage_keys)
      writer.add_string(key.view());
    writer.end_list();
    writer.end_list();
  }
  writer.end_list();
}

std::unexpected<Error> error_at(std::string_view place, const Error& error) {
  return fail(error.code, str_cat(place, ": ", error.message));
}

}  // namespace tally::chain::detail
