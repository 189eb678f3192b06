#pragma once
// The peer network's wire frames, inside TLS:
//
//   [u32 big-endian length][u8 channel][payload]      length = 1 + payload size
//
// A length of 0, above the receiver's limit (at most kMaxFrameBytes), or an unknown channel breaks
// the stream: the connection is closed. The limit is checked on the 4 length bytes, before anything
// is allocated, so a peer cannot make a node reserve memory it will not fill.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

enum class Channel : std::uint8_t { consensus = 0, txs = 1, sync = 2 };
inline constexpr std::size_t kChannelCount = 3;

std::string_view channel_name(Channel channel) noexcept;
std::optional<Channel> channel_from_byte(std::uint8_t value) noexcept;

// 16 MiB: a sync response carries whole blocks (a block at the gas limit is far below this).
inline constexpr std::uint32_t kMaxFrameBytes = 16u * 1024 * 1024;
inline constexpr std::size_t kFrameHeaderBytes = 4;

struct Frame {
  Channel channel = Channel::consensus;
  Bytes payload;

  bool operator==(const Frame&) const = default;
};

// The frame's bytes. The payload must fit (1 + size <= kMaxFrameBytes): a caller's bug otherwise.
Bytes encode_frame(Channel channel, BytesView payload);

// Incremental decoding of a byte stream cut anywhere. Memory held is at most one frame.
class FrameDecoder {
 public:
  explicit FrameDecoder(std::uint32_t max_frame_bytes = kMaxFrameBytes);

  // Consumes all of `data`, appending each completed frame to `frames`. An error means the stream
  // is broken; the decoder then refuses everything after it.
  Result<void> feed(BytesView data, std::vector<Frame>& frames);

  // Stream offset of the next byte `feed` will see (for error messages and tests).
  std::uint64_t offset() const noexcept { return offset_; }

 private:
  Result<void> start_body();

  std::uint32_t max_frame_bytes_;
  std::array<Byte, kFrameHeaderBytes> header_{};
  std::size_t header_filled_ = 0;
  std::size_t body_size_ = 0;  // channel byte + payload, once the header is complete
  Bytes body_;                 // reserved to body_size_ only after the limit check
  std::uint64_t offset_ = 0;
  std::optional<Error> broken_;
};

}  // namespace tally::chain
