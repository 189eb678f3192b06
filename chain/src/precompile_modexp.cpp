// EIP-198 modular exponentiation with EIP-2565 gas, the arithmetic by OpenSSL's BIGNUM.
//
// Input: three 32-byte big-endian lengths B, E, M, then base (B bytes), exponent (E bytes) and
// modulus (M bytes), every byte past the input's end read as zero. Output: base^exponent mod
// modulus, M bytes big-endian; a zero modulus gives M zero bytes.
//
// The lengths are any 256-bit words: gas is computed first, saturating, and only lengths that the
// gas limit pays for are ever allocated (gas grows with the square of max(B, M) and linearly with
// E).
#include <algorithm>
#include <memory>

#include <openssl/bn.h>

#include <tally/core/u256.hpp>

#include "precompile_impl.hpp"

namespace tally::chain::precompile {
namespace {

using detail::uint128;

constexpr std::uint64_t kMinGas = 200;
constexpr std::uint64_t kGasDivisor = 3;
constexpr std::uint64_t kHeaderSize = 96;
// OpenSSL sizes are int. Paying for an operand this long takes more than five billion gas, beyond
// any block's gas limit, so refusing it (as a failure) never departs from Ethereum in practice.
constexpr std::uint64_t kMaxOperandBytes = INT32_MAX;
// Above any u64 gas limit: a saturated computation lands here.
constexpr uint128 kGasSaturated = uint128{1} << 100;

std::uint64_t saturating_length(const std::array<Byte, 32>& word) {
  Hash256 bytes;
  bytes.bytes = word;
  const u256 value = u256::from_be(bytes);
  return value.fits_u64() ? value.low_u64() : UINT64_MAX;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) noexcept {
  std::uint64_t sum = 0;
  return __builtin_add_overflow(a, b, &sum) ? UINT64_MAX : sum;
}

uint128 saturating_mul(uint128 a, uint128 b) noexcept {
  if (a != 0 && b > kGasSaturated / a)
    return kGasSaturated;
  return std::min(a * b, kGasSaturated);
}

struct Lengths {
  std::uint64_t base = 0;
  std::uint64_t exponent = 0;
  std::uint64_t modulus = 0;
};

// EIP-2565's iteration count from the exponent's length and its first (up to) 32 bytes.
uint128 iteration_count(const Lengths& lengths, BytesView input) {
  const std::uint64_t exponent_offset = saturating_add(kHeaderSize, lengths.base);
  auto head_bytes = padded_slice<32>(input, exponent_offset);
  // Exponents shorter than a word: the head is the whole exponent, right-aligned.
  if (lengths.exponent < 32) {
    const auto shift = static_cast<std::size_t>(32 - lengths.exponent);
    std::copy_backward(head_bytes.begin(), head_bytes.end() - static_cast<std::ptrdiff_t>(shift),
                       head_bytes.end());
    std::fill_n(head_bytes.begin(), shift, Byte{0});
  }
  Hash256 head_word;
  head_word.bytes = head_bytes;
  const unsigned head_bits = u256::from_be(head_word).bit_length();
  uint128 count = head_bits > 0 ? head_bits - 1 : 0;
  if (lengths.exponent > 32)
    count += saturating_mul(8, lengths.exponent - 32);
  return std::max<uint128>(count, 1);
}

uint128 required_gas(const Lengths& lengths, BytesView input) {
  const uint128 words = (uint128{std::max(lengths.base, lengths.modulus)} + 7) / 8;
  const uint128 complexity = saturating_mul(words, words);
  const uint128 gas = saturating_mul(complexity, iteration_count(lengths, input)) / kGasDivisor;
  return std::max<uint128>(gas, kMinGas);
}

struct BnFree {
  void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};
struct BnCtxFree {
  void operator()(BN_CTX* ctx) const noexcept { BN_CTX_free(ctx); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

// The operand at input[offset, offset + size), zero-padded.
BnPtr read_operand(BytesView input, std::uint64_t offset, std::uint64_t size) {
  Bytes bytes(size, 0);
  if (offset < input.size()) {
    const std::uint64_t available = std::min<std::uint64_t>(size, input.size() - offset);
    std::copy_n(input.begin() + static_cast<std::ptrdiff_t>(offset), available, bytes.begin());
  }
  BnPtr out(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  TALLY_ASSERT(out != nullptr);
  return out;
}

Bytes compute(BytesView input, const Lengths& lengths) {
  Bytes output(lengths.modulus, 0);
  const BnPtr modulus =
      read_operand(input, kHeaderSize + lengths.base + lengths.exponent, lengths.modulus);
  if (BN_is_zero(modulus.get()))
    return output;
  const BnPtr base = read_operand(input, kHeaderSize, lengths.base);
  const BnPtr exponent = read_operand(input, kHeaderSize + lengths.base, lengths.exponent);
  const BnPtr result(BN_new());
  const std::unique_ptr<BN_CTX, BnCtxFree> ctx(BN_CTX_new());
  TALLY_ASSERT(result != nullptr && ctx != nullptr);
  TALLY_ASSERT(BN_mod_exp(result.get(), base.get(), exponent.get(), modulus.get(), ctx.get()) == 1);
  TALLY_ASSERT(BN_bn2binpad(result.get(), output.data(), static_cast<int>(output.size())) >= 0);
  return output;
}

}  // namespace

PrecompileResult modexp(BytesView input, std::uint64_t gas_limit) {
  const Lengths lengths{
      .base = saturating_length(padded_slice<32>(input, 0)),
      .exponent = saturating_length(padded_slice<32>(input, 32)),
      .modulus = saturating_length(padded_slice<32>(input, 64)),
  };
  const uint128 gas = required_gas(lengths, input);
  if (gas > gas_limit)
    return failure(gas_limit);
  // Paid for: base and modulus lengths are now below 2^36, the exponent's below 2^63 (and far
  // below with any real gas limit).
  const auto gas_used = static_cast<std::uint64_t>(gas);
  if (lengths.modulus == 0)
    return charged(gas_used, gas_limit, {});
  if (std::max({lengths.base, lengths.exponent, lengths.modulus}) > kMaxOperandBytes)
    return failure(gas_limit);
  return charged(gas_used, gas_limit, compute(input, lengths));
}

}  // namespace tally::chain::precompile
