#pragma once
// The camt parser's input: a std::streambuf over a ByteSource (what the SAX parser reads) that
// also keeps a window of the bytes read since the last release, so the raw bytes of the current
// record can be cut out by line and column. The caller releases bytes it no longer needs; the
// window is then the current record plus at most one read-ahead chunk.

#include <cstdint>
#include <optional>
#include <streambuf>
#include <string>

#include <tally/adapters/byte_source.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

class CamtInput final : public std::streambuf {
 public:
  static constexpr std::size_t kChunkBytes = 64 * 1024;

  explicit CamtInput(ByteSource& source);

  // The file offset of (line, column): 1-based line, column in characters from 0 as the XML
  // parser counts them. nullopt when the place is no longer (or not yet) in the window.
  std::optional<std::uint64_t> offset_of(std::uint64_t line, std::uint64_t column);
  // The bytes [from, to) of the file when they are in the window.
  std::optional<BytesView> bytes(std::uint64_t from, std::uint64_t to) const;
  // The offset just past the first '>' at or after `offset` (the end of a tag).
  std::optional<std::uint64_t> end_of_tag(std::uint64_t offset) const;
  // Drops the window's bytes before `offset` (rounded down to a line start already scanned).
  void release_before(std::uint64_t offset);

  // A read error of the source, kept: the SAX parser only sees an end of input.
  const std::optional<Error>& read_error() const noexcept { return read_error_; }
  std::uint64_t bytes_read() const noexcept { return window_offset_ + window_.size(); }
  std::size_t window_bytes() const noexcept { return window_.size(); }

 protected:
  int_type underflow() override;

 private:
  std::optional<std::uint64_t> next_line(std::uint64_t offset) const;

  ByteSource& source_;
  Bytes chunk_;
  Bytes window_;  // file bytes from window_offset_ to bytes_read()
  std::uint64_t window_offset_ = 0;
  std::uint64_t scan_line_ = 1;    // the line starting at scan_offset_
  std::uint64_t scan_offset_ = 0;  // a line start, window_offset_ <= scan_offset_
  std::optional<Error> read_error_;
};

}  // namespace tally::adapters
