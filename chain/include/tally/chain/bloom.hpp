#pragma once
// The 2048-bit logs bloom of receipts and block headers, exactly as Ethereum builds it: for each
// log, its address and each topic set three bits, taken from the first three byte pairs of their
// Keccak-256 hash. Keccak-256 in both crypto suites: the bloom is an index that clients
// (eth_getLogs filters, ethers) recompute, not a commitment, so it stays Ethereum's.

#include <array>

#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

class Bloom {
 public:
  static constexpr std::size_t kSize = 256;

  Bloom() = default;
  explicit Bloom(const FixedBytes<kSize>& bits) : bits_(bits) {}

  // Sets the three bits of one item (a log's address or topic).
  void add(BytesView item);
  // Whether all three bits of the item are set: false means certainly absent.
  bool may_contain(BytesView item) const;
  // Sets every bit of `other` (the block bloom is the union of its receipts' blooms).
  void merge(const Bloom& other);

  const FixedBytes<kSize>& bits() const noexcept { return bits_; }
  bool operator==(const Bloom&) const = default;

 private:
  FixedBytes<kSize> bits_;
};

}  // namespace tally::chain
