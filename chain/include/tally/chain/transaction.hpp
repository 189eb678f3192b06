#pragma once
// Chain transactions in their signed wire form (../schemas/transactions.md is the format
// document). Three envelopes, as Ethereum has them:
//   legacy (no type byte):  rlp([nonce, gasPrice, gasLimit, to, value, data, <signature>])
//   EIP-2930 (type 1):      0x01 || rlp([chainId, nonce, gasPrice, gasLimit, to, value, data,
//                                        accessList, <signature>])
//   EIP-1559 (type 2):      0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas,
//                                        gasLimit, to, value, data, accessList, <signature>])
// The signature fields depend on the chain's crypto suite:
//   standard: legacy v, r, s (v = 27/28, or chainId * 2 + 35/36 under EIP-155); typed yParity, r,
//   s; guomi:    r, s, publicKey (64 bytes) in every envelope; a guomi legacy tx always names its
//             chain: rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, r, s, publicKey]).
// Blob (type 3) and set-code (type 4) transactions are refused as unsupported: the chain has no
// blobs and no EIP-7702.
//
// Decoding is strict, so a tx has exactly one encoding and its hash is well defined: canonical RLP,
// integers without leading zeros and within their width (nonce and gas limit 64 bits, amounts 256),
// `to` 20 bytes or empty, access-list addresses 20 bytes and keys 32, no trailing bytes, r and s in
// [1, n-1] of the suite's curve, and in the standard suite s <= n/2 (EIP-2). Every refusal is an
// Error whose message names the envelope and the field ("EIP-1559 tx: nonce: rlp: offset 6: ...";
// in a typed tx, RLP offsets count from its list, just after the type byte).
//
// What a Transaction is: an immutable value whose fields, signature, encoding and hash always agree
// (made only by decode or from_parts, both of which check everything above). Nothing in it is
// computed lazily, so any number of threads may read one Transaction at once. Whether the signature
// verifies and who sent the tx is tx_signing.hpp's business (VerifiedTx).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

// The EIP-2718 type byte; legacy has none on the wire and is 0 here.
enum class TxType : std::uint8_t { legacy = 0, access_list = 1, dynamic_fee = 2 };

// "legacy", "EIP-2930", "EIP-1559".
std::string_view tx_type_name(TxType type) noexcept;

struct AccessListEntry {
  Address address;
  std::vector<Hash256> storage_keys;

  bool operator==(const AccessListEntry&) const = default;
};
using AccessList = std::vector<AccessListEntry>;

// Everything a sender signs: the tx without its signature.
struct TxFields {
  TxType type = TxType::dynamic_fee;
  // Absent only for a standard-suite legacy tx signed without EIP-155 replay protection.
  std::optional<std::uint64_t> chain_id;
  std::uint64_t nonce = 0;
  // EIP-1559's two fee fields. Legacy and EIP-2930 txs have one gas price, held in both (a gas
  // price is a max fee whose whole excess over the base fee is tip), so fee rules treat every type
  // alike; set_gas_price() keeps them equal, and an encoder refuses them unequal.
  u256 max_priority_fee_per_gas;
  u256 max_fee_per_gas;
  std::uint64_t gas_limit = 0;
  std::optional<Address> to;  // absent: contract creation
  u256 value;
  Bytes data;
  AccessList access_list;  // typed txs only

  TxFields& set_gas_price(const u256& gas_price) {
    max_priority_fee_per_gas = gas_price;
    max_fee_per_gas = gas_price;
    return *this;
  }
  bool is_creation() const noexcept { return !to.has_value(); }

  bool operator==(const TxFields&) const = default;
};

// Whether `fields` can be encoded in `suite`: a typed tx, or any guomi tx, names its chain; a
// legacy tx has no access list and one gas price. invalid_argument naming the field otherwise.
Result<void> check_tx_shape(SuiteId suite, const TxFields& fields);

class Transaction {
 public:
  // The signed bytes of one tx, refused as the top of this file says: malformed for what does not
  // parse, out_of_range for integers too wide, unsupported for blob and set-code types.
  static Result<Transaction> decode(CryptoSuite suite, BytesView raw);
  // Encodes fields and a signature of `suite` into a tx (the encoder; signing builds on it). Fails
  // on a shape check_tx_shape refuses, a signature of the other suite, or signature values decode
  // would refuse, so every Transaction decodes from its own encoding.
  static Result<Transaction> from_parts(CryptoSuite suite,
                                        TxFields fields,
                                        const Signature& signature);

  SuiteId suite() const noexcept { return suite_; }
  TxType type() const noexcept { return fields_.type; }
  const TxFields& fields() const noexcept { return fields_; }
  const Signature& signature() const noexcept { return signature_; }
  // The signed bytes, type byte included: what a block body and eth_sendRawTransaction carry.
  BytesView encoded() const noexcept { return encoded_; }
  // The suite hash of encoded().
  const Hash256& hash() const noexcept { return hash_; }

  bool operator==(const Transaction&) const = default;

 private:
  Transaction(CryptoSuite suite, TxFields fields, const Signature& signature, Bytes encoded);

  SuiteId suite_;
  TxFields fields_;
  Signature signature_;
  Bytes encoded_;
  Hash256 hash_;
};

}  // namespace tally::chain
