#pragma once
// A call frame's memory: bytes growing in 32-byte words, zero-filled. Growth is paid for by the
// caller (memory_cost in gas_schedule.hpp); this class only holds the bytes.

#include <cstdint>

#include <tally/core/bytes.hpp>

namespace tally::chain {

// Offsets beyond this cannot be paid for with any gas limit this chain allows (the quadratic term
// alone passes 2^63 far earlier), so a larger offset is out of gas before any arithmetic overflows.
inline constexpr std::uint64_t kMaxMemorySize = std::uint64_t{1} << 32;

class EvmMemory {
 public:
  std::uint64_t size() const noexcept { return data_.size(); }
  std::uint64_t words() const noexcept { return data_.size() / 32; }
  Byte* data() noexcept { return data_.data(); }
  const Byte* data() const noexcept { return data_.data(); }
  // Grows to `new_words` words (never shrinks).
  void grow_to_words(std::uint64_t new_words) {
    if (new_words * 32 > data_.size())
      data_.resize(new_words * 32, 0);
  }
  BytesView view(std::uint64_t offset, std::uint64_t size) const noexcept {
    return BytesView(data_).subspan(offset, size);
  }

 private:
  Bytes data_;
};

}  // namespace tally::chain
