#include <algorithm>

#include <tally/core/assert.hpp>
#include <tally/core/rlp_encode.hpp>

namespace tally {
namespace {

constexpr Byte kStringBase = 0x80;
constexpr Byte kListBase = 0xc0;

std::size_t byte_length(std::uint64_t value) noexcept {
  std::size_t length = 0;
  for (; value != 0; value >>= 8)
    ++length;
  return length;
}

// Writes the minimal big-endian bytes of `value` (nothing for zero) at `out`.
void put_big_endian(Byte* out, std::uint64_t value, std::size_t length) noexcept {
  for (std::size_t i = length; i > 0; --i) {
    out[i - 1] = static_cast<Byte>(value & 0xff);
    value >>= 8;
  }
}

// Writes a header for `payload_size` at `out`, which has rlp_header_size(payload_size) bytes.
void put_header(Byte* out, Byte base, std::size_t payload_size) noexcept {
  if (payload_size < kRlpShortPayloadLimit) {
    out[0] = static_cast<Byte>(base + payload_size);
    return;
  }
  const std::size_t length_size = byte_length(payload_size);
  out[0] = static_cast<Byte>(base + kRlpShortPayloadLimit - 1 + length_size);
  put_big_endian(out + 1, payload_size, length_size);
}

void append_header(Bytes& out, Byte base, std::size_t payload_size) {
  const std::size_t at = out.size();
  out.resize(at + rlp_header_size(payload_size));
  put_header(out.data() + at, base, payload_size);
}

BytesView strip_leading_zeros(BytesView big_endian) noexcept {
  const auto first = std::ranges::find_if(big_endian, [](Byte b) { return b != 0; });
  return big_endian.subspan(static_cast<std::size_t>(first - big_endian.begin()));
}

}  // namespace

std::size_t rlp_header_size(std::size_t payload_size) noexcept {
  return payload_size < kRlpShortPayloadLimit ? 1 : 1 + byte_length(payload_size);
}

std::size_t rlp_string_size(BytesView bytes) noexcept {
  if (bytes.size() == 1 && bytes[0] < kStringBase)
    return 1;
  return rlp_header_size(bytes.size()) + bytes.size();
}

void append_rlp_string(Bytes& out, BytesView bytes) {
  if (bytes.size() == 1 && bytes[0] < kStringBase) {
    out.push_back(bytes[0]);
    return;
  }
  append_header(out, kStringBase, bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void append_rlp_uint(Bytes& out, std::uint64_t value) {
  if (value != 0 && value < kStringBase) {
    out.push_back(static_cast<Byte>(value));
    return;
  }
  const std::size_t length = byte_length(value);
  const std::size_t at = out.size();
  out.resize(at + 1 + length);
  out[at] = static_cast<Byte>(kStringBase + length);
  put_big_endian(out.data() + at + 1, value, length);
}

void append_rlp_uint_bytes(Bytes& out, BytesView big_endian) {
  append_rlp_string(out, strip_leading_zeros(big_endian));
}

void append_rlp_list_header(Bytes& out, std::size_t payload_size) {
  append_header(out, kListBase, payload_size);
}

RlpWriter::RlpWriter(std::size_t expected_bytes) {
  body_.reserve(expected_bytes);
}

void RlpWriter::add_string(BytesView bytes) {
  append_rlp_string(body_, bytes);
}

void RlpWriter::add_uint(std::uint64_t value) {
  append_rlp_uint(body_, value);
}

void RlpWriter::add_uint_bytes(BytesView big_endian) {
  append_rlp_uint_bytes(body_, big_endian);
}

void RlpWriter::add_raw(BytesView encoded_item) {
  body_.insert(body_.end(), encoded_item.begin(), encoded_item.end());
}

void RlpWriter::begin_list() {
  open_.push_back(lists_.size());
  lists_.push_back(ListMark{.start = body_.size(), .headers_before = header_bytes_});
}

void RlpWriter::end_list() {
  TALLY_ASSERT(!open_.empty());
  ListMark& mark = lists_[open_.back()];
  open_.pop_back();
  // Lists ended since this one began are exactly the lists nested in it; their headers are part of
  // this payload although they are not in body_ yet.
  mark.payload_size = body_.size() - mark.start + (header_bytes_ - mark.headers_before);
  header_bytes_ += rlp_header_size(mark.payload_size);
}

void RlpWriter::finish_append(Bytes& out) {
  TALLY_ASSERT(open_.empty());
  const std::size_t start = out.size();
  out.resize(start + body_.size() + header_bytes_);
  Byte* to = out.data() + start;
  std::size_t copied = 0;
  // Marks are in position order; a list that starts where its parent starts comes after it.
  for (const ListMark& mark : lists_) {
    to = std::copy(body_.begin() + static_cast<std::ptrdiff_t>(copied),
                   body_.begin() + static_cast<std::ptrdiff_t>(mark.start), to);
    copied = mark.start;
    put_header(to, kListBase, mark.payload_size);
    to += rlp_header_size(mark.payload_size);
  }
  to = std::copy(body_.begin() + static_cast<std::ptrdiff_t>(copied), body_.end(), to);
  TALLY_ASSERT(to == out.data() + out.size());
  // Capacity stays, so a reused writer stops allocating once it has seen its largest encoding.
  body_.clear();
  lists_.clear();
  header_bytes_ = 0;
}

Bytes RlpWriter::finish() {
  Bytes out;
  if (lists_.empty()) {
    TALLY_ASSERT(open_.empty());
    out.swap(body_);  // no header to splice in: hand over the buffer
    return out;
  }
  finish_append(out);
  return out;
}

Bytes rlp_encode_string(BytesView bytes) {
  Bytes out;
  out.reserve(rlp_string_size(bytes));
  append_rlp_string(out, bytes);
  return out;
}

Bytes rlp_encode_uint(std::uint64_t value) {
  Bytes out;
  append_rlp_uint(out, value);
  return out;
}

}  // namespace tally
