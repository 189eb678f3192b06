// The precompiles through run_precompile, as the EVM calls them. Each reports ops/s (items) and
// gas/s: the gas a precompile charges per second of work shows whether its price is fair beside
// the others (Ethereum aims at roughly the same gas/s everywhere).
#include <benchmark/benchmark.h>

#include <tally/chain/bn254.hpp>
#include <tally/chain/precompiles.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/secp256k1.hpp>

namespace {

using namespace tally;

Address precompile(Byte number) {
  Address out;
  out.bytes[19] = number;
  return out;
}

Bytes word(std::uint64_t value) {
  Bytes out(32, 0);
  for (std::size_t i = 0; i < 8; ++i)
    out[31 - i] = static_cast<Byte>(value >> (8 * i));
  return out;
}

void append(Bytes& out, BytesView more) {
  out.insert(out.end(), more.begin(), more.end());
}

void run(benchmark::State& state, Byte number, const Bytes& input) {
  const Address address = precompile(number);
  std::uint64_t gas = 0;
  for (auto _ : state) {
    const auto result = chain::run_precompile(address, input, 100'000'000);
    if (!result.success)
      state.SkipWithError("precompile failed");
    gas = result.gas_used;
    benchmark::DoNotOptimize(result.output.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["gas/s"] =
      benchmark::Counter(static_cast<double>(gas) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_PrecompileEcrecover(benchmark::State& state) {
  const auto key = secp256k1::PrivateKey::from_bytes(Bytes(32, 0x42)).value();
  const Hash256 digest = keccak256(as_bytes("bench"));
  const auto signature = secp256k1::sign(digest, key);
  Bytes input(digest.bytes.begin(), digest.bytes.end());
  append(input, word(27u + signature.v));
  append(input, signature.r.view());
  append(input, signature.s.view());
  run(state, 1, input);
}
BENCHMARK(BM_PrecompileEcrecover);

// 2048-bit base, exponent and odd modulus: an RSA-size verification with a full exponent.
void BM_PrecompileModexp2048(benchmark::State& state) {
  Bytes input = word(256);
  append(input, word(256));
  append(input, word(256));
  for (int part = 0; part < 3; ++part) {
    Bytes operand(256);
    for (std::size_t i = 0; i < operand.size(); ++i)
      operand[i] = static_cast<Byte>(i * 37 + static_cast<std::size_t>(part) * 101 + 1);
    operand.back() |= 1;
    append(input, operand);
  }
  run(state, 5, input);
}
BENCHMARK(BM_PrecompileModexp2048);

const std::string_view kG1 =
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000002";
const std::string_view kPoint =
    "17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa9"
    "01e0559bacb160664764a357af8a9fe70baa9258e0b959273ffc5718c6d4cc7c";
const std::string_view kG2 =
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
    "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
    "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
const std::string_view kMinusG2 =
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
    "275dc4a288d1afb3cbb1ac09187524c7db36395df7be3b99e673b13a075a65ec"
    "1d9befcd05a5323e6da4d435f3b617cdb3af83285c2df711ef39c01571827f9d";

void BM_PrecompileBn254Add(benchmark::State& state) {
  run(state, 6, from_hex(str_cat(kG1, kPoint)).value());
}
BENCHMARK(BM_PrecompileBn254Add);

void BM_PrecompileBn254Mul(benchmark::State& state) {
  run(state, 7,
      from_hex(str_cat(kPoint, "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000"))
          .value());
}
BENCHMARK(BM_PrecompileBn254Mul);

// Two pairs, e(G1, G2) e(G1, -G2) = 1: the shape of a Groth16-style check.
void BM_PrecompileBn254Pairing2(benchmark::State& state) {
  run(state, 8, from_hex(str_cat(kG1, kG2, kG1, kMinusG2)).value());
}
BENCHMARK(BM_PrecompileBn254Pairing2);

void BM_PrecompileBlake2f12Rounds(benchmark::State& state) {
  Bytes input = {0, 0, 0, 12};
  for (std::size_t i = 0; i < 208; ++i)
    input.push_back(static_cast<Byte>(i * 13 + 5));
  input.push_back(1);
  run(state, 9, input);
}
BENCHMARK(BM_PrecompileBlake2f12Rounds);

// ---- The parts of alt_bn128, to see where a pairing's time goes ---------------------------------

namespace bn = tally::chain::bn254;

void BM_Bn254FpMul(benchmark::State& state) {
  bn::Fp a = bn::Fp::from_u64(123456789);
  const bn::Fp b = bn::Fp::from_u64(987654321);
  for (auto _ : state) {
    a = a * b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Bn254FpMul);

void BM_Bn254FpInverse(benchmark::State& state) {
  bn::Fp a = bn::Fp::from_u64(123456789);
  for (auto _ : state) {
    a = a.inverse() + bn::Fp::one();
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Bn254FpInverse);

void BM_Bn254Fp12Mul(benchmark::State& state) {
  const bn::Fp12 b = bn::pairing(bn::g1_generator(), bn::g2_generator());
  bn::Fp12 a = b.square();
  for (auto _ : state) {
    a = a * b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Bn254Fp12Mul);

void BM_Bn254G2SubgroupCheck(benchmark::State& state) {
  const bn::G2 q = bn::g2_generator();
  for (auto _ : state)
    benchmark::DoNotOptimize(bn::in_subgroup(q));
}
BENCHMARK(BM_Bn254G2SubgroupCheck);

void BM_Bn254MillerLoop(benchmark::State& state) {
  const std::pair<bn::G1, bn::G2> pair{bn::g1_generator(), bn::g2_generator()};
  for (auto _ : state)
    benchmark::DoNotOptimize(bn::miller_loop({&pair, 1}));
}
BENCHMARK(BM_Bn254MillerLoop);

void BM_Bn254FinalExponentiation(benchmark::State& state) {
  const std::pair<bn::G1, bn::G2> pair{bn::g1_generator(), bn::g2_generator()};
  const bn::Fp12 f = bn::miller_loop({&pair, 1});
  for (auto _ : state)
    benchmark::DoNotOptimize(bn::final_exponentiation(f));
}
BENCHMARK(BM_Bn254FinalExponentiation);

}  // namespace
