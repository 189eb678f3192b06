// Every u256 operation against Boost.Multiprecision on random operands. The reference computes in
// 512-bit (signed where the operation is) so nothing wraps before the final reduction to 256 bits;
// the EVM's special cases (zero divisor, shift past 255, ...) are written out from the spec.
//
// Operands mix uniform words with the values where limb arithmetic goes wrong: zero, one, powers
// of two and their neighbours, words built from 0 / 1 / 2^63 / 2^64 - 1 limbs, sparse and small
// words, and their negatives.

#include <algorithm>
#include <array>
#include <cctype>
#include <random>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>
#include <gtest/gtest.h>

#include <tally/core/u256.hpp>

#include "support/seed.hpp"

namespace tally {
namespace {

namespace bmp = boost::multiprecision;
using Wide = bmp::uint512_t;
using SignedWide = bmp::int512_t;

// The debug build runs Boost unoptimised under the sanitizers, about 20 times slower.
#ifdef NDEBUG
constexpr std::uint64_t kBaseIterations = 200'000;
#else
constexpr std::uint64_t kBaseIterations = 50'000;
#endif

const Wide kTwo256 = Wide(1) << 256;
const Wide kMask256 = kTwo256 - 1;

Wide wide(const u256& x) {
  Wide out = 0;
  for (std::size_t i = 4; i-- > 0;) {
    out <<= 64;
    out |= x.limbs[i];
  }
  return out;
}

// The low 256 bits of a non-negative reference value.
u256 low_256(Wide x) {
  u256 out;
  for (std::size_t i = 0; i < 4; ++i) {
    out.limbs[i] = static_cast<std::uint64_t>(x & 0xffff'ffff'ffff'ffffULL);
    x >>= 64;
  }
  return out;
}

// Two's complement reading of the 256 bits.
SignedWide signed_wide(const u256& x) {
  const SignedWide magnitude = static_cast<SignedWide>(wide(x));
  return x.is_negative() ? magnitude - static_cast<SignedWide>(kTwo256) : magnitude;
}

u256 from_signed_wide(SignedWide x) {
  const SignedWide two256 = static_cast<SignedWide>(kTwo256);
  x %= two256;  // now in (-2^256, 2^256)
  if (x < 0)
    x += two256;
  return low_256(static_cast<Wide>(x));
}

class Operands {
 public:
  explicit Operands(std::uint64_t seed) : rng_(seed) {}

  u256 next() {
    switch (below(8)) {
      case 0:
      case 1:
        return uniform();
      case 2:
        return edge();
      case 3:
        return (u256(1) << below(256)) + u256(below(3)) - 1;  // 2^k - 1, 2^k, 2^k + 1
      case 4:
        return from_special_limbs();
      case 5:
        return sparse();
      case 6:
        return uniform() >> below(257);  // every bit length
      default:
        return -(uniform() >> below(257));  // small negatives and their kin
    }
  }

  // Mostly meaningful amounts (0..299), sometimes any word.
  u256 shift_amount() { return below(4) == 0 ? next() : u256(below(300)); }
  // Mostly 0..39 around the 31/32 cut-offs of BYTE and SIGNEXTEND, sometimes any word.
  u256 byte_index() { return below(4) == 0 ? next() : u256(below(40)); }

 private:
  std::uint64_t below(std::uint64_t bound) { return rng_() % bound; }

  u256 uniform() { return u256(u256::Limbs{rng_(), rng_(), rng_(), rng_()}); }

  u256 edge() {
    static constexpr std::array<u256, 12> kEdges = {
        u256(),
        u256(1),
        u256(2),
        u256(3),
        u256(~0ULL),
        u256(1) << 64,
        u256(1) << 128,
        (u256(1) << 192) - 1,
        (u256(1) << 255) - 1,
        u256(1) << 255,
        (u256(1) << 255) + 1,
        u256::max(),
    };
    return kEdges[below(kEdges.size())];
  }

  // Limbs that make carries, borrows, quotient estimates and normalisation shifts hit their
  // boundaries.
  u256 from_special_limbs() {
    static constexpr std::array<std::uint64_t, 7> kLimbs = {
        0, 1, 2, 1ULL << 63, (1ULL << 63) - 1, ~0ULL, ~0ULL - 1,
    };
    u256 out;
    for (auto& limb : out.limbs)
      limb = below(4) == 0 ? rng_() : kLimbs[below(kLimbs.size())];
    return out;
  }

  u256 sparse() {
    u256 out;
    for (auto& limb : out.limbs)
      limb = below(2) == 0 ? 0 : rng_();
    return out;
  }

  std::mt19937_64 rng_;
};

class U256Property : public ::testing::Test {
 protected:
  const std::uint64_t seed_ = test::test_seed();
  Operands operands_{seed_};
  const std::uint64_t iterations_ = test::property_iterations(kBaseIterations);
};

TEST_F(U256Property, AddSubAndCarriesMatchBoost) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t iteration = 0; iteration < iterations_; ++iteration) {
    const u256 a = operands_.next();
    const u256 b = operands_.next();
    const Wide sum = wide(a) + wide(b);
    const Wide difference = wide(a) + kTwo256 - wide(b);
    ASSERT_EQ(a + b, low_256(sum)) << a << " + " << b;
    ASSERT_EQ(add_with_carry(a, b).carry, sum >= kTwo256) << a << " + " << b;
    ASSERT_EQ(a - b, low_256(difference)) << a << " - " << b;
    ASSERT_EQ(sub_with_borrow(a, b).carry, wide(a) < wide(b)) << a << " - " << b;
    ASSERT_EQ(-a, low_256(kTwo256 - wide(a))) << "-" << a;
  }
}

TEST_F(U256Property, MultiplicationMatchesBoost) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t iteration = 0; iteration < iterations_; ++iteration) {
    const u256 a = operands_.next();
    const u256 b = operands_.next();
    const Wide product = wide(a) * wide(b);
    ASSERT_EQ(a * b, low_256(product)) << a << " * " << b;
    const U512Limbs full = mul_full(a, b);
    ASSERT_EQ(low_256(product), u256(u256::Limbs{full[0], full[1], full[2], full[3]})) << a << b;
    ASSERT_EQ(low_256(product >> 256), u256(u256::Limbs{full[4], full[5], full[6], full[7]}))
        << a << " * " << b;
  }
}

TEST_F(U256Property, UnsignedDivisionMatchesBoost) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t iteration = 0; iteration < iterations_; ++iteration) {
    const u256 a = operands_.next();
    const u256 b = operands_.next();
    const auto [quot, rem] = udivrem(a, b);
    if (b.is_zero()) {
      ASSERT_EQ(quot, u256()) << a;
      ASSERT_EQ(rem, u256()) << a;
      continue;
    }
    ASSERT_EQ(quot, low_256(wide(a) / wide(b))) << a << " / " << b;
    ASSERT_EQ(rem, low_256(wide(a) % wide(b))) << a << " % " << b;
    ASSERT_EQ(a / b, quot);
    ASSERT_EQ(a % b, rem);
  }
}

TEST_F(U256Property, SignedDivisionMatchesBoostTruncation) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t iteration = 0; iteration < iterations_; ++iteration) {
    const u256 a = operands_.next();
    const u256 b = operands_.next();
    // C++ (and Boost) integer division truncates toward zero and the remainder takes the
    // dividend's sign: exactly SDIV and SMOD. Only -2^255 / -1 overflows 256 bits, and wraps.
    const SignedWide sa = signed_wide(a);
    const SignedWide sb = signed_wide(b);
    const u256 want_quot = b.is_zero() ? u256() : from_signed_wide(sa / sb);
    const u256 want_rem = b.is_zero() ? u256() : from_signed_wide(sa % sb);
    ASSERT_EQ(sdiv(a, b), want_quot) << a << " sdiv " << b;
    ASSERT_EQ(smod(a, b), want_rem) << a << " smod " << b;
  }
}

TEST_F(U256Property, AddModAndMulModMatchBoost) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t iteration = 0; iteration < iterations_; ++iteration) {
    const u256 a = operands_.next();
    const u256 b = operands_.next();
    const u256 m = operands_.next();
    const u256 want_add = m.is_zero() ? u256() : low_256((wide(a) + wide(b)) % wide(m));
    const u256 want_mul = m.is_zero() ? u256() : low_256((wide(a) * wide(b)) % wide(m));
    ASSERT_EQ(addmod(a, b, m), want_add) << "(" << a << " + " << b << ") % " << m;
    ASSERT_EQ(mulmod(a, b, m), want_mul) << "(" << a << " * " << b << ") % " << m;
  }
}

TEST_F(U256Property, ExpMatchesBoostPowm) {
  SCOPED_TRACE(test::seed_trace(seed_));
  // Each reference call is 256 squarings of 512-bit numbers: a smaller count covers it.
  for (std::uint64_t iteration = 0; iteration < iterations_ / 20; ++iteration) {
    const u256 base = operands_.next();
    const u256 exponent = operands_.next();
    const u256 want = low_256(bmp::powm(wide(base), wide(exponent), kTwo256));
    ASSERT_EQ(exp(base, exponent), want) << base << " ** " << exponent;
  }
}

TEST_F(U256Property, ShiftsMatchBoost) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t iteration = 0; iteration < iterations_; ++iteration) {
    const u256 shift = operands_.shift_amount();
    const u256 x = operands_.next();
    const bool past_end = wide(shift) >= 256;
    const unsigned amount = past_end ? 0 : static_cast<unsigned>(shift.limbs[0]);
    const u256 want_shl = past_end ? u256() : low_256(wide(x) << amount);
    const u256 want_shr = past_end ? u256() : low_256(wide(x) >> amount);
    // Arithmetic shift is division by 2^amount rounded toward minus infinity.
    const SignedWide sx = signed_wide(x);
    const SignedWide magnitude = sx < 0 ? -sx : sx;
    const SignedWide power = past_end ? static_cast<SignedWide>(kTwo256) : SignedWide(1) << amount;
    const SignedWide floor_quot = sx < 0 ? -((magnitude + power - 1) / power) : sx / power;
    ASSERT_EQ(shl(shift, x), want_shl) << x << " << " << shift;
    ASSERT_EQ(shr(shift, x), want_shr) << x << " >> " << shift;
    ASSERT_EQ(sar(shift, x), from_signed_wide(floor_quot)) << x << " sar " << shift;
    if (!past_end) {
      ASSERT_EQ(x << amount, want_shl) << x << " << " << amount;
      ASSERT_EQ(x >> amount, want_shr) << x << " >> " << amount;
    }
  }
}

TEST_F(U256Property, ByteAndSignExtendMatchBoost) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t iteration = 0; iteration < iterations_; ++iteration) {
    const u256 index = operands_.byte_index();
    const u256 x = operands_.next();
    const bool in_word = wide(index) < 32;
    const unsigned i = in_word ? static_cast<unsigned>(index.limbs[0]) : 0;
    const u256 want_byte = in_word ? low_256((wide(x) >> (8 * (31 - i))) & 0xff) : u256();
    ASSERT_EQ(byte(index, x), want_byte) << "byte " << index << " of " << x;

    // SIGNEXTEND: the low index + 1 bytes read as a two's complement number of that width.
    u256 want_extended = x;
    if (wide(index) < 31) {
      const unsigned bits = 8 * (i + 1);
      const Wide low = wide(x) & ((Wide(1) << bits) - 1);
      const bool negative = low >= (Wide(1) << (bits - 1));
      want_extended = low_256(negative ? low + kTwo256 - (Wide(1) << bits) : low);
    }
    ASSERT_EQ(signextend(index, x), want_extended) << "signextend " << index << " of " << x;
  }
}

TEST_F(U256Property, ComparisonsMatchBoost) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t iteration = 0; iteration < iterations_; ++iteration) {
    const u256 a = operands_.next();
    // Half the time compare against a near neighbour, where only a low limb differs.
    const u256 b = iteration % 2 == 0 ? operands_.next() : a + (operands_.next() >> 250) - 32;
    const Wide wa = wide(a);
    const Wide wb = wide(b);
    ASSERT_EQ(a < b, wa < wb) << a << " < " << b;
    ASSERT_EQ(a > b, wa > wb) << a << " > " << b;
    ASSERT_EQ(a <= b, wa <= wb) << a << " <= " << b;
    ASSERT_EQ(a >= b, wa >= wb) << a << " >= " << b;
    ASSERT_EQ(a == b, wa == wb) << a << " == " << b;
    ASSERT_EQ(a <=> b, wa.compare(wb) <=> 0) << a << " <=> " << b;
    ASSERT_EQ(slt(a, b), signed_wide(a) < signed_wide(b)) << a << " slt " << b;
    ASSERT_EQ(sgt(a, b), signed_wide(a) > signed_wide(b)) << a << " sgt " << b;
  }
}

TEST_F(U256Property, BitwiseAndBitLengthMatchBoost) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t iteration = 0; iteration < iterations_; ++iteration) {
    const u256 a = operands_.next();
    const u256 b = operands_.next();
    ASSERT_EQ(a & b, low_256(wide(a) & wide(b)));
    ASSERT_EQ(a | b, low_256(wide(a) | wide(b)));
    ASSERT_EQ(a ^ b, low_256(wide(a) ^ wide(b)));
    ASSERT_EQ(~a, low_256(kMask256 - wide(a)));
    const unsigned want_length = a.is_zero() ? 0 : static_cast<unsigned>(bmp::msb(wide(a))) + 1;
    ASSERT_EQ(a.bit_length(), want_length) << a;
    ASSERT_EQ(a.countl_zero(), 256 - want_length) << a;
  }
}

TEST_F(U256Property, TextAndBytesRoundTripAndMatchBoost) {
  SCOPED_TRACE(test::seed_trace(seed_));
  // String building dominates here; a tenth of the count is plenty.
  for (std::uint64_t iteration = 0; iteration < iterations_ / 10; ++iteration) {
    const u256 x = operands_.next();
    const Wide wx = wide(x);

    const Hash256 word = x.to_be();
    for (std::size_t i = 0; i < 32; ++i)
      ASSERT_EQ(word.bytes[i], static_cast<Byte>((wx >> (8 * (31 - i))) & 0xff)) << x;
    ASSERT_EQ(u256::from_be(word), x);
    const std::size_t skip = x.countl_zero() / 8;  // the shortest big-endian form
    ASSERT_EQ(u256::from_be_bytes(BytesView(word.bytes).subspan(skip)).value(), x);

    const std::string decimal = x.decimal();
    ASSERT_EQ(decimal, wx.str()) << x;
    ASSERT_EQ(u256::from_decimal(decimal).value(), x) << decimal;

    std::string want_hex = wx.str(0, std::ios_base::hex);
    std::ranges::transform(want_hex, want_hex.begin(),
                           [](char c) { return static_cast<char>(std::tolower(c)); });
    ASSERT_EQ(x.hex(false), want_hex);
    ASSERT_EQ(u256::from_hex(x.hex()).value(), x);
    std::string upper = x.hex(false);
    std::ranges::transform(upper, upper.begin(),
                           [](char c) { return static_cast<char>(std::toupper(c)); });
    ASSERT_EQ(u256::from_hex("0X" + upper).value(), x);
  }
}

}  // namespace
}  // namespace tally
