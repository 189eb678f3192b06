#include <string_view>

#include <tally/core/rlp_decode.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>

namespace tally {
namespace {

using Header = detail::RlpHeader;

constexpr Byte kShortStringBase = 0x80;
constexpr Byte kLongStringBase = 0xb7;  // 0xb8..0xbf carry 1..8 length bytes
constexpr Byte kShortListBase = 0xc0;
constexpr Byte kLongListBase = 0xf7;  // 0xf8..0xff carry 1..8 length bytes

std::string_view kind_name(RlpKind kind) noexcept {
  return kind == RlpKind::string ? "string" : "list";
}

template <typename T>
std::unexpected<Error> forward_error(Result<T>& result) {
  return std::unexpected<Error>(std::move(result.error()));
}

std::unexpected<Error> malformed(std::size_t at, std::string_view what) {
  return fail(Errc::malformed, str_cat("rlp: offset ", at, ": ", what));
}

// `rest` starts at the item (offset `at`); its first byte is the header byte.
Result<Header> checked_payload(BytesView rest,
                               std::size_t at,
                               Header header,
                               std::uint64_t declared) {
  if (declared > kRlpMaxPayloadBytes) {
    return fail(Errc::limit_exceeded,
                str_cat("rlp: offset ", at, ": ", kind_name(header.kind), " declares ", declared,
                        " payload bytes, above the limit of ", kRlpMaxPayloadBytes));
  }
  header.payload_size = static_cast<std::size_t>(declared);
  const std::size_t available = rest.size() - header.header_size;
  if (header.payload_size > available) {
    return malformed(at, str_cat(kind_name(header.kind), " declares ", header.payload_size,
                                 " payload bytes but only ", available, " remain"));
  }
  return header;
}

Result<Header> parse_short(BytesView rest, std::size_t at, RlpKind kind, std::size_t size) {
  auto header = checked_payload(rest, at, Header{kind, 1, 0}, size);
  if (header && kind == RlpKind::string && size == 1 && rest[1] < kShortStringBase)
    return malformed(at, "single byte below 0x80 must not be string-encoded");
  return header;
}

Result<Header> parse_long(BytesView rest, std::size_t at, RlpKind kind, std::size_t length_size) {
  if (rest.size() - 1 < length_size) {
    return malformed(at, str_cat(kind_name(kind), " header needs ", length_size,
                                 " length bytes but only ", rest.size() - 1, " remain"));
  }
  if (rest[1] == 0)
    return malformed(at, str_cat(kind_name(kind), " length has a leading zero byte"));
  // At most 8 length bytes (0xbf, 0xff), so the declared size always fits in 64 bits.
  std::uint64_t declared = 0;
  for (std::size_t i = 1; i <= length_size; ++i)
    declared = (declared << 8) | rest[i];
  if (declared < kRlpShortPayloadLimit) {
    return malformed(at, str_cat(kind_name(kind), " of length ", declared,
                                 " must use the short form (long form is for 56 bytes or more)"));
  }
  return checked_payload(rest, at, Header{kind, 1 + length_size, 0}, declared);
}

}  // namespace

Result<Header> RlpReader::next_header() const {
  if (at_end()) {
    return malformed(offset(), depth_ == 0 ? "unexpected end of input, expected an item"
                                           : "unexpected end of list, expected an item");
  }
  const BytesView rest = data_.subspan(pos_);
  const Byte prefix = rest[0];
  if (prefix < kShortStringBase)
    return Header{RlpKind::string, 0, 1};
  if (prefix <= kLongStringBase)
    return parse_short(rest, offset(), RlpKind::string, prefix - kShortStringBase);
  if (prefix < kShortListBase)
    return parse_long(rest, offset(), RlpKind::string, prefix - kLongStringBase);
  if (prefix <= kLongListBase)
    return parse_short(rest, offset(), RlpKind::list, prefix - kShortListBase);
  return parse_long(rest, offset(), RlpKind::list, prefix - kLongListBase);
}

Result<Header> RlpReader::next_of_kind(RlpKind kind) const {
  auto header = next_header();
  if (header && header->kind != kind) {
    return malformed(
        offset(), str_cat("expected a ", kind_name(kind), ", found a ", kind_name(header->kind)));
  }
  return header;
}

Result<RlpKind> RlpReader::peek_kind() const {
  auto header = next_header();
  if (!header)
    return forward_error(header);
  return header->kind;
}

Result<BytesView> RlpReader::read_string() {
  auto header = next_of_kind(RlpKind::string);
  if (!header)
    return forward_error(header);
  const BytesView out = payload(*header);
  advance(*header);
  return out;
}

Result<BytesView> RlpReader::read_string_of_size(std::size_t size) {
  auto header = next_of_kind(RlpKind::string);
  if (!header)
    return forward_error(header);
  if (header->payload_size != size) {
    return malformed(
        offset(), str_cat("expected a string of ", size, " bytes, found ", header->payload_size));
  }
  const BytesView out = payload(*header);
  advance(*header);
  return out;
}

Result<RlpReader> RlpReader::read_list() {
  auto header = next_of_kind(RlpKind::list);
  if (!header)
    return forward_error(header);
  if (depth_ >= kRlpMaxDepth) {
    return fail(Errc::limit_exceeded,
                str_cat("rlp: offset ", offset(), ": lists nest deeper than ", kRlpMaxDepth));
  }
  const RlpReader inner(payload(*header), offset() + header->header_size, depth_ + 1);
  advance(*header);
  return inner;
}

Result<BytesView> RlpReader::read_uint_bytes(std::size_t max_bytes) {
  auto header = next_of_kind(RlpKind::string);
  if (!header)
    return forward_error(header);
  const BytesView bytes = payload(*header);
  if (!bytes.empty() && bytes[0] == 0)
    return malformed(offset(), "integer has a leading zero byte");
  if (bytes.size() > max_bytes) {
    return fail(Errc::out_of_range, str_cat("rlp: offset ", offset(), ": integer of ", bytes.size(),
                                            " bytes does not fit in ", max_bytes));
  }
  advance(*header);
  return bytes;
}

Result<std::uint64_t> RlpReader::read_uint64() {
  auto bytes = read_uint_bytes(sizeof(std::uint64_t));
  if (!bytes)
    return forward_error(bytes);
  std::uint64_t value = 0;
  for (const Byte b : *bytes)
    value = (value << 8) | b;
  return value;
}

Result<BytesView> RlpReader::read_raw() {
  auto header = next_header();
  if (!header)
    return forward_error(header);
  const BytesView out = data_.subspan(pos_, header->header_size + header->payload_size);
  advance(*header);
  return out;
}

Result<void> RlpReader::skip() {
  auto raw = read_raw();
  if (!raw)
    return forward_error(raw);
  return {};
}

Result<void> RlpReader::finish() const {
  if (at_end())
    return {};
  return malformed(offset(), depth_ == 0 ? "trailing bytes after the top-level item"
                                         : "unexpected extra item at the end of a list");
}

Result<RlpReader> rlp_open_list(BytesView encoded) {
  RlpReader top(encoded);
  auto list = top.read_list();
  if (!list)
    return list;
  if (auto done = top.finish(); !done)
    return forward_error(done);
  return list;
}

}  // namespace tally
