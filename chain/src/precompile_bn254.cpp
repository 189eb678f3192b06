// EIP-196 (add, scalar multiplication) and EIP-197 (pairing check) on alt_bn128, EIP-1108 gas.
// Invalid input (a coordinate not below p, a point off its curve, a G2 point outside the subgroup,
// a pairing input not a multiple of 192 bytes) fails, consuming all gas.
#include <vector>

#include <tally/chain/bn254.hpp>

#include "precompile_impl.hpp"

namespace tally::chain::precompile {
namespace {

constexpr std::uint64_t kAddGas = 150;
constexpr std::uint64_t kMulGas = 6000;
constexpr std::uint64_t kPairingBaseGas = 45000;
constexpr std::uint64_t kPairingPerPairGas = 34000;
constexpr std::size_t kPairSize = 192;

Bytes encode(const bn254::G1& point) {
  Bytes out(64);
  bn254::encode_g1(point, std::span<Byte, 64>(out.data(), 64));
  return out;
}

Result<bn254::G1> g1_at(BytesView input, std::size_t offset) {
  const auto bytes = padded_slice<64>(input, offset);
  return bn254::decode_g1(bytes);
}

}  // namespace

PrecompileResult bn254_add(BytesView input, std::uint64_t gas_limit) {
  if (kAddGas > gas_limit)
    return failure(gas_limit);
  const auto a = g1_at(input, 0);
  const auto b = g1_at(input, 64);
  if (!a || !b)
    return failure(gas_limit);
  return charged(kAddGas, gas_limit, encode(bn254::add(*a, *b)));
}

PrecompileResult bn254_mul(BytesView input, std::uint64_t gas_limit) {
  if (kMulGas > gas_limit)
    return failure(gas_limit);
  const auto point = g1_at(input, 0);
  if (!point)
    return failure(gas_limit);
  Hash256 scalar;
  scalar.bytes = padded_slice<32>(input, 64);
  return charged(kMulGas, gas_limit, encode(bn254::mul(*point, u256::from_be(scalar))));
}

PrecompileResult bn254_pairing(BytesView input, std::uint64_t gas_limit) {
  if (input.size() % kPairSize != 0)
    return failure(gas_limit);
  const std::uint64_t pair_count = input.size() / kPairSize;
  // Charged before decoding: the subgroup checks cost real work.
  std::uint64_t gas = 0;
  if (__builtin_mul_overflow(pair_count, kPairingPerPairGas, &gas) ||
      __builtin_add_overflow(gas, kPairingBaseGas, &gas))
    return failure(gas_limit);
  if (gas > gas_limit)
    return failure(gas_limit);
  std::vector<std::pair<bn254::G1, bn254::G2>> pairs;
  pairs.reserve(pair_count);
  for (std::size_t offset = 0; offset < input.size(); offset += kPairSize) {
    const auto p = bn254::decode_g1(input.subspan(offset, 64));
    const auto q = bn254::decode_g2(input.subspan(offset + 64, 128));
    if (!p || !q)
      return failure(gas_limit);
    pairs.emplace_back(*p, *q);
  }
  Bytes output(32, 0);
  output[31] = bn254::pairing_check(pairs) ? 1 : 0;
  return charged(gas, gas_limit, std::move(output));
}

}  // namespace tally::chain::precompile
