#pragma once
// Lines of a text file from a ByteSource, in bounded memory: each line without its terminator
// (LF or CRLF), with its 1-based number and the byte offset of its first byte. A line longer than
// the limit is refused, naming it, rather than buffered.

#include <cstdint>
#include <optional>

#include <tally/adapters/byte_source.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

inline constexpr std::size_t kDefaultMaxLineBytes = 64 * 1024;

struct Line {
  BytesView bytes;  // valid until the next call to LineReader::next
  std::uint64_t number = 0;
  std::uint64_t byte_offset = 0;
};

class LineReader {
 public:
  // The source must outlive the reader.
  explicit LineReader(ByteSource& source, std::size_t max_line_bytes = kDefaultMaxLineBytes);

  // The next line, or nullopt at the end. A last line without a terminator is still a line; an
  // empty input has no lines.
  Result<std::optional<Line>> next();

 private:
  Result<bool> fill();

  ByteSource& source_;
  std::size_t max_line_bytes_;
  Bytes buffer_;
  std::size_t start_ = 0;  // first byte of the next line in buffer_
  std::size_t end_ = 0;    // bytes of buffer_ in use
  bool at_end_ = false;
  std::uint64_t line_number_ = 0;
  std::uint64_t offset_ = 0;  // file offset of buffer_[start_]
};

}  // namespace tally::adapters
