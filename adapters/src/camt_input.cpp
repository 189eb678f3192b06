#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include <tally/adapters/camt_input.hpp>

namespace tally::adapters {
namespace {

// Enough for any XML declaration: the encoding is checked before the XML parser sees a byte.
constexpr std::size_t kPrologBytes = 512;

// camt messages are UTF-8 (ISO 20022 XML rules). Other encodings would parse, but the raw bytes of
// records are cut by character columns counted as UTF-8, so they are refused.
Result<void> check_utf8(std::string_view prolog) {
  if (prolog.starts_with("\xEF\xBB\xBF"))
    prolog.remove_prefix(3);
  if (prolog.starts_with("\xFE\xFF") || prolog.starts_with("\xFF\xFE") ||
      prolog.substr(0, 4).find('\0') != std::string_view::npos) {
    return fail(Errc::unsupported, "not UTF-8 (UTF-16/32): camt messages must be UTF-8");
  }
  if (!prolog.starts_with("<?xml"))
    return {};
  const std::string_view declaration = prolog.substr(0, prolog.find("?>"));
  const auto at = declaration.find("encoding");
  if (at == std::string_view::npos)
    return {};
  std::string_view value = declaration.substr(at + 8);
  value.remove_prefix(std::min(value.find_first_of("\"'"), value.size()));
  if (value.empty())
    return fail(Errc::malformed, "bad encoding in the XML declaration");
  const char quote = value.front();
  value = value.substr(1, value.find(quote, 1) - 1);
  std::string upper(value);
  for (char& c : upper)
    c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  if (upper != "UTF-8") {
    return fail(Errc::unsupported,
                "encoding \"" + std::string(value) + "\": camt messages must be UTF-8");
  }
  return {};
}

}  // namespace

CamtInput::CamtInput(ByteSource& source) : source_(source), chunk_(kChunkBytes) {}

CamtInput::int_type CamtInput::underflow() {
  if (gptr() < egptr()) {
    return traits_type::to_int_type(*gptr());
  }
  if (read_error_) {
    return traits_type::eof();
  }
  std::size_t filled = 0;
  // The first bytes are gathered up to kPrologBytes, however the source chunks them, and checked.
  const std::size_t want = bytes_read() == 0 ? kPrologBytes : 1;
  while (filled < want) {
    auto got = source_.read(std::span<Byte>(chunk_).subspan(filled));
    if (!got) {
      read_error_ = got.error();
      return traits_type::eof();
    }
    if (*got == 0)
      break;
    filled += *got;
  }
  if (filled == 0) {
    return traits_type::eof();
  }
  if (bytes_read() == 0) {
    auto utf8 = check_utf8({reinterpret_cast<const char*>(chunk_.data()), filled});
    if (!utf8) {
      read_error_ = utf8.error();
      return traits_type::eof();
    }
  }
  window_.insert(window_.end(), chunk_.begin(),
                 chunk_.begin() + static_cast<std::ptrdiff_t>(filled));
  // The XML parser reads chars; the bytes are the same storage seen as char.
  char* begin = reinterpret_cast<char*>(chunk_.data());
  setg(begin, begin, begin + filled);
  return traits_type::to_int_type(*gptr());
}

std::optional<std::uint64_t> CamtInput::offset_of(std::uint64_t line, std::uint64_t column) {
  if (line < scan_line_) {
    return std::nullopt;
  }
  const std::uint64_t end = bytes_read();
  while (scan_line_ < line) {
    const auto next = next_line(scan_offset_);
    if (!next) {
      return std::nullopt;
    }
    scan_offset_ = *next;
    ++scan_line_;
  }
  // Columns count characters: skip UTF-8 continuation bytes.
  std::uint64_t offset = scan_offset_;
  for (std::uint64_t seen = 0; offset < end; ++offset) {
    const Byte byte = window_[offset - window_offset_];
    if ((byte & 0xC0U) == 0x80U) {
      continue;
    }
    if (seen == column) {
      return offset;
    }
    ++seen;
  }
  return std::nullopt;
}

// The start of the line after the one holding `offset`: lines end in LF, CRLF or a lone CR, as
// the XML parser counts them.
std::optional<std::uint64_t> CamtInput::next_line(std::uint64_t offset) const {
  const std::uint64_t end = bytes_read();
  const auto* from = window_.data() + (offset - window_offset_);
  const std::size_t length = end - offset;
  const auto* lf = static_cast<const Byte*>(std::memchr(from, '\n', length));
  const std::size_t before_lf = lf == nullptr ? length : static_cast<std::size_t>(lf - from);
  const auto* cr = static_cast<const Byte*>(std::memchr(from, '\r', before_lf));
  if (cr != nullptr && cr + 1 != lf) {
    return offset + static_cast<std::uint64_t>(cr - from) + 1;  // a lone CR
  }
  if (lf == nullptr) {
    return std::nullopt;
  }
  return offset + before_lf + 1;
}

std::optional<BytesView> CamtInput::bytes(std::uint64_t from, std::uint64_t to) const {
  if (from < window_offset_ || to < from || to > bytes_read()) {
    return std::nullopt;
  }
  return BytesView(window_).subspan(from - window_offset_, to - from);
}

std::optional<std::uint64_t> CamtInput::end_of_tag(std::uint64_t offset) const {
  if (offset < window_offset_ || offset >= bytes_read()) {
    return std::nullopt;
  }
  const auto first = window_.begin() + static_cast<std::ptrdiff_t>(offset - window_offset_);
  const auto found = std::find(first, window_.end(), Byte{'>'});
  if (found == window_.end()) {
    return std::nullopt;
  }
  return window_offset_ + static_cast<std::uint64_t>(found - window_.begin()) + 1;
}

void CamtInput::release_before(std::uint64_t offset) {
  offset = std::min(offset, scan_offset_);
  if (offset <= window_offset_) {
    return;
  }
  // Erasing moves the kept bytes; only do it once the dead prefix is worth the move.
  const std::uint64_t dead = offset - window_offset_;
  if (dead < 2 * kChunkBytes) {
    return;
  }
  window_.erase(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(dead));
  window_offset_ = offset;
}

}  // namespace tally::adapters
