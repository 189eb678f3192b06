#pragma once
// RLP as a value: `RlpItem` is a byte string or a list of items, for tests, tools and structures
// whose shape is not fixed. Hot paths (transactions, blocks) use RlpReader and RlpWriter directly;
// this header brings both in.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/rlp_decode.hpp>
#include <tally/core/rlp_encode.hpp>

namespace tally {

struct RlpItem {
  bool is_list = false;
  Bytes bytes;                 // the string, when !is_list
  std::vector<RlpItem> items;  // the elements, when is_list

  static RlpItem string(BytesView value) { return {false, {value.begin(), value.end()}, {}}; }
  static RlpItem text(std::string_view value) { return string(as_bytes(value)); }
  // The minimal big-endian bytes of `value`: 0 is the empty string.
  static RlpItem uint(std::uint64_t value);
  static RlpItem list(std::vector<RlpItem> elements) { return {true, {}, std::move(elements)}; }

  bool operator==(const RlpItem&) const = default;
};

void append_rlp(RlpWriter& writer, const RlpItem& item);
Bytes rlp_encode(const RlpItem& item);

// `encoded` must hold exactly one item, canonical throughout and at most kRlpMaxDepth lists deep.
Result<RlpItem> rlp_decode(BytesView encoded);

// Readable form for test failures: 0x-hex strings and [a, b] lists, e.g. [0x646f67, []].
std::string to_string(const RlpItem& item);

}  // namespace tally
