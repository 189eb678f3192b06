#pragma once
// Keccak-256 as Ethereum uses it: the Keccak[c=512] sponge with the original multi-rate padding
// (first pad byte 0x01), not FIPS 202 SHA3-256 (first pad byte 0x06). Same permutation, different
// digests. OpenSSL 3.0 offers only SHA3, so the Keccak-f[1600] permutation is implemented here.

#include <array>
#include <cstddef>
#include <cstdint>

#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally {

// Incremental hasher for inputs that arrive in pieces. update() any number of times, then
// finalize(), which returns the digest and resets the hasher to the empty state for reuse.
class Keccak256 {
 public:
  static constexpr std::size_t kRateBytes = 136;  // 1600 - 2 * 256 bits

  Keccak256& update(BytesView data) noexcept;
  Hash256 finalize() noexcept;

 private:
  void absorb_byte(std::size_t position, Byte value) noexcept;

  std::array<std::uint64_t, 25> lanes_{};
  std::size_t position_ = 0;  // bytes absorbed into the current block, < kRateBytes
};

Hash256 keccak256(BytesView data) noexcept;

// The Keccak-f[1600] permutation on 25 lanes, lane (x, y) at index x + 5 * y. Exposed for its
// known-answer test; callers want keccak256().
void keccak_f1600(std::array<std::uint64_t, 25>& lanes) noexcept;

}  // namespace tally
