#pragma once
// What a block header's extra_data carries on this chain, after IBFT 2.0 / QBFT:
//   rlp([vanity (at most 32 bytes), [validator addresses...], round, [commit seals...]])
// The validators are the set that finalises the block; each commit seal is a validator's
// signature (the chain suite's canonical encoding) over the block's seal hash. Anyone holding the
// block and the genesis validator set can check finality offline. The consensus engine decides
// what is signed; this file only fixes the layout and its limits.

#include <cstdint>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

inline constexpr std::size_t kMaxVanityBytes = 32;
inline constexpr std::size_t kMaxValidators = 256;
inline constexpr std::size_t kMaxSealBytes = 128;  // the largest suite signature (guomi)

struct ConsensusExtra {
  Bytes vanity;
  std::vector<Address> validators;
  std::uint32_t round = 0;
  std::vector<Bytes> commit_seals;

  Bytes encode() const;
  // Strict, within the limits above.
  static Result<ConsensusExtra> decode(BytesView extra_data);

  bool operator==(const ConsensusExtra&) const = default;
};

}  // namespace tally::chain
