#pragma once
// Fixed-size byte strings: hashes and addresses. Value types, ordered, hashable for maps.

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
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

template <std::size_t N>
struct std::hash<tally::FixedBytes<N>> {
  std::size_t operator()(const tally::FixedBytes<N>& value) const noexcept {
    // Inputs are hashes or addresses, already uniformly distributed: the first word suffices.
    std::size_t out = 0;
    for (std::size_t i = 0; i < sizeof(out) && i < N; ++i)
      out = (out << 8) | value.bytes[i];
    return out;
  }
};
