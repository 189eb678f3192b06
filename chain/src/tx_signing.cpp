#include <tally/chain/tx_signing.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>

#include "tx_wire.hpp"

namespace tally::chain {

Bytes signing_payload(const TxFields& fields) {
  // The standard suite's shape rules are the weaker set: legacy may omit the chain id.
  TALLY_ASSERT(check_tx_shape(SuiteId::standard, fields).has_value());
  RlpWriter writer(fields.data.size() + 192);
  writer.begin_list();
  detail::add_unsigned_fields(writer, fields);
  if (fields.type == TxType::legacy && fields.chain_id) {
    // EIP-155: the chain id and two empty values where v, r and s will go.
    writer.add_uint(*fields.chain_id);
    writer.add_uint(0);
    writer.add_uint(0);
  }
  writer.end_list();
  if (fields.type == TxType::legacy)
    return writer.finish();
  Bytes out{static_cast<Byte>(fields.type)};
  writer.finish_append(out);
  return out;
}

Hash256 signing_hash(CryptoSuite suite, const TxFields& fields) {
  return suite.hash(signing_payload(fields));
}

Result<Transaction> sign_tx(TxFields fields, const KeyPair& key_pair) {
  const CryptoSuite suite(key_pair.suite());
  if (auto shape = check_tx_shape(suite.id(), fields); !shape)
    return std::unexpected(std::move(shape.error()));
  auto signature = suite.sign(signing_hash(suite, fields), key_pair);
  if (!signature)
    return std::unexpected(std::move(signature.error()));
  return Transaction::from_parts(suite, std::move(fields), *signature);
}

Result<VerifiedTx> recover_sender(Transaction tx) {
  const CryptoSuite suite(tx.suite());
  const auto signer = suite.recover_signer(signing_hash(suite, tx.fields()), tx.signature());
  if (!signer) {
    return detail::error_at(str_cat(tx_type_name(tx.type()), " tx ", tx.hash().hex(), ": sender"),
                            signer.error());
  }
  const Address sender = suite.address(*signer);
  return VerifiedTx(std::move(tx), sender);
}

}  // namespace tally::chain
