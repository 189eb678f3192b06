// Hand-checked values for every u256 operation, with the EVM's edge cases spelled out. The
// comparison against Boost.Multiprecision on random operands is in u256_property_test.cpp.

#include <string>

#include <gtest/gtest.h>

#include <tally/core/u256.hpp>

namespace tally {
namespace {

u256 hex(std::string_view text) {
  return u256::from_hex(text).value();
}

constexpr u256 kMax = u256::max();
constexpr u256 kMinSigned = u256(1) << 255;  // -2^255
constexpr u256 kMaxSigned = kMinSigned - 1;  // 2^255 - 1
constexpr u256 kMinusOne = kMax;
constexpr u256 kMinusTwo = kMax - 1;

// ---- compile time -----------------------------------------------------------------------------

static_assert(u256(5) + u256(7) == u256(12));
static_assert(u256() - u256(1) == u256::max());
static_assert((u256(1) << 200) * (u256(1) << 55) == (u256(1) << 255));
static_assert((u256(1) << 255).countl_zero() == 0 && u256().countl_zero() == 256);
static_assert(u256(3) < u256(u256::Limbs{0, 1, 0, 0}));
static_assert(slt(u256::max(), u256(0)));
static_assert(u256::from_be(u256(0x0102).to_be()) == u256(0x0102));

// ---- construction and conversion --------------------------------------------------------------

TEST(U256Construction, DefaultIsZeroAndIntegerGoesToTheLowLimb) {
  EXPECT_TRUE(u256().is_zero());
  EXPECT_FALSE(static_cast<bool>(u256()));
  const u256 x = 0x1234;
  EXPECT_EQ(x.limbs, (u256::Limbs{0x1234, 0, 0, 0}));
  EXPECT_TRUE(static_cast<bool>(x));
  EXPECT_EQ(kMax.limbs, (u256::Limbs{~0ULL, ~0ULL, ~0ULL, ~0ULL}));
}

TEST(U256Construction, BigEndianWordRoundTrips) {
  Hash256 word;
  word.bytes[0] = 0x80;
  word.bytes[7] = 0x01;
  word.bytes[8] = 0x02;
  word.bytes[31] = 0xff;
  const u256 x = u256::from_be(word);
  EXPECT_EQ(x.limbs, (u256::Limbs{0xff, 0, 0x0200000000000000, 0x8000000000000001}));
  EXPECT_EQ(x.to_be(), word);
  EXPECT_EQ(u256(1).to_be().bytes[31], 1);
  EXPECT_EQ(kMax.to_be().hex(), "0x" + std::string(64, 'f'));
}

TEST(U256Construction, ShortBigEndianInputIsLeftPadded) {
  const Bytes push2{0x01, 0x02};
  EXPECT_EQ(u256::from_be_bytes(push2).value(), u256(0x0102));
  EXPECT_EQ(u256::from_be_bytes({}).value(), u256());
  EXPECT_EQ(u256::from_be_bytes(Bytes(32, 0xff)).value(), kMax);
}

TEST(U256Construction, MoreThan32BigEndianBytesAreOutOfRange) {
  const auto result = u256::from_be_bytes(Bytes(33, 0));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::out_of_range);
  EXPECT_NE(result.error().message.find("33"), std::string::npos) << result.error().message;
}

TEST(U256Hex, ParsesWithOrWithoutPrefixInEitherCase) {
  EXPECT_EQ(u256::from_hex("0x0").value(), u256());
  EXPECT_EQ(u256::from_hex("0xFf").value(), u256(255));
  EXPECT_EQ(u256::from_hex("0X10").value(), u256(16));
  EXPECT_EQ(u256::from_hex("abc").value(), u256(0xabc));
  EXPECT_EQ(u256::from_hex("0x10000000000000000").value(), (u256(u256::Limbs{0, 1, 0, 0})));
  EXPECT_EQ(u256::from_hex(std::string(64, 'f')).value(), kMax);
}

TEST(U256Hex, LeadingZerosDoNotCountTowardTheLimit) {
  EXPECT_EQ(u256::from_hex("0x" + std::string(100, '0') + "1").value(), u256(1));
  EXPECT_EQ(u256::from_hex("0x0" + std::string(64, 'f')).value(), kMax);
}

TEST(U256Hex, MoreThan256BitsIsOutOfRange) {
  const auto result = u256::from_hex("0x1" + std::string(64, '0'));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::out_of_range);
  EXPECT_NE(result.error().message.find("offset 66"), std::string::npos) << result.error().message;
}

TEST(U256Hex, RejectsMissingDigitsAndBadCharactersNamingTheOffset) {
  EXPECT_EQ(u256::from_hex("").error().code, Errc::malformed);
  EXPECT_EQ(u256::from_hex("0x").error().code, Errc::malformed);
  const auto bad = u256::from_hex("0x12g4");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::malformed);
  EXPECT_NE(bad.error().message.find("offset 4"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(u256::from_hex(" 0x1"));
  EXPECT_FALSE(u256::from_hex("0x-1"));
  EXPECT_FALSE(u256::from_hex("0x1 "));
  EXPECT_FALSE(u256::from_hex("00x1"));
}

TEST(U256Hex, PrintsShortestLowerCase) {
  EXPECT_EQ(u256().hex(), "0x0");
  EXPECT_EQ(u256(0xABCDEF).hex(), "0xabcdef");
  EXPECT_EQ(u256(0xABCDEF).hex(false), "abcdef");
  EXPECT_EQ((u256(1) << 64).hex(), "0x10000000000000000");
  EXPECT_EQ(kMax.hex(), "0x" + std::string(64, 'f'));
}

constexpr std::string_view kMaxDecimal =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";

TEST(U256Decimal, PrintsAndParsesTheExtremes) {
  EXPECT_EQ(u256().decimal(), "0");
  EXPECT_EQ(u256(9).decimal(), "9");
  EXPECT_EQ(u256(10'000'000'000'000'000'000ULL).decimal(), "10000000000000000000");
  EXPECT_EQ((u256(1) << 64).decimal(), "18446744073709551616");
  EXPECT_EQ(kMax.decimal(), kMaxDecimal);
  EXPECT_EQ(u256::from_decimal(kMaxDecimal).value(), kMax);
  EXPECT_EQ(u256::from_decimal("0").value(), u256());
  EXPECT_EQ(u256::from_decimal("000123").value(), u256(123));
  EXPECT_EQ(u256::from_decimal("18446744073709551616").value(), u256(1) << 64);
}

TEST(U256Decimal, OverflowIsOutOfRange) {
  // 2^256 - 1 ends in ...935: one more, and a digit more, both overflow.
  for (const std::string& text : {std::string(kMaxDecimal.substr(0, 77)) + "6",
                                  std::string(kMaxDecimal) + "0", std::string(79, '9')}) {
    const auto result = u256::from_decimal(text);
    ASSERT_FALSE(result) << text;
    EXPECT_EQ(result.error().code, Errc::out_of_range) << text;
  }
}

TEST(U256Decimal, RejectsEverythingButDigits) {
  EXPECT_EQ(u256::from_decimal("").error().code, Errc::malformed);
  for (const std::string_view text : {"-1", "+1", "1e3", " 1", "1 ", "0x10", "1_000"})
    EXPECT_EQ(u256::from_decimal(text).error().code, Errc::malformed) << text;
  EXPECT_NE(u256::from_decimal("12a4").error().message.find("offset 2"), std::string::npos);
}

TEST(U256Conversion, ToU64IsCheckedAndLowU64Truncates) {
  EXPECT_EQ(u256(~0ULL).to_u64().value(), ~0ULL);
  EXPECT_TRUE(u256(~0ULL).fits_u64());
  const u256 big = (u256(1) << 64) + 5;
  EXPECT_FALSE(big.fits_u64());
  EXPECT_EQ(big.low_u64(), 5u);
  EXPECT_EQ(big.to_u64().error().code, Errc::out_of_range);
  EXPECT_FALSE((u256(1) << 255).fits_u64());
}

TEST(U256Conversion, BitLengthAndLeadingZeros) {
  EXPECT_EQ(u256().bit_length(), 0u);
  EXPECT_EQ(u256().countl_zero(), 256u);
  EXPECT_EQ(u256(1).bit_length(), 1u);
  EXPECT_EQ(u256(1).countl_zero(), 255u);
  EXPECT_EQ((u256(1) << 64).bit_length(), 65u);
  EXPECT_EQ((u256(3) << 190).bit_length(), 192u);
  EXPECT_EQ(kMinSigned.bit_length(), 256u);
  EXPECT_EQ(kMax.countl_zero(), 0u);
}

// ---- add, sub, mul ----------------------------------------------------------------------------

TEST(U256Arithmetic, AdditionWrapsAndReportsTheCarry) {
  EXPECT_EQ(u256(2) + u256(3), u256(5));
  EXPECT_EQ(kMax + 1, u256());
  EXPECT_EQ(u256(~0ULL) + 1, u256(1) << 64);  // carry crosses a limb
  const auto [sum, carry] = add_with_carry(kMax, u256(2));
  EXPECT_EQ(sum, u256(1));
  EXPECT_TRUE(carry);
  EXPECT_FALSE(add_with_carry(kMaxSigned, kMaxSigned).carry);
}

TEST(U256Arithmetic, SubtractionWrapsAndReportsTheBorrow) {
  EXPECT_EQ(u256(5) - u256(3), u256(2));
  EXPECT_EQ(u256() - 1, kMax);
  EXPECT_EQ((u256(1) << 128) - 1, hex("0xffffffffffffffffffffffffffffffff"));
  const auto [difference, borrow] = sub_with_borrow(u256(3), u256(5));
  EXPECT_EQ(difference, kMinusTwo);
  EXPECT_TRUE(borrow);
  EXPECT_FALSE(sub_with_borrow(kMax, kMax).carry);
  EXPECT_EQ(-u256(1), kMinusOne);
  EXPECT_EQ(-kMinSigned, kMinSigned);
}

TEST(U256Arithmetic, MultiplicationWraps) {
  EXPECT_EQ(u256(6) * u256(7), u256(42));
  EXPECT_EQ(u256(~0ULL) * u256(~0ULL), hex("0xfffffffffffffffe0000000000000001"));
  EXPECT_EQ((u256(1) << 128) * (u256(1) << 128), u256());
  EXPECT_EQ(kMax * kMax, u256(1));  // (-1) * (-1)
  EXPECT_EQ(kMax * 2, kMinusTwo);
}

TEST(U256Arithmetic, FullMultiplicationKeepsAll512Bits) {
  // (2^256 - 1)^2 = 2^512 - 2^257 + 1
  EXPECT_EQ(mul_full(kMax, kMax), (U512Limbs{1, 0, 0, 0, ~0ULL - 1, ~0ULL, ~0ULL, ~0ULL}));
  EXPECT_EQ(mul_full(u256(1) << 255, u256(2)), (U512Limbs{0, 0, 0, 0, 1, 0, 0, 0}));
}

// ---- division ---------------------------------------------------------------------------------

TEST(U256Division, ByZeroGivesZero) {
  EXPECT_EQ(div(u256(7), u256()), u256());
  EXPECT_EQ(mod(u256(7), u256()), u256());
  EXPECT_EQ(kMax / 0, u256());
  EXPECT_EQ(kMax % 0, u256());
  EXPECT_EQ(udivrem(kMax, u256()).quot, u256());
}

TEST(U256Division, SmallAndTrivialCases) {
  EXPECT_EQ(u256(7) / 2, u256(3));
  EXPECT_EQ(u256(7) % 2, u256(1));
  EXPECT_EQ(kMax / 1, kMax);
  EXPECT_EQ(kMax / kMax, u256(1));
  EXPECT_EQ(kMax % kMax, u256());
  EXPECT_EQ(u256(5) / kMax, u256());
  EXPECT_EQ(u256(5) % kMax, u256(5));
  EXPECT_EQ(u256() / 3, u256());
}

TEST(U256Division, ByOneLimb) {
  const u256 ten19 = 10'000'000'000'000'000'000ULL;
  EXPECT_EQ(kMax / ten19, hex("0x1d83c94fb6d2ac34a5663d3c7a0d865ca3c4ca40e0ea7cfe9"));
  EXPECT_EQ(kMax % ten19, u256(0x693fcf03e3d7ffff));
  EXPECT_EQ((u256(1) << 255) / (u256(1) << 63), u256(1) << 192);
  EXPECT_EQ(kMax % 3, u256());  // 2^256 - 1 = 3 * 0x5555...
}

TEST(U256Division, QuotientEstimateTooBigIsCorrectedByAddBack) {
  // The top limbs divide to 2^64 - 1 but the discarded divisor limb lowers the quotient by one.
  const u256 u = hex("0x7fffffffffffffff800000000000000000000000000000000000000000000000");
  const u256 d = hex("0x80000000000000000000000000000000ffffffffffffffff");
  const auto [quot, rem] = udivrem(u, d);
  EXPECT_EQ(quot, u256(0xfffffffffffffffe));
  EXPECT_EQ(rem, hex("0x7fffffffffffffff0000000000000002fffffffffffffffe"));
}

TEST(U256Division, RemainderTopEqualToDivisorTopGivesAllOnesQuotientLimb) {
  const u256 u = u256(u256::Limbs{0, 4, 7, 1ULL << 63});
  const u256 d = u256(u256::Limbs{5, 7, 1ULL << 63, 0});
  const auto [quot, rem] = udivrem(u, d);
  EXPECT_EQ(quot, u256(~0ULL));
  EXPECT_EQ(rem, u256(u256::Limbs{5, 6, 1ULL << 63, 0}));
}

TEST(U256Division, SignedDivisionTruncatesTowardZero) {
  EXPECT_EQ(sdiv(u256(7), u256(2)), u256(3));
  EXPECT_EQ(sdiv(-u256(7), u256(2)), -u256(3));
  EXPECT_EQ(sdiv(u256(7), -u256(2)), -u256(3));
  EXPECT_EQ(sdiv(-u256(7), -u256(2)), u256(3));
  EXPECT_EQ(sdiv(-u256(7), u256()), u256());
  EXPECT_EQ(sdiv(kMaxSigned, kMinSigned), u256());
  EXPECT_EQ(sdiv(kMinSigned, kMaxSigned), kMinusOne);
}

TEST(U256Division, SignedMinimumDividedByMinusOneIsItself) {
  EXPECT_EQ(sdiv(kMinSigned, kMinusOne), kMinSigned);
  EXPECT_EQ(smod(kMinSigned, kMinusOne), u256());
}

TEST(U256Division, SignedModuloTakesTheDividendSign) {
  EXPECT_EQ(smod(u256(7), u256(3)), u256(1));
  EXPECT_EQ(smod(-u256(7), u256(3)), -u256(1));
  EXPECT_EQ(smod(u256(7), -u256(3)), u256(1));
  EXPECT_EQ(smod(-u256(7), -u256(3)), -u256(1));
  EXPECT_EQ(smod(-u256(6), u256(3)), u256());
  EXPECT_EQ(smod(-u256(7), u256()), u256());
  EXPECT_EQ(smod(kMinSigned, u256(3)), -u256(2));  // 2^255 = 3 * k + 2
}

// ---- modular arithmetic and exponentiation ----------------------------------------------------

TEST(U256Modular, AddModUsesTheExactSum) {
  EXPECT_EQ(addmod(u256(10), u256(10), u256(8)), u256(4));
  EXPECT_EQ(addmod(kMax, kMax, u256(7)), u256(2));  // 2^257 - 2 = 2 mod 7
  EXPECT_EQ(addmod(kMax, u256(1), kMax), u256(1));
  EXPECT_EQ(addmod(kMax - 1, kMax - 1, kMax), kMax - 2);
  EXPECT_EQ(addmod(kMinusOne, u256(2), u256(2)), u256(1));  // unsigned, not -1 + 2
}

TEST(U256Modular, MulModUsesTheExact512BitProduct) {
  EXPECT_EQ(mulmod(u256(10), u256(10), u256(8)), u256(4));
  EXPECT_EQ(mulmod(kMax, kMax, u256(12)), u256(9));
  EXPECT_EQ(mulmod(kMax, kMax, kMax), u256());
  EXPECT_EQ(mulmod(kMax, kMax, kMax - 1), u256(1));
  EXPECT_EQ(mulmod(u256(1) << 255, u256(2), (u256(1) << 128) + 1), u256(1));  // 2^256 = (-1)^2
}

TEST(U256Modular, ZeroModulusGivesZero) {
  EXPECT_EQ(addmod(u256(1), u256(2), u256()), u256());
  EXPECT_EQ(mulmod(u256(3), u256(4), u256()), u256());
}

TEST(U256Exp, ZeroToTheZeroIsOne) {
  EXPECT_EQ(exp(u256(), u256()), u256(1));
  EXPECT_EQ(exp(kMax, u256()), u256(1));
  EXPECT_EQ(exp(u256(), u256(1)), u256());
  EXPECT_EQ(exp(u256(), kMax), u256());
}

TEST(U256Exp, PowersWrapModulo2To256) {
  EXPECT_EQ(exp(u256(3), u256(5)), u256(243));
  EXPECT_EQ(exp(u256(2), u256(255)), kMinSigned);
  EXPECT_EQ(exp(u256(2), u256(256)), u256());
  EXPECT_EQ(exp(kMinusOne, u256(2)), u256(1));
  EXPECT_EQ(exp(kMinusOne, u256(3)), kMinusOne);
  EXPECT_EQ(exp(u256(1), kMax), u256(1));
  EXPECT_EQ(exp(u256(3), kMax),
            hex("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
  EXPECT_EQ(exp(u256(0xdeadbeef), u256(0x1234567)),
            hex("0xa224b41e2e5b58e97628b79015fcd6d66feac39a5e601d12a79e603acda2ad8f"));
}

// ---- bits -------------------------------------------------------------------------------------

TEST(U256Bits, BitwiseOperatorsActOnEveryLimb) {
  const u256 a = hex("0xff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00");
  const u256 b = hex("0x0ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff0");
  EXPECT_EQ(a & b, hex("0x0f000f000f000f000f000f000f000f000f000f000f000f000f000f000f000f00"));
  EXPECT_EQ(a | b, hex("0xfff0fff0fff0fff0fff0fff0fff0fff0fff0fff0fff0fff0fff0fff0fff0fff0"));
  EXPECT_EQ(a ^ b, hex("0xf0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0"));
  EXPECT_EQ(~a, hex("0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff"));
  EXPECT_EQ(~u256(), kMax);
}

TEST(U256Bits, OperatorShiftsAcrossLimbsAndPast255GiveZero) {
  EXPECT_EQ(u256(1) << 64, u256(u256::Limbs{0, 1, 0, 0}));
  EXPECT_EQ(u256(3) << 63, u256(u256::Limbs{1ULL << 63, 1, 0, 0}));
  EXPECT_EQ(kMax << 255, kMinSigned);
  EXPECT_EQ(kMax << 256, u256());
  EXPECT_EQ(kMax >> 255, u256(1));
  EXPECT_EQ(kMax >> 256, u256());
  EXPECT_EQ(kMinSigned >> 127, u256(1) << 128);
  EXPECT_EQ(u256(5) << 0, u256(5));
  u256 x = 1;
  x <<= 100;
  x >>= 99;
  EXPECT_EQ(x, u256(2));
}

TEST(U256Bits, EvmShiftsTakeAWordAmount) {
  EXPECT_EQ(shl(u256(1), u256(1)), u256(2));
  EXPECT_EQ(shl(u256(255), u256(1)), kMinSigned);
  EXPECT_EQ(shl(u256(256), u256(1)), u256());
  EXPECT_EQ(shl(u256(1) << 64, u256(1)), u256());  // a huge amount, low limb zero
  EXPECT_EQ(shr(u256(255), kMinSigned), u256(1));
  EXPECT_EQ(shr(u256(256), kMax), u256());
  EXPECT_EQ(shr(kMax, kMax), u256());
}

TEST(U256Bits, ArithmeticShiftFillsWithTheSign) {
  EXPECT_EQ(sar(u256(1), kMinusTwo), kMinusOne);
  EXPECT_EQ(sar(u256(1), -u256(3)), -u256(2));  // rounds toward minus infinity
  EXPECT_EQ(sar(u256(255), kMinSigned), kMinusOne);
  EXPECT_EQ(sar(u256(254), kMinSigned), kMinusTwo);
  EXPECT_EQ(sar(u256(4), u256(0x100)), u256(0x10));
  EXPECT_EQ(sar(u256(256), kMinSigned), kMinusOne);
  EXPECT_EQ(sar(kMax, kMinusOne), kMinusOne);
  EXPECT_EQ(sar(u256(256), kMaxSigned), u256());
  EXPECT_EQ(sar(u256(1) << 100, kMaxSigned), u256());
}

TEST(U256Bits, ByteCountsFromTheMostSignificantEnd) {
  const u256 word = hex("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  EXPECT_EQ(byte(u256(0), word), u256(0x01));
  EXPECT_EQ(byte(u256(7), word), u256(0x08));
  EXPECT_EQ(byte(u256(8), word), u256(0x09));
  EXPECT_EQ(byte(u256(31), word), u256(0x20));
  EXPECT_EQ(byte(u256(32), kMax), u256());
  EXPECT_EQ(byte(u256(1) << 64, kMax), u256());
}

TEST(U256Bits, SignExtendWidensFromTheGivenByte) {
  EXPECT_EQ(signextend(u256(0), u256(0xff)), kMinusOne);
  EXPECT_EQ(signextend(u256(0), u256(0x7f)), u256(0x7f));
  EXPECT_EQ(signextend(u256(0), u256(0x17f)), u256(0x7f));  // bits above are cleared
  EXPECT_EQ(signextend(u256(1), u256(0x8000)), hex("0x" + std::string(60, 'f') + "8000"));
  EXPECT_EQ(signextend(u256(7), u256(0x80) << 56),
            hex("0x" + std::string(48, 'f') + "8" + std::string(15, '0')));
  EXPECT_EQ(signextend(u256(30), kMinSigned >> 8), hex("0xff8" + std::string(61, '0')));
  EXPECT_EQ(signextend(u256(30), kMaxSigned), kMinusOne);  // bit 247 is set
  EXPECT_EQ(signextend(u256(30), (kMax >> 9) | (u256(1) << 250)), kMax >> 9);
}

TEST(U256Bits, SignExtendFrom31OnReturnsTheWord) {
  const u256 word = hex("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  EXPECT_EQ(signextend(u256(31), word), word);
  EXPECT_EQ(signextend(u256(32), kMinSigned), kMinSigned);
  EXPECT_EQ(signextend(kMax, word), word);
  EXPECT_EQ(signextend(u256(1) << 64, word), word);
}

// ---- comparison -------------------------------------------------------------------------------

TEST(U256Comparison, UnsignedOrderLooksAtTheHighLimbFirst) {
  EXPECT_LT(u256(~0ULL), u256(1) << 64);
  EXPECT_GT(u256(u256::Limbs{0, 0, 0, 1}), u256(u256::Limbs{~0ULL, ~0ULL, ~0ULL, 0}));
  EXPECT_LE(u256(3), u256(3));
  EXPECT_GE(kMax, u256());
  EXPECT_EQ(u256(3) <=> u256(4), std::strong_ordering::less);
  EXPECT_EQ(kMax <=> kMax, std::strong_ordering::equal);
  EXPECT_EQ(kMinSigned <=> kMaxSigned, std::strong_ordering::greater);
  EXPECT_NE(u256(1), u256(1) << 64);
}

TEST(U256Comparison, SignedOrderReadsTwosComplement) {
  EXPECT_TRUE(slt(kMinusOne, u256()));
  EXPECT_FALSE(slt(u256(), kMinusOne));
  EXPECT_TRUE(sgt(u256(), kMinusOne));
  EXPECT_TRUE(slt(kMinSigned, kMaxSigned));
  EXPECT_TRUE(slt(kMinSigned, kMinusOne));
  EXPECT_TRUE(slt(kMinusTwo, kMinusOne));
  EXPECT_FALSE(slt(kMinusOne, kMinusOne));
  EXPECT_FALSE(sgt(u256(5), u256(5)));
  EXPECT_TRUE(sgt(u256(5), u256(4)));
}

}  // namespace
}  // namespace tally
