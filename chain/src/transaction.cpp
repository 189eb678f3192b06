#include <tally/chain/transaction.hpp>
#include <tally/core/str_cat.hpp>

#include "tx_wire.hpp"

namespace tally::chain {
namespace {

// The signature fields of the envelope (see transaction.hpp).
void add_signature_fields(RlpWriter& writer, const TxFields& fields, const Signature& signature) {
  if (signature.suite() == SuiteId::standard) {
    const secp256k1::Signature parts = signature.standard();
    if (fields.type == TxType::legacy)
      writer.add_uint_bytes(detail::legacy_v({fields.chain_id, parts.v}).to_be().view());
    else
      writer.add_uint(parts.v);
    writer.add_uint_bytes(parts.r.view());
    writer.add_uint_bytes(parts.s.view());
    return;
  }
  // A guomi legacy tx carries its chain id as a field of its own, where EIP-155 put it.
  if (fields.type == TxType::legacy)
    writer.add_uint(*fields.chain_id);
  const sm2::Signature parts = signature.guomi();
  writer.add_uint_bytes(parts.r.view());
  writer.add_uint_bytes(parts.s.view());
  writer.add_string(signature.guomi_public_key().view());
}

Bytes encode(const TxFields& fields, const Signature& signature) {
  RlpWriter writer(fields.data.size() + 256);
  writer.begin_list();
  detail::add_unsigned_fields(writer, fields);
  add_signature_fields(writer, fields, signature);
  writer.end_list();
  if (fields.type == TxType::legacy)
    return writer.finish();
  Bytes out{static_cast<Byte>(fields.type)};
  writer.finish_append(out);
  return out;
}

}  // namespace

std::string_view tx_type_name(TxType type) noexcept {
  switch (type) {
    case TxType::legacy:
      return "legacy";
    case TxType::access_list:
      return "EIP-2930";
    case TxType::dynamic_fee:
      return "EIP-1559";
  }
  return "unknown";
}

Result<void> check_tx_shape(SuiteId suite, const TxFields& fields) {
  if (fields.type != TxType::legacy && fields.type != TxType::access_list &&
      fields.type != TxType::dynamic_fee) {
    return fail(Errc::invalid_argument, str_cat("tx type ", static_cast<int>(fields.type),
                                                " is not legacy, EIP-2930 or EIP-1559"));
  }
  const std::string_view kind = tx_type_name(fields.type);
  if (fields.type != TxType::legacy && !fields.chain_id)
    return fail(Errc::invalid_argument, str_cat(kind, " tx: chain id: a typed tx names its chain"));
  if (fields.type == TxType::legacy && suite == SuiteId::guomi && !fields.chain_id)
    return fail(Errc::invalid_argument,
                "legacy tx: chain id: a guomi tx always names its chain (no pre-EIP-155 form)");
  if (fields.type == TxType::dynamic_fee)
    return {};
  if (fields.max_priority_fee_per_gas != fields.max_fee_per_gas) {
    return fail(Errc::invalid_argument,
                str_cat(kind,
                        " tx: gas price: one gas price, so the max priority fee must equal "
                        "the max fee (set_gas_price)"));
  }
  if (fields.type == TxType::legacy && !fields.access_list.empty())
    return fail(Errc::invalid_argument, "legacy tx: access list: a legacy tx has none");
  return {};
}

Transaction::Transaction(CryptoSuite suite,
                         TxFields fields,
                         const Signature& signature,
                         Bytes encoded)
    : suite_(suite.id()),
      fields_(std::move(fields)),
      signature_(signature),
      encoded_(std::move(encoded)),
      hash_(suite.hash(encoded_)) {}

Result<Transaction> Transaction::from_parts(CryptoSuite suite,
                                            TxFields fields,
                                            const Signature& signature) {
  if (auto shape = check_tx_shape(suite.id(), fields); !shape)
    return std::unexpected(std::move(shape.error()));
  const std::string_view kind = tx_type_name(fields.type);
  if (signature.suite() != suite.id()) {
    return fail(Errc::invalid_argument,
                str_cat(kind, " tx: signature: of suite ", suite_name(signature.suite()),
                        " for a tx of suite ", suite.name()));
  }
  if (auto values = detail::check_signature_values(signature); !values)
    return detail::error_at(str_cat(kind, " tx: signature"), values.error());
  Bytes encoded = encode(fields, signature);
  return Transaction(suite, std::move(fields), signature, std::move(encoded));
}

}  // namespace tally::chain
