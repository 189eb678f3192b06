#include <tally/chain/precompiles.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/secp256k1.hpp>

#include "precompile_impl.hpp"

namespace tally::chain {
namespace precompile {
namespace {

constexpr std::uint64_t kEcrecoverGas = 3000;
constexpr std::uint64_t kSha256BaseGas = 60;
constexpr std::uint64_t kSha256WordGas = 12;
constexpr std::uint64_t kRipemd160BaseGas = 600;
constexpr std::uint64_t kRipemd160WordGas = 120;
constexpr std::uint64_t kIdentityBaseGas = 15;
constexpr std::uint64_t kIdentityWordGas = 3;

}  // namespace

// Input h || v || r || s, four words. Any invalid signature is a success with empty output: the
// caller checks the returned length (Solidity's ecrecover gives address 0).
PrecompileResult ecrecover(BytesView input, std::uint64_t gas_limit) {
  if (kEcrecoverGas > gas_limit)
    return failure(gas_limit);
  const PrecompileResult invalid = charged(kEcrecoverGas, gas_limit, {});
  const auto digest = padded_slice<32>(input, 0);
  const auto v_word = padded_slice<32>(input, 32);
  // v is 27 or 28 as a whole word: a value with any other high byte is invalid, not truncated.
  if (!std::all_of(v_word.begin(), v_word.end() - 1, [](Byte b) { return b == 0; }) ||
      (v_word[31] != 27 && v_word[31] != 28))
    return invalid;
  secp256k1::Signature signature;
  signature.r.bytes = padded_slice<32>(input, 64);
  signature.s.bytes = padded_slice<32>(input, 96);
  signature.v = static_cast<std::uint8_t>(v_word[31] - 27);
  Hash256 hash;
  hash.bytes = digest;
  const auto key = secp256k1::recover(hash, signature, secp256k1::HighS::allow);
  if (!key)
    return invalid;
  const Hash256 key_hash = keccak256(key->view());
  Bytes output(32, 0);
  std::copy(key_hash.bytes.begin() + 12, key_hash.bytes.end(), output.begin() + 12);
  return charged(kEcrecoverGas, gas_limit, std::move(output));
}

PrecompileResult sha256(BytesView input, std::uint64_t gas_limit) {
  const std::uint64_t gas = linear_gas(kSha256BaseGas, kSha256WordGas, input.size());
  if (gas > gas_limit)
    return failure(gas_limit);
  const Hash256 digest = tally::sha256(input);
  return charged(gas, gas_limit, Bytes(digest.bytes.begin(), digest.bytes.end()));
}

// The 20-byte digest left-padded to a word.
PrecompileResult ripemd160(BytesView input, std::uint64_t gas_limit) {
  const std::uint64_t gas = linear_gas(kRipemd160BaseGas, kRipemd160WordGas, input.size());
  if (gas > gas_limit)
    return failure(gas_limit);
  const Ripemd160Digest digest = tally::ripemd160(input);
  Bytes output(32, 0);
  std::copy(digest.bytes.begin(), digest.bytes.end(), output.begin() + 12);
  return charged(gas, gas_limit, std::move(output));
}

PrecompileResult identity(BytesView input, std::uint64_t gas_limit) {
  const std::uint64_t gas = linear_gas(kIdentityBaseGas, kIdentityWordGas, input.size());
  if (gas > gas_limit)
    return failure(gas_limit);
  return charged(gas, gas_limit, Bytes(input.begin(), input.end()));
}

// See precompiles.hpp: no input can be valid on a chain without blobs, so the price Ethereum
// charges for a valid one (50000) never applies.
PrecompileResult point_evaluation(BytesView, std::uint64_t gas_limit) {
  return failure(gas_limit);
}

}  // namespace precompile

namespace {

// The precompile number: the address as an integer, 0 when it is not one of 1..10.
std::size_t precompile_index(const Address& address) noexcept {
  for (std::size_t i = 0; i + 1 < Address::kSize; ++i) {
    if (address.bytes[i] != 0)
      return 0;
  }
  const Byte last = address.bytes[Address::kSize - 1];
  return last >= 1 && last <= 10 ? last : 0;
}

}  // namespace

bool is_precompile(const Address& address) noexcept {
  return precompile_index(address) != 0;
}

PrecompileResult run_precompile(const Address& address, BytesView input, std::uint64_t gas_limit) {
  using Run = PrecompileResult (*)(BytesView, std::uint64_t);
  static constexpr Run kRuns[] = {
      precompile::ecrecover,        precompile::sha256,        precompile::ripemd160,
      precompile::identity,         precompile::modexp,        precompile::bn254_add,
      precompile::bn254_mul,        precompile::bn254_pairing, precompile::blake2f,
      precompile::point_evaluation,
  };
  const std::size_t index = precompile_index(address);
  TALLY_ASSERT(index != 0);
  return kRuns[index - 1](input, gas_limit);
}

}  // namespace tally::chain
