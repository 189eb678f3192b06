// The peer frame decoder on arbitrary streams: fed whole and fed in pieces (the cut sizes taken
// from the input) it must agree, never exceed its limit, and re-encoding what it decoded must give
// back the bytes it consumed up to the last complete frame.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <tally/chain/peer_frame.hpp>
#include <tally/core/assert.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally;
  using namespace tally::chain;
  if (size < 1)
    return 0;
  const std::size_t step = 1 + data[0] % 16;
  const BytesView stream(data + 1, size - 1);
  constexpr std::uint32_t kLimit = 4096;  // small, so the fuzzer reaches it

  FrameDecoder whole(kLimit);
  std::vector<Frame> whole_frames;
  const auto whole_result = whole.feed(stream, whole_frames);

  FrameDecoder pieces(kLimit);
  std::vector<Frame> piece_frames;
  Result<void> piece_result;
  for (std::size_t at = 0; at < stream.size() && piece_result; at += step)
    piece_result =
        pieces.feed(stream.subspan(at, std::min(step, stream.size() - at)), piece_frames);

  TALLY_ASSERT(whole_result.has_value() == piece_result.has_value());
  TALLY_ASSERT(whole_frames == piece_frames);
  Bytes encoded;
  for (const Frame& frame : whole_frames) {
    TALLY_ASSERT(frame.payload.size() + 1 <= kLimit);
    const Bytes wire = encode_frame(frame.channel, frame.payload);
    encoded.insert(encoded.end(), wire.begin(), wire.end());
  }
  TALLY_ASSERT(encoded.size() <= stream.size());
  TALLY_ASSERT(std::equal(encoded.begin(), encoded.end(), stream.begin()));
  return 0;
}
