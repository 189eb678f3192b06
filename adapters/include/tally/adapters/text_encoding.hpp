#pragma once
// The text encodings of bank files: UTF-8 (with or without a BOM), GBK and GB18030. Bytes are
// checked for well-formed characters here, byte by byte, so an error names the exact offset;
// conversion of GBK/GB18030 to UTF-8 goes through ICU. Nothing is ever replaced: a malformed or
// unmappable sequence is an error, never a U+FFFD in a key.
//
// ASCII is the same in all three encodings, so pure ASCII text needs no conversion (the fast
// path: most fields of most files).

#include <cstdint>
#include <cstring>
#include <expected>
#include <string>
#include <string_view>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

enum class TextEncoding : std::uint8_t { utf8 = 1, gbk = 2, gb18030 = 3 };

// "utf-8" / "gbk" / "gb18030" (as profiles spell them).
Result<TextEncoding> parse_text_encoding(std::string_view name);
std::string_view text_encoding_name(TextEncoding encoding) noexcept;

// Inline: called for nearly every field of every record.
inline bool is_ascii(BytesView bytes) noexcept {
  // Eight bytes at a time: the common case is a short all-ASCII field.
  std::size_t i = 0;
  std::uint64_t any_high = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    any_high |= word;
  }
  for (; i < bytes.size(); ++i)
    any_high |= bytes[i];
  return (any_high & 0x8080808080808080ULL) == 0;
}

// 3 when `bytes` starts with the UTF-8 byte order mark, else 0.
std::size_t utf8_bom_length(BytesView bytes) noexcept;

// The length (1 to 4) of the well-formed character that starts `bytes`, or 0 when the bytes
// there are not one (a stray trail byte, a truncated sequence, an overlong UTF-8 form...).
// GBK: a byte below 0x80, or lead 0x81-0xFE with trail 0x40-0x7E or 0x80-0xFE. GB18030 adds
// four-byte characters 0x81-0xFE 0x30-0x39 0x81-0xFE 0x30-0x39.
std::size_t character_length(BytesView bytes, TextEncoding encoding) noexcept;

namespace detail {

// character_length's two halves, inline for the tokenizers' inner loops. `size` >= 1.
constexpr bool in_range(Byte value, int low, int high) noexcept {
  return value >= low && value <= high;
}

constexpr std::size_t utf8_length(const Byte* b, std::size_t size) noexcept {
  const Byte lead = b[0];
  if (lead < 0x80)
    return 1;
  // Second-byte ranges exclude overlong forms, surrogates and code points past U+10FFFF.
  if (in_range(lead, 0xC2, 0xDF))
    return size >= 2 && in_range(b[1], 0x80, 0xBF) ? 2 : 0;
  if (in_range(lead, 0xE0, 0xEF)) {
    const int low = lead == 0xE0 ? 0xA0 : 0x80;
    const int high = lead == 0xED ? 0x9F : 0xBF;
    return size >= 3 && in_range(b[1], low, high) && in_range(b[2], 0x80, 0xBF) ? 3 : 0;
  }
  if (in_range(lead, 0xF0, 0xF4)) {
    const int low = lead == 0xF0 ? 0x90 : 0x80;
    const int high = lead == 0xF4 ? 0x8F : 0xBF;
    return size >= 4 && in_range(b[1], low, high) && in_range(b[2], 0x80, 0xBF) &&
                   in_range(b[3], 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

constexpr std::size_t gb_length(const Byte* b, std::size_t size, bool four_byte_forms) noexcept {
  const Byte lead = b[0];
  if (lead < 0x80)
    return 1;
  if (!in_range(lead, 0x81, 0xFE) || size < 2)
    return 0;
  if (in_range(b[1], 0x40, 0x7E) || in_range(b[1], 0x80, 0xFE))
    return 2;
  if (four_byte_forms && in_range(b[1], 0x30, 0x39) && size >= 4 && in_range(b[2], 0x81, 0xFE) &&
      in_range(b[3], 0x30, 0x39)) {
    return 4;
  }
  return 0;
}

}  // namespace detail

struct DecodeFailure {
  std::size_t offset = 0;  // of the first byte of the offending sequence, within the input
  std::string reason;
};

// The offset of the first byte that does not start a well-formed character, if any.
std::expected<void, DecodeFailure> check_well_formed(BytesView bytes, TextEncoding encoding);

// Appends `bytes` converted to UTF-8 to `out`. On failure `out` holds what was appended so far.
std::expected<void, DecodeFailure> append_utf8(BytesView bytes,
                                               TextEncoding encoding,
                                               std::string& out);

// append_utf8 for bytes a parser has already found well-formed in `encoding` (check_well_formed,
// or its own pass over the line): no second check; GBK and GB18030 still convert through ICU,
// which refuses a well-formed sequence with no Unicode mapping.
std::expected<void, DecodeFailure> append_utf8_well_formed(BytesView bytes,
                                                           TextEncoding encoding,
                                                           std::string& out);

// NFKC (Unicode compatibility composition): fullwidth "ＬＯＡＮ－００１" becomes "LOAN-001",
// "㈱" becomes "(株)". `utf8` must be valid UTF-8 (what append_utf8 produces).
Result<std::string> nfkc_fold(std::string_view utf8);

}  // namespace tally::adapters
