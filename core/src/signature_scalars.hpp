#pragma once
// The two scalars r and s that secp256k1 ECDSA and SM2 signatures share (private to core/src):
// their 64-byte big-endian form r || s and their range check 0 < x < n.

#include <algorithm>
#include <cstddef>
#include <span>

#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::detail {

inline constexpr std::size_t kRsSize = 64;

inline void write_rs(const Hash256& r, const Hash256& s, std::span<Byte, kRsSize> out) noexcept {
  std::ranges::copy(r.bytes, out.begin());
  std::ranges::copy(s.bytes, out.begin() + Hash256::kSize);
}

struct Rs {
  Hash256 r;
  Hash256 s;
};

inline Rs read_rs(std::span<const Byte, kRsSize> in) noexcept {
  Rs out;
  std::ranges::copy(in.first<Hash256::kSize>(), out.r.bytes.begin());
  std::ranges::copy(in.last<Hash256::kSize>(), out.s.bytes.begin());
  return out;
}

// Big-endian, so byte-wise comparison with the group order is numeric comparison.
inline bool in_scalar_range(const Hash256& value, const Hash256& order) noexcept {
  return !value.is_zero() && value < order;
}

// malformed, naming the value, when r or s lies outside [1, n-1].
inline Result<void> check_rs_range(const Hash256& r, const Hash256& s, const Hash256& order) {
  if (!in_scalar_range(r, order))
    return fail(Errc::malformed, "r is not in [1, n-1]");
  if (!in_scalar_range(s, order))
    return fail(Errc::malformed, "s is not in [1, n-1]");
  return {};
}

}  // namespace tally::detail
