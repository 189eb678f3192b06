#include <string_view>

#include <tally/core/assert.hpp>
#include <tally/core/rlp_decode.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>

namespace tally {

struct detail::RlpParsed {
  enum class Problem : std::uint8_t {
    none,
    end_of_data,
    wrong_kind,
    single_byte_as_string,
    short_payload_in_long_form,
    length_leading_zero,
    length_cut,
    payload_cut,
    payload_above_limit,
  };

  RlpHeader header{};
  Problem problem = Problem::none;
  std::uint64_t declared = 0;  // the payload size the header declares
};

namespace {

using Header = detail::RlpHeader;
using Parsed = detail::RlpParsed;
using Problem = Parsed::Problem;

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

// `parsed.header` has its header size; check the declared payload against the limit and `rest`.
Parsed with_payload(BytesView rest, Parsed parsed, std::uint64_t declared) noexcept {
  parsed.declared = declared;
  if (declared > kRlpMaxPayloadBytes) {
    parsed.problem = Problem::payload_above_limit;
  } else if (declared > rest.size() - parsed.header.header_size) {
    parsed.problem = Problem::payload_cut;
  } else {
    parsed.header.payload_size = static_cast<std::size_t>(declared);
  }
  return parsed;
}

Parsed parse_short(BytesView rest, RlpKind kind, std::size_t size) noexcept {
  Parsed parsed = with_payload(rest, Parsed{.header = {kind, 1, 0}}, size);
  if (parsed.problem == Problem::none && kind == RlpKind::string && size == 1 &&
      rest[1] < kShortStringBase) {
    parsed.problem = Problem::single_byte_as_string;
  }
  return parsed;
}

Parsed parse_long(BytesView rest, RlpKind kind, std::size_t length_size) noexcept {
  Parsed parsed{.header = {kind, 1 + length_size, 0}};
  if (rest.size() - 1 < length_size) {
    parsed.problem = Problem::length_cut;
    return parsed;
  }
  if (rest[1] == 0) {
    parsed.problem = Problem::length_leading_zero;
    return parsed;
  }
  // At most 8 length bytes (0xbf, 0xff), so the declared size always fits in 64 bits.
  std::uint64_t declared = 0;
  for (std::size_t i = 1; i <= length_size; ++i)
    declared = (declared << 8) | rest[i];
  if (declared < kRlpShortPayloadLimit) {
    parsed.declared = declared;
    parsed.problem = Problem::short_payload_in_long_form;
    return parsed;
  }
  return with_payload(rest, parsed, declared);
}

Parsed parse_header(BytesView rest) noexcept {
  if (rest.empty())
    return Parsed{.problem = Problem::end_of_data};
  const Byte prefix = rest[0];
  if (prefix < kShortStringBase)
    return Parsed{.header = {RlpKind::string, 0, 1}};
  if (prefix <= kLongStringBase)
    return parse_short(rest, RlpKind::string, prefix - kShortStringBase);
  if (prefix < kShortListBase)
    return parse_long(rest, RlpKind::string, prefix - kLongStringBase);
  if (prefix <= kLongListBase)
    return parse_short(rest, RlpKind::list, prefix - kShortListBase);
  return parse_long(rest, RlpKind::list, prefix - kLongListBase);
}

std::unexpected<Error> malformed(std::size_t at, std::string_view what) {
  return fail(Errc::malformed, str_cat("rlp: offset ", at, ": ", what));
}

}  // namespace

Parsed RlpReader::parse_next() const noexcept {
  return parse_header(data_.subspan(pos_));
}

Parsed RlpReader::parse_next(RlpKind kind) const noexcept {
  Parsed parsed = parse_next();
  if (parsed.problem == Problem::none && parsed.header.kind != kind)
    parsed.problem = Problem::wrong_kind;
  return parsed;
}

// Runs only when a read fails.
[[gnu::cold]] std::unexpected<Error> RlpReader::error_for(const Parsed& parsed) const {
  TALLY_ASSERT(parsed.problem != Problem::none);
  const std::size_t at = offset();
  const std::string_view kind = kind_name(parsed.header.kind);
  const std::size_t header_size = parsed.header.header_size;
  switch (parsed.problem) {
    case Problem::end_of_data:
      return malformed(at, depth_ == 0 ? "unexpected end of input, expected an item"
                                       : "unexpected end of list, expected an item");
    case Problem::wrong_kind:
      return malformed(at, str_cat("expected a ",
                                   kind_name(parsed.header.kind == RlpKind::list ? RlpKind::string
                                                                                 : RlpKind::list),
                                   ", found a ", kind));
    case Problem::single_byte_as_string:
      return malformed(at, "single byte below 0x80 must not be string-encoded");
    case Problem::short_payload_in_long_form:
      return malformed(at, str_cat(kind, " of length ", parsed.declared,
                                   " must use the short form (long form is for 56 bytes or more)"));
    case Problem::length_leading_zero:
      return malformed(at, str_cat(kind, " length has a leading zero byte"));
    case Problem::length_cut:
      return malformed(at, str_cat(kind, " header needs ", header_size - 1,
                                   " length bytes but only ", data_.size() - pos_ - 1, " remain"));
    case Problem::payload_cut:
      return malformed(at, str_cat(kind, " declares ", parsed.declared, " payload bytes but only ",
                                   data_.size() - pos_ - header_size, " remain"));
    case Problem::payload_above_limit:
      return fail(Errc::limit_exceeded,
                  str_cat("rlp: offset ", at, ": ", kind, " declares ", parsed.declared,
                          " payload bytes, above the limit of ", kRlpMaxPayloadBytes));
    case Problem::none:
      break;
  }
  return fail(Errc::internal, str_cat("rlp: offset ", at, ": unknown problem"));
}

Result<RlpKind> RlpReader::peek_kind() const {
  const Parsed parsed = parse_next();
  if (parsed.problem != Problem::none) [[unlikely]]
    return error_for(parsed);
  return parsed.header.kind;
}

Result<BytesView> RlpReader::read_string() {
  const Parsed parsed = parse_next(RlpKind::string);
  if (parsed.problem != Problem::none) [[unlikely]]
    return error_for(parsed);
  const BytesView out = payload(parsed.header);
  advance(parsed.header);
  return out;
}

Result<BytesView> RlpReader::read_string_of_size(std::size_t size) {
  const Parsed parsed = parse_next(RlpKind::string);
  if (parsed.problem != Problem::none) [[unlikely]]
    return error_for(parsed);
  if (parsed.header.payload_size != size) [[unlikely]] {
    return malformed(offset(), str_cat("expected a string of ", size, " bytes, found ",
                                       parsed.header.payload_size));
  }
  const BytesView out = payload(parsed.header);
  advance(parsed.header);
  return out;
}

Result<RlpReader> RlpReader::read_list() {
  const Parsed parsed = parse_next(RlpKind::list);
  if (parsed.problem != Problem::none) [[unlikely]]
    return error_for(parsed);
  if (depth_ >= kRlpMaxDepth) [[unlikely]] {
    return fail(Errc::limit_exceeded,
                str_cat("rlp: offset ", offset(), ": lists nest deeper than ", kRlpMaxDepth));
  }
  const RlpReader inner(payload(parsed.header), offset() + parsed.header.header_size, depth_ + 1);
  advance(parsed.header);
  return inner;
}

Result<BytesView> RlpReader::read_uint_bytes(std::size_t max_bytes) {
  const Parsed parsed = parse_next(RlpKind::string);
  if (parsed.problem != Problem::none) [[unlikely]]
    return error_for(parsed);
  const BytesView bytes = payload(parsed.header);
  if (!bytes.empty() && bytes[0] == 0) [[unlikely]]
    return malformed(offset(), "integer has a leading zero byte");
  if (bytes.size() > max_bytes) [[unlikely]] {
    return fail(Errc::out_of_range, str_cat("rlp: offset ", offset(), ": integer of ", bytes.size(),
                                            " bytes does not fit in ", max_bytes));
  }
  advance(parsed.header);
  return bytes;
}

Result<std::uint64_t> RlpReader::read_uint64() {
  auto bytes = read_uint_bytes(sizeof(std::uint64_t));
  if (!bytes) [[unlikely]]
    return forward_error(bytes);
  std::uint64_t value = 0;
  for (const Byte b : *bytes)
    value = (value << 8) | b;
  return value;
}

Result<BytesView> RlpReader::read_raw() {
  const Parsed parsed = parse_next();
  if (parsed.problem != Problem::none) [[unlikely]]
    return error_for(parsed);
  const BytesView out = data_.subspan(pos_, parsed.header.header_size + parsed.header.payload_size);
  advance(parsed.header);
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
