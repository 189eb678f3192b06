#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/peer_frame.hpp>

#include "support/seed.hpp"

namespace tally::chain {
namespace {

Bytes payload_of(std::size_t size, Byte fill) {
  return Bytes(size, fill);
}

TEST(PeerFrame, EncodesLengthChannelPayload) {
  const Bytes payload = {0xaa, 0xbb};
  EXPECT_EQ(encode_frame(Channel::sync, payload), (Bytes{0, 0, 0, 3, 2, 0xaa, 0xbb}));
  EXPECT_EQ(encode_frame(Channel::consensus, {}), (Bytes{0, 0, 0, 1, 0}));
}

TEST(PeerFrame, DecodesFramesCutAnywhere) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 random(seed);
  for (std::uint64_t round = 0; round < test::property_iterations(200); ++round) {
    std::vector<Frame> sent;
    Bytes stream;
    const std::size_t count = 1 + random() % 8;
    for (std::size_t i = 0; i < count; ++i) {
      Frame frame{static_cast<Channel>(random() % kChannelCount),
                  payload_of(random() % 3000, static_cast<Byte>(random()))};
      const Bytes wire = encode_frame(frame.channel, frame.payload);
      stream.insert(stream.end(), wire.begin(), wire.end());
      sent.push_back(std::move(frame));
    }
    FrameDecoder decoder;
    std::vector<Frame> received;
    std::size_t at = 0;
    while (at < stream.size()) {
      const std::size_t take = std::min<std::size_t>(1 + random() % 700, stream.size() - at);
      ASSERT_TRUE(decoder.feed(BytesView(stream).subspan(at, take), received));
      at += take;
    }
    EXPECT_EQ(received, sent);
    EXPECT_EQ(decoder.offset(), stream.size());
  }
}

TEST(PeerFrame, RefusesALengthAboveTheLimitBeforeTheBody) {
  FrameDecoder decoder(1000);
  std::vector<Frame> frames;
  ASSERT_TRUE(
      decoder.feed(encode_frame(Channel::txs, payload_of(999, 1)), frames));  // exactly 1000
  ASSERT_EQ(frames.size(), 1u);
  const auto refused = decoder.feed(Bytes{0, 0, 0x03, 0xe9}, frames);  // 1001: header alone
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::limit_exceeded);
  EXPECT_NE(refused.error().message.find("offset 1004"), std::string::npos) << refused.error();
  // Broken for good: even a valid frame is refused now.
  EXPECT_FALSE(decoder.feed(encode_frame(Channel::txs, {}), frames));
  EXPECT_EQ(frames.size(), 1u);
}

TEST(PeerFrame, DefaultLimitIsKMaxFrameBytes) {
  FrameDecoder decoder;
  std::vector<Frame> frames;
  const std::uint32_t over = kMaxFrameBytes + 1;
  const Bytes header{static_cast<Byte>(over >> 24), static_cast<Byte>(over >> 16),
                     static_cast<Byte>(over >> 8), static_cast<Byte>(over)};
  EXPECT_EQ(decoder.feed(header, frames).error().code, Errc::limit_exceeded);
  FrameDecoder at_limit;
  const std::uint32_t limit = kMaxFrameBytes;
  const Bytes ok_header{static_cast<Byte>(limit >> 24), static_cast<Byte>(limit >> 16),
                        static_cast<Byte>(limit >> 8), static_cast<Byte>(limit)};
  EXPECT_TRUE(at_limit.feed(ok_header, frames));
}

TEST(PeerFrame, RefusesZeroLengthAndUnknownChannels) {
  std::vector<Frame> frames;
  FrameDecoder zero;
  EXPECT_EQ(zero.feed(Bytes{0, 0, 0, 0}, frames).error().code, Errc::malformed);
  FrameDecoder unknown;
  EXPECT_EQ(unknown.feed(Bytes{0, 0, 0, 2, 3, 9}, frames).error().code, Errc::malformed);
  EXPECT_TRUE(frames.empty());
  EXPECT_FALSE(channel_from_byte(3));
  EXPECT_EQ(channel_from_byte(2), Channel::sync);
  EXPECT_EQ(channel_name(Channel::txs), "txs");
}

}  // namespace
}  // namespace tally::chain
