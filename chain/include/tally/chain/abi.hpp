#pragma once
// The Solidity contract ABI: values, encoding and strict decoding, function selectors, and the
// revert payloads Error(string) and Panic(uint256). Types in abi_type.hpp.
//
// Values: one AbiValue per type kind --
//   uint<M>, int<M>   u256 (int<M> as 256-bit two's complement; AbiValue::int_ converts)
//   address           Address
//   bool              bool
//   bytes<M>, bytes   Bytes (bytes<M> exactly M of them)
//   string            std::string (bytes, UTF-8 not checked, as Solidity does not check it)
//   T[], T[k], tuple  a list of values
//
// Decoding is strict and bounded, for input from anyone (calldata): every offset and length is
// checked against the input before use; a declared length that the remaining input cannot hold is
// an error, never an allocation (the zero padding after bytes and string content is not required,
// as Solidity's decoder does not require it); uint<M>, int<M>, address, bool and bytes<M> words
// must be clean (no bits beyond the type, as Solidity's decoder requires). Offsets pointing
// anywhere inside the input are accepted (Solidity accepts them too), so values may share bytes; to
// keep that from multiplying work, a decode materializes at most max(kMinDecodeBudget, input size)
// values and input-size bytes of bytes/string content (honest encodings need far less: every value
// but those of zero-size types takes 32 bytes or more of input).

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <tally/chain/abi_type.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

struct AbiValue {
  using List = std::vector<AbiValue>;

  std::variant<bool, u256, Address, Bytes, std::string, List> data;

  static AbiValue uint(const u256& value) { return {value}; }
  static AbiValue int_(std::int64_t value);
  static AbiValue address(const Address& value) { return {value}; }
  static AbiValue boolean(bool value) { return {value}; }
  static AbiValue bytes(Bytes value) { return {std::move(value)}; }
  static AbiValue string(std::string value) { return {std::move(value)}; }
  static AbiValue list(List values) { return {std::move(values)}; }

  // nullptr when the value holds another kind.
  const u256* as_u256() const noexcept { return std::get_if<u256>(&data); }
  const Address* as_address() const noexcept { return std::get_if<Address>(&data); }
  const bool* as_bool() const noexcept { return std::get_if<bool>(&data); }
  const Bytes* as_bytes() const noexcept { return std::get_if<Bytes>(&data); }
  const std::string* as_string() const noexcept { return std::get_if<std::string>(&data); }
  const List* as_list() const noexcept { return std::get_if<List>(&data); }

  // The value of a kind the caller knows it holds (a decoded argument of a declared type); holding
  // another kind is a bug.
  const u256& uint_value() const { return get<u256>(); }
  const Address& address_value() const { return get<Address>(); }
  bool bool_value() const { return get<bool>(); }
  const Bytes& bytes_value() const { return get<Bytes>(); }
  const std::string& string_value() const { return get<std::string>(); }
  const List& list_value() const { return get<List>(); }

  friend bool operator==(const AbiValue&, const AbiValue&) = default;

 private:
  template <class T>
  const T& get() const {
    TALLY_ASSERT(std::holds_alternative<T>(data));
    return std::get<T>(data);
  }
};

inline constexpr std::size_t kMinDecodeBudget = 1024;

// The encoding of `value` as `type`; invalid_argument (naming the path, e.g. "[1].2") when the
// value does not fit the type: wrong kind, an integer out of range, wrong bytes<M> or T[k] length,
// wrong tuple arity. A function's arguments are encoded as the tuple of their types.
Result<Bytes> abi_encode(const AbiType& type, const AbiValue& value);
// Strict decoding of exactly one `type` at the start of `data`; bytes after its encoding are
// allowed (calldata may carry more). malformed with the offset for anything wrong;
// limit_exceeded past the budget above.
Result<AbiValue> abi_decode(const AbiType& type, BytesView data);

using Selector = FixedBytes<4>;

// The first four bytes of the Keccak-256 of a canonical signature, "transfer(address,uint256)".
Selector function_selector(std::string_view signature) noexcept;

// A function signature "name(type,...)": the name, its argument tuple, the canonical text
// (aliases resolved: "f(uint)" is "f(uint256)") and its selector.
struct AbiFunction {
  std::string name;
  AbiType inputs;
  std::string signature;
  Selector selector;
};
Result<AbiFunction> parse_function_signature(std::string_view text);

// Revert data: Error(string) (selector 0x08c379a0), what `require(cond, "reason")` and
// `revert("reason")` produce, and Panic(uint256) (0x4e487b71) for Solidity's internal errors.
Bytes encode_error_reason(std::string_view reason);
Bytes encode_panic(const u256& code);
// The reason of an Error(string) payload; malformed for anything else.
Result<std::string> decode_error_reason(BytesView revert_data);

}  // namespace tally::chain
