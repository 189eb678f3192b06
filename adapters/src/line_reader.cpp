#include <algorithm>
#include <cstring>

#include <tally/adapters/line_reader.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

}  // namespace

LineReader::LineReader(ByteSource& source, std::size_t max_line_bytes)
    : source_(source), max_line_bytes_(max_line_bytes), buffer_(max_line_bytes + kChunkBytes + 2) {}

// Moves the unread tail to the front and reads more after it; false at the end of the input.
Result<bool> LineReader::fill() {
  if (at_end_)
    return false;
  if (start_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  TALLY_TRY(const std::size_t count,
            source_.read(std::span<Byte>(buffer_).subspan(end_, buffer_.size() - end_)));
  if (count == 0)
    at_end_ = true;
  end_ += count;
  return count > 0;
}

Result<std::optional<Line>> LineReader::next() {
  std::size_t scanned = 0;  // bytes of the current line already searched for LF
  for (;;) {
    const Byte* begin = buffer_.data() + start_;
    const auto* newline =
        static_cast<const Byte*>(std::memchr(begin + scanned, '\n', end_ - start_ - scanned));
    const std::size_t available = end_ - start_;
    if (newline != nullptr || (at_end_ && available > 0)) {
      std::size_t length =
          newline != nullptr ? static_cast<std::size_t>(newline - begin) : available;
      const std::size_t consumed = newline != nullptr ? length + 1 : length;
      if (length > 0 && begin[length - 1] == '\r')
        --length;
      if (length > max_line_bytes_)
        break;
      Line line{BytesView(begin, length), ++line_number_, offset_};
      start_ += consumed;
      offset_ += consumed;
      return std::optional<Line>(line);
    }
    if (at_end_)
      return std::optional<Line>();
    if (available > max_line_bytes_ + 1)
      break;
    scanned = available;
    TALLY_TRY(const bool more, fill());
    (void)more;
  }
  return fail(Errc::limit_exceeded, str_cat("line ", line_number_ + 1, " (byte ", offset_,
                                            ") is longer than ", max_line_bytes_, " bytes"));
}

}  // namespace tally::adapters
