#pragma once
// Ethereum RLP encoding (Yellow Paper, appendix B). Output is always canonical: a single byte below
// 0x80 stands for itself, lengths below 56 use the short form, lengths never carry leading zeros,
// and integers are their minimal big-endian bytes (zero is the empty string, 0x80).
//
// Two levels: `append_rlp_*` write one item or list header straight into a buffer, for encoders
// that know their list lengths; `RlpWriter` builds nested lists without knowing them in advance.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <tally/core/bytes.hpp>

namespace tally {

// Payloads shorter than this use the one-byte short-form header.
inline constexpr std::size_t kRlpShortPayloadLimit = 56;

// Bytes of the header in front of a string or list payload of `payload_size` bytes. (A string of
// one byte below 0x80 has no header at all; see rlp_string_size.)
std::size_t rlp_header_size(std::size_t payload_size) noexcept;

// Encoded size of a byte string, header included.
std::size_t rlp_string_size(BytesView bytes) noexcept;

void append_rlp_string(Bytes& out, BytesView bytes);
void append_rlp_uint(Bytes& out, std::uint64_t value);
// `big_endian` may carry leading zero bytes (a 32-byte word, say); they are not encoded.
void append_rlp_uint_bytes(Bytes& out, BytesView big_endian);
void append_rlp_list_header(Bytes& out, std::size_t payload_size);

// Builds one encoding from a flat sequence of calls:
//
//   RlpWriter w;
//   w.begin_list();
//   w.add_uint(nonce);
//   w.add_string(to.view());
//   w.end_list();
//   Bytes encoded = w.finish();
//
// List headers depend on payload sizes that are known only at end_list. Rather than shifting the
// payload when a header goes in (quadratic in nesting depth), the writer keeps the items in one
// buffer, records each list's position and size, and splices the headers in during finish(): every
// byte is copied at most twice, whatever the nesting.
class RlpWriter {
 public:
  RlpWriter() = default;
  // Reserves room for about `expected_bytes` of output.
  explicit RlpWriter(std::size_t expected_bytes);

  void add_string(BytesView bytes);
  void add_uint(std::uint64_t value);
  void add_uint_bytes(BytesView big_endian);
  // An item that is already RLP (a cached transaction, say), appended unchanged.
  void add_raw(BytesView encoded_item);

  void begin_list();
  void end_list();

  std::size_t open_lists() const noexcept { return open_.size(); }

  // The encoding of everything added; every list must be closed. The writer is empty afterwards and
  // may be reused.
  Bytes finish();
  // The same, appended to `out` (after a type byte, say, or into a buffer that is reused).
  void finish_append(Bytes& out);

 private:
  struct ListMark {
    std::size_t start = 0;           // where the header goes in body_
    std::size_t headers_before = 0;  // header_bytes_ when the list began
    std::size_t payload_size = 0;    // known at end_list
  };

  Bytes body_;                     // items, without list headers
  std::vector<ListMark> lists_;    // in begin_list order, which is also position order
  std::vector<std::size_t> open_;  // indices into lists_ of lists not yet ended
  std::size_t header_bytes_ = 0;   // total header size of the lists already ended
};

// One-item conveniences.
Bytes rlp_encode_string(BytesView bytes);
Bytes rlp_encode_uint(std::uint64_t value);

}  // namespace tally
