#pragma once
// Fixed-size byte strings: hashes and addresses. Value types, ordered, hashable for maps.

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <tally/core/bytes.hpp>
#include <tally/core/str_cat.hpp>

namespace tally {

template <std::size_t N>
struct FixedBytes {
  static constexpr std::size_t kSize = N;

  std::array<Byte, N> bytes{};

  // Exactly N bytes; anything else is out_of_range.
  static Result<FixedBytes> from_span(BytesView view) {
    if (view.size() != N) {
      return fail(Errc::out_of_range, str_cat("expected ", N, " bytes, got ", view.size()));
    }
    FixedBytes out;
    std::ranges::copy(view, out.bytes.begin());
    return out;
  }

  // Strict hex of exactly N bytes, "0x" optional.
  static Result<FixedBytes> from_hex(std::string_view hex) {
    auto raw = tally::from_hex(hex);
    if (!raw)
      return std::unexpected(std::move(raw.error()));
    return from_span(*raw);
  }

  std::string hex(bool with_prefix = true) const { return to_hex(bytes, with_prefix); }

  BytesView view() const noexcept { return bytes; }
  const Byte* data() const noexcept { return bytes.data(); }
  Byte* data() noexcept { return bytes.data(); }
  static constexpr std::size_t size() noexcept { return N; }

  bool is_zero() const noexcept {
    return std::ranges::all_of(bytes, [](Byte b) { return b == 0; });
  }

  auto operator<=>(const FixedBytes&) const = default;
  bool operator==(const FixedBytes&) const = default;
};

using Hash256 = FixedBytes<32>;
using Address = FixedBytes<20>;

}  // namespace tally

// For hash maps. Every byte counts, so values that share a prefix or suffix spread out. It is not
// keyed: a map whose keys an adversary picks (addresses can be ground with CREATE2) should be an
// ordered map, or bounded.
template <std::size_t N>
struct std::hash<tally::FixedBytes<N>> {
  std::size_t operator()(const tally::FixedBytes<N>& value) const noexcept {
    std::uint64_t out = 0x9e3779b97f4a7c15ULL;
    for (const tally::Byte b : value.bytes)
      out = (out ^ b) * 0x100000001b3ULL;  // FNV-1a step
    return static_cast<std::size_t>(out ^ (out >> 32));
  }
};
