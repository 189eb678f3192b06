#include "abi_text.hpp"

#include <vector>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <tally/core/str_cat.hpp>

namespace tally::cli {
namespace {

using chain::AbiType;
using chain::AbiValue;

Result<u256> parse_unsigned(std::string_view text) {
  if (text.starts_with("0x") || text.starts_with("0X"))
    return u256::from_hex(text);
  return u256::from_decimal(text);
}

Result<u256> parse_integer(const AbiType& type, std::string_view text) {
  const bool negative = type.kind() == AbiType::Kind::int_ && text.starts_with('-');
  TALLY_TRY(const u256 magnitude, parse_unsigned(negative ? text.substr(1) : text));
  if (!negative)
    return magnitude;
  if (magnitude.bit_length() > 255 && magnitude != (u256(1) << 255))
    return fail(Errc::out_of_range, str_cat("'", text, "' is below -2^255"));
  return -magnitude;  // two's complement, as the ABI carries int<M>
}

// The members of "[a,b]" or "(a,b)", split at commas outside nested brackets.
Result<std::vector<std::string_view>> split_list(std::string_view text) {
  const bool bracketed = text.size() >= 2 && ((text.front() == '[' && text.back() == ']') ||
                                              (text.front() == '(' && text.back() == ')'));
  if (!bracketed)
    return fail(Errc::malformed, str_cat("'", text, "': a list is written [a,b,...]"));
  const std::string_view inner = text.substr(1, text.size() - 2);
  std::vector<std::string_view> members;
  if (inner.empty())
    return members;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    const char c = inner[i];
    depth += (c == '[' || c == '(') ? 1 : (c == ']' || c == ')') ? -1 : 0;
    if (depth < 0)
      return fail(Errc::malformed, str_cat("'", text, "': unbalanced brackets"));
    if (c == ',' && depth == 0) {
      members.push_back(inner.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0)
    return fail(Errc::malformed, str_cat("'", text, "': unbalanced brackets"));
  members.push_back(inner.substr(start));
  for (auto& member : members) {  // "[1, 2]" reads as "[1,2]"
    while (!member.empty() && member.front() == ' ')
      member.remove_prefix(1);
    while (!member.empty() && member.back() == ' ')
      member.remove_suffix(1);
  }
  return members;
}

Result<AbiValue> parse_list(const AbiType& type, std::string_view text) {
  TALLY_TRY(const auto members, split_list(text));
  AbiValue::List values;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const AbiType& member =
        type.kind() == AbiType::Kind::tuple
            ? (i < type.components().size() ? type.components()[i] : AbiType::string())
            : type.element();
    // A tuple with too many members is abi_encode's arity error; parse extras as text meanwhile.
    TALLY_TRY(auto value, in_context(parse_abi_value(member, members[i]), str_cat("[", i, "]")));
    values.push_back(std::move(value));
  }
  return AbiValue::list(std::move(values));
}

}  // namespace

Result<AbiValue> parse_abi_value(const AbiType& type, std::string_view text) {
  switch (type.kind()) {
    case AbiType::Kind::uint:
    case AbiType::Kind::int_: {
      TALLY_TRY(const u256 number, parse_integer(type, text));
      return AbiValue::uint(number);
    }
    case AbiType::Kind::address: {
      TALLY_TRY(const Address address, Address::from_hex(text));
      return AbiValue::address(address);
    }
    case AbiType::Kind::boolean:
      if (text == "true" || text == "false")
        return AbiValue::boolean(text == "true");
      return fail(Errc::malformed, str_cat("'", text, "' is not true or false"));
    case AbiType::Kind::fixed_bytes:
    case AbiType::Kind::bytes: {
      if (!text.starts_with("0x"))
        return fail(Errc::malformed, str_cat("'", text, "': bytes are written 0x-hex"));
      TALLY_TRY(Bytes bytes, from_hex(text));
      return AbiValue::bytes(std::move(bytes));
    }
    case AbiType::Kind::string:
      return AbiValue::string(std::string(text));
    case AbiType::Kind::array:
    case AbiType::Kind::fixed_array:
    case AbiType::Kind::tuple:
      return parse_list(type, text);
  }
  return fail(Errc::internal, "unknown ABI type kind");
}

Result<Bytes> encode_abi_arguments(const AbiType& types, std::span<const std::string> texts) {
  if (texts.size() != types.components().size())
    return fail(Errc::invalid_argument,
                str_cat(types.canonical(), " takes ", types.components().size(), " arguments, ",
                        texts.size(), " given"));
  AbiValue::List values;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    TALLY_TRY(auto value, in_context(parse_abi_value(types.components()[i], texts[i]),
                                     str_cat("argument ", i + 1, " (",
                                             types.components()[i].canonical(), ")")));
    values.push_back(std::move(value));
  }
  return in_context(chain::abi_encode(types, AbiValue::list(std::move(values))), "arguments");
}

Result<Bytes> encode_function_call(std::string_view signature, std::span<const std::string> texts) {
  TALLY_TRY(const chain::AbiFunction function, chain::parse_function_signature(signature));
  TALLY_TRY(const Bytes arguments, encode_abi_arguments(function.inputs, texts));
  Bytes calldata(function.selector.bytes.begin(), function.selector.bytes.end());
  calldata.insert(calldata.end(), arguments.begin(), arguments.end());
  return calldata;
}

std::string abi_value_text(const AbiType& type, const AbiValue& value) {
  switch (type.kind()) {
    case AbiType::Kind::uint:
      return value.uint_value().decimal();
    case AbiType::Kind::int_:
      return value.uint_value().is_negative() ? str_cat("-", (-value.uint_value()).decimal())
                                              : value.uint_value().decimal();
    case AbiType::Kind::address:
      return value.address_value().hex();
    case AbiType::Kind::boolean:
      return value.bool_value() ? "true" : "false";
    case AbiType::Kind::fixed_bytes:
    case AbiType::Kind::bytes:
      return to_hex(value.bytes_value());
    case AbiType::Kind::string:
      return boost::json::serialize(boost::json::string(value.string_value()));
    case AbiType::Kind::array:
    case AbiType::Kind::fixed_array:
    case AbiType::Kind::tuple:
      break;
  }
  const bool tuple = type.kind() == AbiType::Kind::tuple;
  std::string text = tuple ? "(" : "[";
  const auto& members = value.list_value();
  for (std::size_t i = 0; i < members.size(); ++i)
    text += str_cat(i ? "," : "",
                    abi_value_text(tuple ? type.components()[i] : type.element(), members[i]));
  text += tuple ? ")" : "]";
  return text;
}

}  // namespace tally::cli
