#include <algorithm>

#include <tally/chain/peer_frame.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

constexpr std::size_t kInitialBodyReserve = 64 * 1024;

}  // namespace

std::string_view channel_name(Channel channel) noexcept {
  switch (channel) {
    case Channel::consensus:
      return "consensus";
    case Channel::txs:
      return "txs";
    case Channel::sync:
      return "sync";
  }
  return "unknown";
}

std::optional<Channel> channel_from_byte(std::uint8_t value) noexcept {
  if (value >= kChannelCount)
    return std::nullopt;
  return static_cast<Channel>(value);
}

Bytes encode_frame(Channel channel, BytesView payload) {
  TALLY_ASSERT(payload.size() < kMaxFrameBytes);
  const auto length = static_cast<std::uint32_t>(payload.size() + 1);
  Bytes out;
  out.reserve(kFrameHeaderBytes + length);
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<Byte>(length >> shift));
  out.push_back(static_cast<Byte>(channel));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

FrameDecoder::FrameDecoder(std::uint32_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {
  TALLY_ASSERT(max_frame_bytes >= 1 && max_frame_bytes <= kMaxFrameBytes);
}

Result<void> FrameDecoder::start_body() {
  const std::uint32_t length = (std::uint32_t{header_[0]} << 24) |
                               (std::uint32_t{header_[1]} << 16) |
                               (std::uint32_t{header_[2]} << 8) | std::uint32_t{header_[3]};
  const std::uint64_t at = offset_ - kFrameHeaderBytes;
  if (length == 0)
    return fail(Errc::malformed, str_cat("frame at offset ", at, ": zero length"));
  if (length > max_frame_bytes_) {
    return fail(Errc::limit_exceeded, str_cat("frame at offset ", at, ": length ", length,
                                              " exceeds ", max_frame_bytes_));
  }
  body_size_ = length;
  body_.clear();
  // Memory follows the bytes that actually arrive: a peer announcing a large frame and then
  // trickling holds only what it sent.
  body_.reserve(std::min<std::size_t>(length, kInitialBodyReserve));
  return {};
}

Result<void> FrameDecoder::feed(BytesView data, std::vector<Frame>& frames) {
  if (broken_)
    return std::unexpected(*broken_);
  while (!data.empty()) {
    if (header_filled_ < kFrameHeaderBytes) {
      const std::size_t take = std::min(kFrameHeaderBytes - header_filled_, data.size());
      std::copy_n(data.begin(), take,
                  header_.begin() + static_cast<std::ptrdiff_t>(header_filled_));
      header_filled_ += take;
      offset_ += take;
      data = data.subspan(take);
      if (header_filled_ < kFrameHeaderBytes)
        break;
      if (auto started = start_body(); !started) {
        broken_ = started.error();
        return started;
      }
    }
    const std::size_t take = std::min(body_size_ - body_.size(), data.size());
    body_.insert(body_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
    offset_ += take;
    data = data.subspan(take);
    if (body_.size() < body_size_)
      break;
    const auto channel = channel_from_byte(body_[0]);
    if (!channel) {
      broken_ =
          Error{Errc::malformed, str_cat("frame ending at offset ", offset_, ": unknown channel ",
                                         static_cast<unsigned>(body_[0]))};
      return std::unexpected(*broken_);
    }
    Bytes payload = std::move(body_);  // leaves no large buffer behind
    payload.erase(payload.begin());
    frames.push_back(Frame{*channel, std::move(payload)});
    header_filled_ = 0;
    body_size_ = 0;
    body_ = Bytes();
  }
  return {};
}

}  // namespace tally::chain
