#pragma once
// ABI values as a person types them on the command line, and back (for `tally chain`):
//   uint<M>   decimal or 0x-hex             int<M>   the same, with an optional leading '-'
//   address   0x + 40 hex digits            bool     true | false
//   bytes<M>, bytes   0x-hex                string   the text as is
//   T[], T[k], tuples   [v1,v2,...] or (v1,...), split at top-level commas (a string element
//                       cannot contain ',', '[', ']', '(' or ')')
// Whether a value fits its type (range, length, arity) is abi_encode's check; errors name the
// argument ("argument 2: ...").

#include <span>
#include <string>
#include <string_view>

#include <tally/chain/abi.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::cli {

Result<chain::AbiValue> parse_abi_value(const chain::AbiType& type, std::string_view text);

// The tuple of `types` from one text per member, encoded: a function's or constructor's arguments.
Result<Bytes> encode_abi_arguments(const chain::AbiType& types, std::span<const std::string> texts);

// Calldata: the selector of `signature` ("add(uint256)") followed by its encoded arguments.
Result<Bytes> encode_function_call(std::string_view signature, std::span<const std::string> texts);

// The value in the notation parse_abi_value reads (int<M> signed, strings quoted in JSON style).
std::string abi_value_text(const chain::AbiType& type, const chain::AbiValue& value);

}  // namespace tally::cli
