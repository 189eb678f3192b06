// What `tally chain` reads from outside: a node's JSON-RPC response body, and function arguments
// typed on the command line. Input "R<body>" goes to parse_rpc_response; "A<type>\n<text>" parses
// <text> as an argument of <type> (refusals are fine). Neither may crash; an accepted argument
// that encodes must decode to itself, and its written form (abi_value_text) must read back to the
// same value for types without strings (strings are written quoted).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/json/value.hpp>

#include <tally/chain/abi.hpp>
#include <tally/core/assert.hpp>

#include "abi_text.hpp"
#include "rpc_client.hpp"

namespace {

bool has_string(const tally::chain::AbiType& type) {
  using Kind = tally::chain::AbiType::Kind;
  if (type.kind() == Kind::string)
    return true;
  if (type.kind() == Kind::array || type.kind() == Kind::fixed_array)
    return has_string(type.element());
  return std::any_of(type.components().begin(), type.components().end(), has_string);
}

void argument(std::string_view input) {
  using namespace tally;
  const auto newline = input.find('\n');
  if (newline == std::string_view::npos)
    return;
  const auto type = chain::AbiType::parse(input.substr(0, newline));
  if (!type)
    return;
  const auto value = cli::parse_abi_value(*type, input.substr(newline + 1));
  if (!value)
    return;
  const auto encoded = chain::abi_encode(*type, *value);
  if (!encoded)
    return;  // out of range for the type: abi_encode's refusal
  const auto decoded = chain::abi_decode(*type, *encoded);
  TALLY_ASSERT(decoded.has_value() && *decoded == *value);
  if (!has_string(*type))
    TALLY_ASSERT(cli::parse_abi_value(*type, cli::abi_value_text(*type, *decoded)).value() ==
                 *decoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 'R')
    (void)tally::cli::parse_rpc_response(input, "fuzz");
  else if (data[0] == 'A')
    argument(input);
  return 0;
}
