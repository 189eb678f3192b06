#include <array>
#include <cstring>
#include <memory>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>

#include <tally/adapters/text_encoding.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

// One ICU converter per encoding and thread, reused: opening one costs far more than a field.
struct ConverterClose {
  void operator()(UConverter* converter) const noexcept { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterClose>;

UConverter* converter_for(TextEncoding encoding) {
  thread_local ConverterPtr gbk;
  thread_local ConverterPtr gb18030;
  ConverterPtr& slot = encoding == TextEncoding::gbk ? gbk : gb18030;
  if (!slot) {
    UErrorCode status = U_ZERO_ERROR;
    // ICU's "GBK" is windows-936; the structure check above already refuses its single-byte 0x80.
    slot.reset(ucnv_open(encoding == TextEncoding::gbk ? "GBK" : "GB18030", &status));
    if (U_FAILURE(status))
      slot.reset();
    else
      ucnv_setToUCallBack(slot.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  }
  return slot.get();
}

// UTF-16 as ICU's converters produce it to UTF-8, appended; false on an unpaired surrogate
// (which no GBK or GB18030 mapping yields). Done here rather than by u_strToUTF8: for a field of a
// few characters ICU's call costs more than the encoding.
bool append_utf16_as_utf8(const UChar* units, std::size_t count, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + count * 3);  // a unit is at most 3 bytes; a pair of them 4
  char* to = out.data() + start;
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t c = units[i];
    if (c >= 0xD800 && c <= 0xDFFF) {
      if (c > 0xDBFF || i + 1 == count || units[i + 1] < 0xDC00 || units[i + 1] > 0xDFFF)
        return false;
      c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<std::uint32_t>(units[++i]) - 0xDC00);
    }
    if (c < 0x80) {
      *to++ = static_cast<char>(c);
    } else if (c < 0x800) {
      *to++ = static_cast<char>(0xC0 | (c >> 6));
      *to++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *to++ = static_cast<char>(0xE0 | (c >> 12));
      *to++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *to++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
      *to++ = static_cast<char>(0xF0 | (c >> 18));
      *to++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      *to++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *to++ = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  out.resize(static_cast<std::size_t>(to - out.data()));
  return true;
}

constexpr std::size_t kStackUnits = 512;  // fields are short: no heap for them

std::expected<void, DecodeFailure> convert_gb(BytesView bytes,
                                              TextEncoding encoding,
                                              std::string& out) {
  UConverter* converter = converter_for(encoding);
  if (converter == nullptr)
    return std::unexpected(DecodeFailure{0, "ICU has no converter for this encoding"});
  ucnv_reset(converter);
  // At most one UTF-16 unit per input byte (a 4-byte GB18030 character is one surrogate pair).
  std::array<UChar, kStackUnits> small;
  thread_local std::u16string large;
  UChar* units = small.data();
  if (bytes.size() + 1 > small.size()) {
    large.resize(bytes.size() + 1);
    units = large.data();
  }
  UChar* target = units;
  const char* source = reinterpret_cast<const char*>(bytes.data());
  const char* source_end = source + bytes.size();
  UErrorCode status = U_ZERO_ERROR;
  ucnv_toUnicode(converter, &target, units + bytes.size() + 1, &source, source_end, nullptr, true,
                 &status);
  if (U_FAILURE(status)) {
    char invalid[32];
    int8_t invalid_length = sizeof(invalid);
    UErrorCode ignored = U_ZERO_ERROR;
    ucnv_getInvalidChars(converter, invalid, &invalid_length, &ignored);
    const auto consumed =
        static_cast<std::size_t>(source - reinterpret_cast<const char*>(bytes.data()));
    const std::size_t offset =
        consumed - std::min<std::size_t>(consumed, static_cast<std::size_t>(invalid_length));
    return std::unexpected(DecodeFailure{
        offset, str_cat("byte sequence has no Unicode mapping in ", text_encoding_name(encoding))});
  }
  if (!append_utf16_as_utf8(units, static_cast<std::size_t>(target - units), out))
    return std::unexpected(DecodeFailure{0, "conversion to UTF-8 failed"});
  return {};
}

}  // namespace

Result<TextEncoding> parse_text_encoding(std::string_view name) {
  if (name == "utf-8")
    return TextEncoding::utf8;
  if (name == "gbk")
    return TextEncoding::gbk;
  if (name == "gb18030")
    return TextEncoding::gb18030;
  return fail(Errc::invalid_argument, str_cat("encoding: unknown '", name, "'"));
}

std::string_view text_encoding_name(TextEncoding encoding) noexcept {
  switch (encoding) {
    case TextEncoding::utf8:
      return "utf-8";
    case TextEncoding::gbk:
      return "gbk";
    case TextEncoding::gb18030:
      return "gb18030";
  }
  return "unknown";
}

std::size_t utf8_bom_length(BytesView bytes) noexcept {
  return bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
}

std::size_t character_length(BytesView bytes, TextEncoding encoding) noexcept {
  if (bytes.empty())
    return 0;
  switch (encoding) {
    case TextEncoding::utf8:
      return detail::utf8_length(bytes.data(), bytes.size());
    case TextEncoding::gbk:
      return detail::gb_length(bytes.data(), bytes.size(), false);
    case TextEncoding::gb18030:
      return detail::gb_length(bytes.data(), bytes.size(), true);
  }
  return 0;
}

std::expected<void, DecodeFailure> check_well_formed(BytesView bytes, TextEncoding encoding) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (bytes[i] < 0x80) {
      ++i;
      if (i + 8 <= bytes.size() && is_ascii(bytes.subspan(i, 8)))
        i += 8;  // ASCII runs a word at a time
      continue;
    }
    const std::size_t length = character_length(bytes.subspan(i), encoding);
    if (length == 0) {
      return std::unexpected(DecodeFailure{
          i, str_cat("invalid ", text_encoding_name(encoding), " byte sequence starting 0x",
                     to_hex(bytes.subspan(i, std::min<std::size_t>(2, bytes.size() - i)), false))});
    }
    i += length;
  }
  return {};
}

std::expected<void, DecodeFailure> append_utf8(BytesView bytes,
                                               TextEncoding encoding,
                                               std::string& out) {
  if (is_ascii(bytes)) {
    out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return {};
  }
  if (auto checked = check_well_formed(bytes, encoding); !checked)
    return checked;
  if (encoding == TextEncoding::utf8) {
    out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return {};
  }
  return convert_gb(bytes, encoding, out);
}

std::expected<void, DecodeFailure> append_utf8_well_formed(BytesView bytes,
                                                           TextEncoding encoding,
                                                           std::string& out) {
  if (encoding == TextEncoding::utf8 || is_ascii(bytes)) {
    out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return {};
  }
  return convert_gb(bytes, encoding, out);
}

Result<std::string> nfkc_fold(std::string_view utf8) {
  if (is_ascii(as_bytes(utf8)))
    return std::string(utf8);  // ASCII is its own NFKC form
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status))
    return fail(Errc::internal, "ICU: no NFKC normalizer");
  // UTF-8 in, UTF-8 out: no UTF-16 copies of the text, and ICU copies spans already in NFKC.
  std::string out;
  out.reserve(utf8.size());
  icu::StringByteSink<std::string> sink(&out);
  nfkc->normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), sink,
                      nullptr, status);
  if (U_FAILURE(status))
    return fail(Errc::internal, "ICU: NFKC normalization failed");
  return out;
}

}  // namespace tally::adapters
