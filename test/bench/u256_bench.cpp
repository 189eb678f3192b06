// u256 against boost::multiprecision::uint256_t, the same operations on the same operands in the
// same run, so the ratio is read straight off the report: BM_U256Mul<Tally> vs BM_U256Mul<Boost>.
// Operands cycle through a fixed table of random words so neither the compiler nor the branch
// predictor sees one input over and over.

#include <cstddef>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/multiprecision/cpp_int.hpp>

#include <tally/core/u256.hpp>

namespace {

using tally::u256;
namespace bmp = boost::multiprecision;

constexpr std::size_t kTableSize = 256;  // a power of two: the index wraps with a mask

struct Tally {
  using Word = u256;
  static Word from(const u256& x) { return x; }
  static Word add(const Word& a, const Word& b) { return a + b; }
  static Word mul(const Word& a, const Word& b) { return a * b; }
  static Word div(const Word& a, const Word& b) { return a / b; }
  static Word addmod(const Word& a, const Word& b, const Word& m) { return tally::addmod(a, b, m); }
  static Word mulmod(const Word& a, const Word& b, const Word& m) { return tally::mulmod(a, b, m); }
  static Word exp(const Word& base, const Word& exponent) { return tally::exp(base, exponent); }
};

// The peer: unchecked fixed-width cpp_int wraps modulo 2^256 like the EVM; the exact modular
// operations widen to 512 bits, and exp is the same square-and-multiply on its own multiply.
struct Boost {
  using Word = bmp::uint256_t;
  using Wide = bmp::uint512_t;
  static Word from(const u256& x) {
    Word out = 0;
    for (std::size_t i = 4; i-- > 0;) {
      out <<= 64;
      out |= x.limbs[i];
    }
    return out;
  }
  static Word add(const Word& a, const Word& b) { return a + b; }
  static Word mul(const Word& a, const Word& b) { return a * b; }
  static Word div(const Word& a, const Word& b) { return a / b; }
  static Word addmod(const Word& a, const Word& b, const Word& m) {
    return static_cast<Word>((Wide(a) + b) % m);
  }
  static Word mulmod(const Word& a, const Word& b, const Word& m) {
    return static_cast<Word>((Wide(a) * b) % m);
  }
  static Word exp(const Word& base, const Word& exponent) {
    Word result = 1;
    if (exponent == 0)
      return result;
    for (auto bit = static_cast<std::ptrdiff_t>(bmp::msb(exponent)); bit >= 0; --bit) {
      result *= result;
      if (bmp::bit_test(exponent, static_cast<unsigned>(bit)))
        result *= base;
    }
    return result;
  }
};

// Random words of exactly `bits` bits (the top one set), fixed seed: every run sees the same.
template <typename Impl>
std::vector<typename Impl::Word> words(unsigned bits, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<typename Impl::Word> out;
  for (std::size_t i = 0; i < kTableSize; ++i) {
    const u256 x = u256(u256::Limbs{rng(), rng(), rng(), rng()}) >> (256 - bits);
    out.push_back(Impl::from(x | (u256(1) << (bits - 1))));
  }
  return out;
}

template <typename Impl>
void BM_U256Add(benchmark::State& state) {
  const auto a = words<Impl>(256, 1);
  const auto b = words<Impl>(256, 2);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Impl::add(a[i], b[i]));
    i = (i + 1) % kTableSize;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_TEMPLATE(BM_U256Add, Tally);
BENCHMARK_TEMPLATE(BM_U256Add, Boost);

template <typename Impl>
void BM_U256Mul(benchmark::State& state) {
  const auto a = words<Impl>(256, 1);
  const auto b = words<Impl>(256, 2);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Impl::mul(a[i], b[i]));
    i = (i + 1) % kTableSize;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_TEMPLATE(BM_U256Mul, Tally);
BENCHMARK_TEMPLATE(BM_U256Mul, Boost);

// A 256-bit dividend by a divisor of range(0) bits: 64 takes the one-limb path, 128 and 192 the
// longest Knuth loops, 256 a single quotient limb.
template <typename Impl>
void BM_U256Div(benchmark::State& state) {
  const auto a = words<Impl>(256, 1);
  const auto b = words<Impl>(static_cast<unsigned>(state.range(0)), 2);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Impl::div(a[i], b[i]));
    i = (i + 1) % kTableSize;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_TEMPLATE(BM_U256Div, Tally)->Arg(64)->Arg(128)->Arg(192)->Arg(256);
BENCHMARK_TEMPLATE(BM_U256Div, Boost)->Arg(64)->Arg(128)->Arg(192)->Arg(256);

template <typename Impl>
void BM_U256AddMod(benchmark::State& state) {
  const auto a = words<Impl>(256, 1);
  const auto b = words<Impl>(256, 2);
  const auto m = words<Impl>(256, 3);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Impl::addmod(a[i], b[i], m[i]));
    i = (i + 1) % kTableSize;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_TEMPLATE(BM_U256AddMod, Tally);
BENCHMARK_TEMPLATE(BM_U256AddMod, Boost);

// Modulus of range(0) bits: 256 is the generic case, 64 the one-limb division path.
template <typename Impl>
void BM_U256MulMod(benchmark::State& state) {
  const auto a = words<Impl>(256, 1);
  const auto b = words<Impl>(256, 2);
  const auto m = words<Impl>(static_cast<unsigned>(state.range(0)), 3);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Impl::mulmod(a[i], b[i], m[i]));
    i = (i + 1) % kTableSize;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_TEMPLATE(BM_U256MulMod, Tally)->Arg(64)->Arg(256);
BENCHMARK_TEMPLATE(BM_U256MulMod, Boost)->Arg(64)->Arg(256);

// Exponent of range(0) bits: 256 squarings plus about 128 multiplications at the top end.
template <typename Impl>
void BM_U256Exp(benchmark::State& state) {
  const auto base = words<Impl>(256, 1);
  const auto exponent = words<Impl>(static_cast<unsigned>(state.range(0)), 2);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Impl::exp(base[i], exponent[i]));
    i = (i + 1) % kTableSize;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_TEMPLATE(BM_U256Exp, Tally)->Arg(16)->Arg(256);
BENCHMARK_TEMPLATE(BM_U256Exp, Boost)->Arg(16)->Arg(256);

}  // namespace
