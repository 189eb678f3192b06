#include <tally/chain/block_header.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/rlp_u256.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
Bytes BlockHeader::encode() const {
  RlpWriter writer;
  writer.begin_list();
  writer.add_string(parent_hash.view());
  writer.add_string(ommers_hash.view());
  writer.add_string(beneficiary.view());
  writer.add_string(state_root.view());
  writer.add_string(transactions_root.view());
  writer.add_string(receipts_root.view());
  writer.add_string(logs_bloom.bits().view());
  add_rlp_u256(writer, difficulty);
  writer.add_uint(block_number);
  writer.add_uint(gas_limit);
  writer.add_uint(gas_used);
  writer.add_uint(timestamp);
  writer.add_string(extra_data);
  writer.add_string(mix_hash.view());
  writer.add_string(nonce.view());
  if (base_fee_per_gas)
    add_rlp_u256(writer, *base_fee_per_gas);
  writer.end_list();
  return writer.finish();
}

Result<BlockHeader> BlockHeader::decode(BytesView encoded) {
  constexpr std::string_view kWhere = "block header";
  TALLY_TRY(RlpReader r, in_context(rlp_open_list(encoded), kWhere));
  const auto at = [](std::string_view name) { return str_cat("block header: ", name); };
  BlockHeader h;
  TALLY_TRY(h.parent_hash, in_context(r.read_fixed<32>(), at("parent_hash")));
  TALLY_TRY(h.ommers_hash, in_context(r.read_fixed<32>(), at("ommers_hash")));
  TALLY_TRY(h.beneficiary, in_context(r.read_fixed<20>(), at("beneficiary")));
  TALLY_TRY(h.state_root, in_context(r.read_fixed<32>(), at("state_root")));
  TALLY_TRY(h.transactions_root, in_context(r.read_fixed<32>(), at("transactions_root")));
  TALLY_TRY(h.receipts_root, in_context(r.read_fixed<32>(), at("receipts_root")));
  TALLY_TRY(const auto bloom, in_context(r.read_fixed<Bloom::kSize>(), at("logs_bloom")));
  h.logs_bloom = Bloom(bloom);
  TALLY_TRY(h.difficulty, in_context(read_rlp_u256(r), at("difficulty")));
  TALLY_TRY(h.block_number, in_context(r.read_uint64(), at("block_number")));
  TALLY_TRY(h.gas_limit, in_context(r.read_uint64(), at("gas_limit")));
  TALLY_TRY(h.gas_used, in_context(r.read_uint64(), at("gas_used")));
  TALLY_TRY(h.timestamp, in_context(r.read_uint64(), at("timestamp")));
  TALLY_TRY(const BytesView extra, in_context(r.read_string(), at("extra_data")));
  if (extra.size() > kMaxExtraDataBytes) {
    return fail(Errc::limit_exceeded, str_cat("block header: extra_data of ", extra.size(),
                                              " bytes exceeds ", kMaxExtraDataBytes));
  }
  h.extra_data.assign(extra.begin(), extra.end());
  TALLY_TRY(h.mix_hash, in_context(r.read_fixed<32>(), at("mix_hash")));
  TALLY_TRY(h.nonce, in_context(r.read_fixed<8>(), at("nonce")));
  if (!r.at_end()) {
    TALLY_TRY(h.base_fee_per_gas, in_context(read_rlp_u256(r), at("base_fee_per_gas")));
  }
  TALLY_TRY_VOID(in_context(r.finish(),
                            "block header: after base_fee_per_gas (only "
                            "headers up to London are accepted)"));
  return h;
}

}  // namespace tally::chain
