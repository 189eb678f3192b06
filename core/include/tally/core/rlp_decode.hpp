#pragma once
// Strict, zero-copy RLP decoding. A reader walks a sequence of items (a whole input, or the payload
// of a list) and hands out views into the input; nothing is copied or allocated on success.
//
// Only canonical encodings are accepted, so every value has exactly one encoding and hashes of
// re-encoded data match. Refused, with Errc::malformed and a message naming the byte offset in the
// original input ("rlp: offset 3: ..."):
//   - a single byte below 0x80 written as a one-byte string (0x81 0x00..0x7f);
//   - the long form for a payload shorter than 56 bytes;
//   - a length with leading zero bytes;
//   - a length reaching past the end of the input or of the enclosing list;
//   - bytes after the top-level item (see finish), items of the wrong kind;
//   - read as an integer: leading zero bytes (zero is the empty string).
// Crossing a bound is Errc::limit_exceeded; an integer wider than the type asked for is
// Errc::out_of_range.
//
// A reader checks what it reads: the header of every item it passes, and the contents of the items
// it is asked for. A decoder that reads every field and calls finish() on every list has therefore
// checked the whole input; rlp_decode (rlp.hpp) does that for arbitrary structures.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally {

// Lists nest at most this deep. Ethereum structures need fewer than ten levels; the bound keeps
// recursive consumers (rlp_decode) off the end of the stack.
inline constexpr std::size_t kRlpMaxDepth = 64;

// No string or list payload may declare more bytes than this, whatever the input holds. It must
// stay above the largest block or transaction the chain accepts; 64 MiB leaves room for that and
// keeps offset arithmetic far from overflow.
inline constexpr std::size_t kRlpMaxPayloadBytes = std::size_t{64} << 20;

enum class RlpKind : std::uint8_t { string, list };

namespace detail {
struct RlpHeader {
  RlpKind kind;
  std::size_t header_size;  // 0 for a single byte below 0x80, which is its own payload
  std::size_t payload_size;
};
// A header or the reason there is none; defined beside the parser. Parsing reports problems as
// plain codes and only a failing read builds the message, so the success path never allocates.
struct RlpParsed;
}  // namespace detail

class RlpReader {
 public:
  // A reader over the items of a whole encoding. Usually it holds one item: read it, then finish().
  explicit RlpReader(BytesView input) noexcept : data_(input) {}
  // Views would dangle: keep the bytes alive for as long as the reader and what it returns.
  explicit RlpReader(Bytes&& input) = delete;

  bool at_end() const noexcept { return pos_ == data_.size(); }
  // Offset of the next item in the original input.
  std::size_t offset() const noexcept { return base_ + pos_; }
  // 0 for a reader over a whole input, 1 inside a top-level list, and so on.
  std::size_t depth() const noexcept { return depth_; }

  // Kind of the next item, without consuming it.
  Result<RlpKind> peek_kind() const;

  // Each read consumes one item on success and nothing on failure.
  Result<BytesView> read_string();
  // A string of exactly `size` bytes (an address, a hash).
  Result<BytesView> read_string_of_size(std::size_t size);
  template <std::size_t N>
  Result<FixedBytes<N>> read_fixed();
  // A reader over the list's payload, one level deeper.
  Result<RlpReader> read_list();
  Result<std::uint64_t> read_uint64();
  // A non-negative integer of at most `max_bytes` bytes, as its minimal big-endian bytes (empty for
  // zero): 32 for a 256-bit word.
  Result<BytesView> read_uint_bytes(std::size_t max_bytes);
  // The whole encoding of the next item, header included (to hash it or keep it as is). Only the
  // header is checked.
  Result<BytesView> read_raw();
  Result<void> skip();

  // Succeeds if every item has been read: trailing bytes after a top-level item, or an extra item
  // in a list of fixed shape, are refused.
  Result<void> finish() const;

 private:
  using Header = detail::RlpHeader;
  using Parsed = detail::RlpParsed;

  RlpReader(BytesView data, std::size_t base, std::size_t depth) noexcept
      : data_(data), base_(base), depth_(depth) {}

  Parsed parse_next() const noexcept;
  Parsed parse_next(RlpKind kind) const noexcept;
  std::unexpected<Error> error_for(const Parsed& parsed) const;
  BytesView payload(const Header& header) const noexcept {
    return data_.subspan(pos_ + header.header_size, header.payload_size);
  }
  void advance(const Header& header) noexcept { pos_ += header.header_size + header.payload_size; }

  BytesView data_;
  std::size_t pos_ = 0;
  std::size_t base_ = 0;  // offset of data_ in the original input
  std::size_t depth_ = 0;
};

template <std::size_t N>
Result<FixedBytes<N>> RlpReader::read_fixed() {
  auto bytes = read_string_of_size(N);
  if (!bytes)
    return std::unexpected(std::move(bytes.error()));
  FixedBytes<N> out;
  std::ranges::copy(*bytes, out.bytes.begin());
  return out;
}

// The payload reader of `encoded`, which must hold exactly one list and nothing after it: the usual
// first step in decoding a transaction or a block.
Result<RlpReader> rlp_open_list(BytesView encoded);
Result<RlpReader> rlp_open_list(Bytes&& encoded) = delete;

}  // namespace tally
