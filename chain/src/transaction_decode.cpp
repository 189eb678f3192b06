// Transaction::decode: the signed bytes of one tx into a Transaction (format in transaction.hpp).

#include <algorithm>
#include <optional>
#include <string_view>

#include <tally/chain/transaction.hpp>
#include <tally/core/rlp_decode.hpp>
#include <tally/core/str_cat.hpp>

#include "tx_wire.hpp"

namespace tally::chain {
namespace {

constexpr Byte kFirstListByte = 0xc0;
constexpr Byte kFirstStringByte = 0x80;
constexpr Byte kBlobTxType = 0x03;
constexpr Byte kSetCodeTxType = 0x04;
constexpr std::size_t kWordBytes = 32;

// Reads the items of one envelope in order. The first failure sticks, its message naming the
// envelope and field, and every later read does nothing: a decoder reads straight through and
// checks once at the end.
class FieldReader {
 public:
  FieldReader(RlpReader list, std::string_view kind) : list_(list), kind_(kind) {}

  bool ok() const noexcept { return !error_.has_value(); }
  const Error& error() const { return *error_; }

  std::uint64_t u64(std::string_view field) {
    auto value = ok() ? list_.read_uint64() : Result<std::uint64_t>(0);
    return check(value, field) ? *value : 0;
  }

  u256 word(std::string_view field) {
    auto bytes = ok() ? list_.read_uint_bytes(kWordBytes) : Result<BytesView>();
    return check(bytes, field) ? u256::from_be_bytes(*bytes).value() : u256();
  }

  Hash256 scalar(std::string_view field) { return word(field).to_be(); }

  std::optional<Address> to() {
    auto bytes = ok() ? list_.read_string() : Result<BytesView>();
    if (!check(bytes, "to") || bytes->empty())
      return std::nullopt;
    if (bytes->size() != Address::kSize) {
      set_error("to", Error{Errc::malformed, str_cat(bytes->size(),
                                                     " bytes; an address has 20, "
                                                     "or none for a creation")});
      return std::nullopt;
    }
    return Address::from_span(*bytes).value();
  }

  Bytes data() {
    auto bytes = ok() ? list_.read_string() : Result<BytesView>();
    return check(bytes, "data") ? Bytes(bytes->begin(), bytes->end()) : Bytes();
  }

  PublicKey public_key() {
    auto key = ok() ? list_.read_fixed<PublicKey::kSize>() : Result<PublicKey>();
    return check(key, "public key") ? *key : PublicKey();
  }

  AccessList access_list() {
    AccessList out;
    auto entries = ok() ? list_.read_list() : Result<RlpReader>(list_);
    if (!check(entries, "access list"))
      return out;
    for (std::size_t i = 0; ok() && !entries->at_end(); ++i) {
      auto entry = read_access_list_entry(*entries);
      if (!entry)
        set_error(str_cat("access list entry ", i), entry.error());
      else
        out.push_back(std::move(*entry));
    }
    return out;
  }

  void finish() {
    if (!ok())
      return;
    if (auto done = list_.finish(); !done)
      set_error("list", done.error());
  }

 private:
  template <typename T>
  bool check(Result<T>& result, std::string_view field) {
    if (!ok())
      return false;
    if (!result) {
      set_error(field, result.error());
      return false;
    }
    return true;
  }

  void set_error(std::string_view field, const Error& error) {
    error_ = detail::error_at(str_cat(kind_, " tx: ", field), error).error();
  }

  static Result<AccessListEntry> read_access_list_entry(RlpReader& entries) {
    auto entry = entries.read_list();
    if (!entry)
      return std::unexpected(entry.error());
    AccessListEntry out;
    auto address = entry->read_fixed<Address::kSize>();
    if (!address)
      return detail::error_at("address", address.error());
    out.address = *address;
    auto keys = entry->read_list();
    if (!keys)
      return detail::error_at("storage keys", keys.error());
    for (std::size_t i = 0; !keys->at_end(); ++i) {
      auto key = keys->read_fixed<Hash256::kSize>();
      if (!key)
        return detail::error_at(str_cat("storage key ", i), key.error());
      out.storage_keys.push_back(*key);
    }
    if (auto done = entry->finish(); !done)
      return std::unexpected(done.error());
    return out;
  }

  RlpReader list_;
  std::string_view kind_;
  std::optional<Error> error_;
};

// The fields before the signature, in envelope order (tx_wire.hpp, add_unsigned_fields).
TxFields read_unsigned_fields(FieldReader& in, TxType type) {
  TxFields fields;
  fields.type = type;
  if (type != TxType::legacy)
    fields.chain_id = in.u64("chain id");
  fields.nonce = in.u64("nonce");
  if (type == TxType::dynamic_fee) {
    fields.max_priority_fee_per_gas = in.word("max priority fee per gas");
    fields.max_fee_per_gas = in.word("max fee per gas");
  } else {
    fields.set_gas_price(in.word("gas price"));
  }
  fields.gas_limit = in.u64("gas limit");
  fields.to = in.to();
  fields.value = in.word("value");
  fields.data = in.data();
  if (type != TxType::legacy)
    fields.access_list = in.access_list();
  return fields;
}

// The standard suite's v (legacy, with the chain id it encodes) or y parity (typed), r and s.
Result<Signature> read_standard_signature(FieldReader& in, TxFields& fields) {
  secp256k1::Signature parts;
  if (fields.type == TxType::legacy) {
    const u256 v = in.word("v");
    if (!in.ok())
      return std::unexpected(in.error());
    auto parsed = detail::parse_legacy_v(v);
    if (!parsed)
      return detail::error_at("legacy tx: v", parsed.error());
    fields.chain_id = parsed->chain_id;
    parts.v = parsed->y_parity;
  } else {
    const std::uint64_t y_parity = in.u64("y parity");
    if (in.ok() && y_parity > 1) {
      return fail(Errc::malformed,
                  str_cat(tx_type_name(fields.type), " tx: y parity ", y_parity, " is not 0 or 1"));
    }
    parts.v = static_cast<std::uint8_t>(y_parity);
  }
  parts.r = in.scalar("r");
  parts.s = in.scalar("s");
  return Signature::from_standard(parts);
}

// The guomi suite's (chain id for legacy,) r, s and public key.
Signature read_guomi_signature(FieldReader& in, TxFields& fields) {
  if (fields.type == TxType::legacy)
    fields.chain_id = in.u64("chain id");
  sm2::Signature parts;
  parts.r = in.scalar("r");
  parts.s = in.scalar("s");
  const PublicKey public_key = in.public_key();
  return Signature::from_guomi(parts, public_key);
}

// What the first byte says the envelope is; malformed or unsupported for what it cannot be.
Result<TxType> envelope_type(BytesView raw) {
  if (raw.empty())
    return fail(Errc::malformed, "tx: no bytes");
  const Byte first = raw[0];
  if (first >= kFirstListByte)
    return TxType::legacy;
  if (first >= kFirstStringByte) {
    return fail(Errc::malformed,
                "tx: starts with an RLP string; a tx is an RLP list (legacy) or a type byte "
                "followed by one (EIP-2718)");
  }
  switch (first) {
    case static_cast<Byte>(TxType::access_list):
      return TxType::access_list;
    case static_cast<Byte>(TxType::dynamic_fee):
      return TxType::dynamic_fee;
    case kBlobTxType:
      return fail(Errc::unsupported, "tx: type 3 (EIP-4844 blob tx): this chain has no blobs");
    case kSetCodeTxType:
      return fail(Errc::unsupported, "tx: type 4 (EIP-7702 set-code tx) is not supported");
    default:
      return fail(Errc::unsupported, str_cat("tx: unknown type ", first));
  }
}

}  // namespace

Result<Transaction> Transaction::decode(CryptoSuite suite, BytesView raw) {
  const auto type = envelope_type(raw);
  if (!type)
    return std::unexpected(type.error());
  const std::string_view kind = tx_type_name(*type);
  auto list = rlp_open_list(*type == TxType::legacy ? raw : raw.subspan(1));
  if (!list)
    return detail::error_at(str_cat(kind, " tx"), list.error());

  FieldReader in(*list, kind);
  TxFields fields = read_unsigned_fields(in, *type);
  auto signature = suite.id() == SuiteId::standard
                       ? read_standard_signature(in, fields)
                       : Result<Signature>(read_guomi_signature(in, fields));
  // A field that failed to read comes first; then a v that reads but means nothing; then items
  // left over (checked last, as a bad v leaves r and s unread).
  if (!in.ok())
    return std::unexpected(in.error());
  if (!signature)
    return std::unexpected(signature.error());
  in.finish();
  if (!in.ok())
    return std::unexpected(in.error());
  if (auto values = detail::check_signature_values(*signature); !values)
    return detail::error_at(str_cat(kind, " tx: signature"), values.error());
  return Transaction(suite, std::move(fields), *signature, Bytes(raw.begin(), raw.end()));
}

}  // namespace tally::chain
