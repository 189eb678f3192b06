// EIP-152: the BLAKE2b compression function F (RFC 7693 section 3.2) with the round count as a
// parameter. Input, exactly 213 bytes: rounds (4 bytes, big-endian) || h (8 words) || m (16 words)
// || t (2 words) || f (1 byte, 0 or 1); the words are 64-bit little-endian. Output: the new h.
#include <array>
#include <bit>

#include "precompile_impl.hpp"

namespace tally::chain::precompile {
namespace {

constexpr std::size_t kInputSize = 213;
constexpr std::uint64_t kGasPerRound = 1;

constexpr std::array<std::uint64_t, 8> kIv = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

constexpr std::array<std::array<std::uint8_t, 16>, 10> kSigma = {{
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
}};

std::uint64_t load_le64(BytesView bytes, std::size_t offset) noexcept {
  std::uint64_t out = 0;
  for (std::size_t i = 8; i-- > 0;)
    out = (out << 8) | bytes[offset + i];
  return out;
}

void store_le64(std::uint64_t value, Byte* out) noexcept {
  for (std::size_t i = 0; i < 8; ++i)
    out[i] = static_cast<Byte>(value >> (8 * i));
}

using State = std::array<std::uint64_t, 16>;

void mix(State& v,
         std::size_t a,
         std::size_t b,
         std::size_t c,
         std::size_t d,
         std::uint64_t x,
         std::uint64_t y) noexcept {
  v[a] = v[a] + v[b] + x;
  v[d] = std::rotr(v[d] ^ v[a], 32);
  v[c] = v[c] + v[d];
  v[b] = std::rotr(v[b] ^ v[c], 24);
  v[a] = v[a] + v[b] + y;
  v[d] = std::rotr(v[d] ^ v[a], 16);
  v[c] = v[c] + v[d];
  v[b] = std::rotr(v[b] ^ v[c], 63);
}

void compress(std::uint32_t rounds,
              std::array<std::uint64_t, 8>& h,
              const std::array<std::uint64_t, 16>& m,
              std::uint64_t t0,
              std::uint64_t t1,
              bool final_block) noexcept {
  State v{};
  std::copy(h.begin(), h.end(), v.begin());
  std::copy(kIv.begin(), kIv.end(), v.begin() + 8);
  v[12] ^= t0;
  v[13] ^= t1;
  if (final_block)
    v[14] = ~v[14];
  for (std::uint32_t round = 0; round < rounds; ++round) {
    const auto& s = kSigma[round % 10];
    mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
    mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
    mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
    mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
    mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
    mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
    mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
    mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (std::size_t i = 0; i < 8; ++i)
    h[i] ^= v[i] ^ v[i + 8];
}

}  // namespace

PrecompileResult blake2f(BytesView input, std::uint64_t gas_limit) {
  if (input.size() != kInputSize)
    return failure(gas_limit);
  const Byte final_flag = input[212];
  if (final_flag > 1)
    return failure(gas_limit);
  const std::uint32_t rounds = (std::uint32_t{input[0]} << 24) | (std::uint32_t{input[1]} << 16) |
                               (std::uint32_t{input[2]} << 8) | std::uint32_t{input[3]};
  // Charged before the work: up to 2^32 - 1 rounds are possible.
  if (rounds * kGasPerRound > gas_limit)
    return failure(gas_limit);
  std::array<std::uint64_t, 8> h{};
  for (std::size_t i = 0; i < 8; ++i)
    h[i] = load_le64(input, 4 + 8 * i);
  std::array<std::uint64_t, 16> m{};
  for (std::size_t i = 0; i < 16; ++i)
    m[i] = load_le64(input, 68 + 8 * i);
  compress(rounds, h, m, load_le64(input, 196), load_le64(input, 204), final_flag == 1);
  Bytes output(64);
  for (std::size_t i = 0; i < 8; ++i)
    store_le64(h[i], output.data() + 8 * i);
  return charged(rounds * kGasPerRound, gas_limit, std::move(output));
}

}  // namespace tally::chain::precompile
