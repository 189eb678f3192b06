#pragma once
// The text encodings of bank files: UTF-8 (with or without a BOM), GBK and GB18030. Bytes are
// checked for well-formed characters here, byte by byte, so an error names the exact offset;
// conversion of GBK/GB18030 to UTF-8 goes through ICU. Nothing is ever replaced: a malformed or
// unmappable sequence is an error, never a U+FFFD in a key.
//
// ASCII is the same in all three encodings, so pure ASCII text needs no conversion (the fast
// path: most fields of most files).

#include <cstdint>
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

bool is_ascii(BytesView bytes) noexcept;

// 3 when `bytes` starts with the UTF-8 byte order mark, else 0.
std::size_t utf8_bom_length(BytesView bytes) noexcept;

// The length (1 to 4) of the well-formed character that starts `bytes`, or 0 when the bytes
// there are not one (a stray trail byte, a truncated sequence, an overlong UTF-8 form...).
// GBK: a byte below 0x80, or lead 0x81-0xFE with trail 0x40-0x7E or 0x80-0xFE. GB18030 adds
// four-byte characters 0x81-0xFE 0x30-0x39 0x81-0xFE 0x30-0x39.
std::size_t character_length(BytesView bytes, TextEncoding encoding) noexcept;

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
