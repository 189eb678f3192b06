// The Solidity ABI codec: the examples of the ABI specification (docs.soliditylang.org, "Contract
// ABI Specification", hex written out here), strict decoding of hostile input, type parsing, and
// round trips of random types and values.
#include <random>

#include <gtest/gtest.h>

#include <tally/chain/abi.hpp>

#include "support/seed.hpp"

namespace tally::chain {
namespace {

AbiType type(std::string_view text) {
  return AbiType::parse(text).value();
}

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}

AbiValue uint(std::uint64_t value) {
  return AbiValue::uint(value);
}

AbiValue list(AbiValue::List values) {
  return AbiValue::list(std::move(values));
}

AbiValue bytes_of(std::string_view text) {
  return AbiValue::bytes(to_bytes(text));
}

// Selector and encoded arguments of a call, checked both ways.
void expect_call(std::string_view signature,
                 const AbiValue& arguments,
                 std::string_view selector_hex,
                 std::string_view arguments_hex) {
  SCOPED_TRACE(signature);
  const AbiFunction function = parse_function_signature(signature).value();
  EXPECT_EQ(function.selector.hex(false), selector_hex);
  const Bytes encoded = abi_encode(function.inputs, arguments).value();
  EXPECT_EQ(to_hex(encoded, false), arguments_hex);
  EXPECT_EQ(abi_decode(function.inputs, encoded).value(), arguments);
}

TEST(AbiSelector, KnownSelectors) {
  EXPECT_EQ(function_selector("transfer(address,uint256)").hex(false), "a9059cbb");
  EXPECT_EQ(function_selector("Error(string)").hex(false), "08c379a0");
  EXPECT_EQ(function_selector("Panic(uint256)").hex(false), "4e487b71");
  EXPECT_EQ(parse_function_signature("balanceOf(address)").value().selector.hex(false), "70a08231");
  // Aliases resolve before hashing.
  EXPECT_EQ(parse_function_signature("transfer(address,uint)").value().signature,
            "transfer(address,uint256)");
}

TEST(AbiSpecExamples, BazUint32Bool) {
  expect_call("baz(uint32,bool)", list({uint(69), AbiValue::boolean(true)}), "cdcd77c0",
              "0000000000000000000000000000000000000000000000000000000000000045"
              "0000000000000000000000000000000000000000000000000000000000000001");
}

TEST(AbiSpecExamples, BarFixedArrayOfBytes3) {
  expect_call("bar(bytes3[2])", list({list({bytes_of("abc"), bytes_of("def")})}), "fce353f6",
              "6162630000000000000000000000000000000000000000000000000000000000"
              "6465660000000000000000000000000000000000000000000000000000000000");
}

TEST(AbiSpecExamples, SamBytesBoolDynamicArray) {
  expect_call("sam(bytes,bool,uint256[])",
              list({bytes_of("dave"), AbiValue::boolean(true), list({uint(1), uint(2), uint(3)})}),
              "a5643bf2",
              "0000000000000000000000000000000000000000000000000000000000000060"
              "0000000000000000000000000000000000000000000000000000000000000001"
              "00000000000000000000000000000000000000000000000000000000000000a0"
              "0000000000000000000000000000000000000000000000000000000000000004"
              "6461766500000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000003"
              "0000000000000000000000000000000000000000000000000000000000000001"
              "0000000000000000000000000000000000000000000000000000000000000002"
              "0000000000000000000000000000000000000000000000000000000000000003");
}

TEST(AbiSpecExamples, MixedStaticAndDynamic) {
  expect_call("f(uint256,uint32[],bytes10,bytes)",
              list({uint(0x123), list({uint(0x456), uint(0x789)}), bytes_of("1234567890"),
                    bytes_of("Hello, world!")}),
              "8be65246",
              "0000000000000000000000000000000000000000000000000000000000000123"
              "0000000000000000000000000000000000000000000000000000000000000080"
              "3132333435363738393000000000000000000000000000000000000000000000"
              "00000000000000000000000000000000000000000000000000000000000000e0"
              "0000000000000000000000000000000000000000000000000000000000000002"
              "0000000000000000000000000000000000000000000000000000000000000456"
              "0000000000000000000000000000000000000000000000000000000000000789"
              "000000000000000000000000000000000000000000000000000000000000000d"
              "48656c6c6f2c20776f726c642100000000000000000000000000000000000000");
}

TEST(AbiSpecExamples, NestedDynamicArraysAndStrings) {
  expect_call(
      "g(uint256[][],string[])",
      list({list({list({uint(1), uint(2)}), list({uint(3)})}),
            list({AbiValue::string("one"), AbiValue::string("two"), AbiValue::string("three")})}),
      "2289b18c",
      "0000000000000000000000000000000000000000000000000000000000000040"
      "0000000000000000000000000000000000000000000000000000000000000140"
      "0000000000000000000000000000000000000000000000000000000000000002"
      "0000000000000000000000000000000000000000000000000000000000000040"
      "00000000000000000000000000000000000000000000000000000000000000a0"
      "0000000000000000000000000000000000000000000000000000000000000002"
      "0000000000000000000000000000000000000000000000000000000000000001"
      "0000000000000000000000000000000000000000000000000000000000000002"
      "0000000000000000000000000000000000000000000000000000000000000001"
      "0000000000000000000000000000000000000000000000000000000000000003"
      "0000000000000000000000000000000000000000000000000000000000000003"
      "0000000000000000000000000000000000000000000000000000000000000060"
      "00000000000000000000000000000000000000000000000000000000000000a0"
      "00000000000000000000000000000000000000000000000000000000000000e0"
      "0000000000000000000000000000000000000000000000000000000000000003"
      "6f6e650000000000000000000000000000000000000000000000000000000000"
      "0000000000000000000000000000000000000000000000000000000000000003"
      "74776f0000000000000000000000000000000000000000000000000000000000"
      "0000000000000000000000000000000000000000000000000000000000000005"
      "7468726565000000000000000000000000000000000000000000000000000000");
}

TEST(AbiEncode, NegativeIntsAreSignExtended) {
  const Bytes encoded = abi_encode(type("int8"), AbiValue::int_(-1)).value();
  EXPECT_EQ(to_hex(encoded, false), std::string(64, 'f'));
  EXPECT_EQ(abi_decode(type("int8"), encoded).value(), AbiValue::int_(-1));
  EXPECT_TRUE(abi_encode(type("int8"), AbiValue::int_(-128)).has_value());
  EXPECT_FALSE(abi_encode(type("int8"), AbiValue::int_(-129)).has_value());
  EXPECT_FALSE(abi_encode(type("int8"), AbiValue::int_(128)).has_value());
  EXPECT_TRUE(abi_encode(type("int8"), AbiValue::int_(127)).has_value());
}

TEST(AbiEncode, RefusesValuesThatDoNotFitTheType) {
  EXPECT_EQ(abi_encode(type("uint8"), uint(256)).error().code, Errc::invalid_argument);
  EXPECT_FALSE(abi_encode(type("uint256"), AbiValue::boolean(true)).has_value());
  EXPECT_FALSE(abi_encode(type("bytes3"), bytes_of("abcd")).has_value());
  EXPECT_FALSE(abi_encode(type("uint8[2]"), list({uint(1)})).has_value());
  EXPECT_FALSE(abi_encode(type("(uint8,bool)"), list({uint(1)})).has_value());
  const auto nested = abi_encode(type("(uint8,uint8[])"), list({uint(1), list({uint(300)})}));
  ASSERT_FALSE(nested.has_value());
  EXPECT_NE(nested.error().message.find("[1][0]"), std::string::npos) << nested.error().message;
}

TEST(AbiErrors, ErrorStringRevertData) {
  const Bytes data = encode_error_reason("Not enough Ether provided.");
  EXPECT_EQ(to_hex(data, false),
            "08c379a0"
            "0000000000000000000000000000000000000000000000000000000000000020"
            "000000000000000000000000000000000000000000000000000000000000001a"
            "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000");
  EXPECT_EQ(decode_error_reason(data).value(), "Not enough Ether provided.");
  EXPECT_FALSE(decode_error_reason(hex("08c379a0")).has_value());
  EXPECT_FALSE(decode_error_reason(encode_panic(0x11)).has_value());
}

TEST(AbiErrors, PanicRevertData) {
  EXPECT_EQ(to_hex(encode_panic(0x11), false),
            "4e487b71"
            "0000000000000000000000000000000000000000000000000000000000000011");
}

// ---- strict decoding ----------------------------------------------------------------------------

Bytes words(std::initializer_list<std::string_view> parts) {
  Bytes out;
  for (const auto part : parts) {
    Bytes word = hex(str_cat(part.size() % 2 == 1 ? "0" : "", part));
    Bytes padded(32 - word.size(), 0);
    padded.insert(padded.end(), word.begin(), word.end());
    out.insert(out.end(), padded.begin(), padded.end());
  }
  return out;
}

TEST(AbiDecode, RefusesDirtyWords) {
  EXPECT_EQ(abi_decode(type("uint8"), words({"0100"})).error().code, Errc::malformed);
  EXPECT_FALSE(abi_decode(type("bool"), words({"02"})).has_value());
  EXPECT_FALSE(abi_decode(type("address"), words({"010000000000000000000000000000000000000000"}))
                   .has_value());
  EXPECT_FALSE(abi_decode(type("int8"), words({"80"})).has_value());  // 128 is not an int8
  Bytes dirty_bytes2 = hex("6162630000000000000000000000000000000000000000000000000000000000");
  EXPECT_FALSE(abi_decode(type("bytes2"), dirty_bytes2).has_value());
  EXPECT_EQ(abi_decode(type("bytes3"), dirty_bytes2).value(), bytes_of("abc"));
}

TEST(AbiDecode, RefusesTruncatedInput) {
  EXPECT_FALSE(abi_decode(type("uint256"), Bytes(31, 0)).has_value());
  EXPECT_FALSE(abi_decode(type("(uint256,uint256)"), Bytes(63, 0)).has_value());
  // bytes of length 5 with only 4 content bytes.
  Bytes data = words({"20", "05"});
  data.insert(data.end(), 4, 0x61);
  EXPECT_FALSE(abi_decode(type("(bytes)"), data).has_value());
  data.push_back(0x61);
  EXPECT_EQ(abi_decode(type("(bytes)"), data).value(), list({bytes_of("aaaaa")}));
}

TEST(AbiDecode, HugeLengthsAreErrorsNotAllocations) {
  // A uint256[] claiming 2^255 elements, and one claiming 2^32 (fits u64, not the input).
  EXPECT_EQ(
      abi_decode(type("(uint256[])"),
                 words({"20", "8000000000000000000000000000000000000000000000000000000000000000"}))
          .error()
          .code,
      Errc::malformed);
  EXPECT_FALSE(abi_decode(type("(uint256[])"), words({"20", "0100000000"})).has_value());
  // Three elements declared, two present.
  EXPECT_FALSE(abi_decode(type("(uint256[])"), words({"20", "03", "01", "02"})).has_value());
  EXPECT_FALSE(abi_decode(type("(bytes)"), words({"20", "ffffffffffffffff"})).has_value());
  EXPECT_FALSE(abi_decode(type("(string)"), words({"20", "40"})).has_value());
}

TEST(AbiDecode, OffsetsMustStayInside) {
  EXPECT_FALSE(abi_decode(type("(bytes)"), words({"40"})).has_value());
  EXPECT_FALSE(abi_decode(type("(bytes)"), words({"ffffffffffffffffffffffff"})).has_value());
  EXPECT_FALSE(abi_decode(type("(uint256,bytes)"), words({"01"})).has_value());
}

TEST(AbiDecode, SharedOffsetsCannotMultiplyWork) {
  // bytes[] of 200 elements, every offset pointing to the same 2000-byte blob: 400 kB of content
  // from 8.5 kB of input.
  const std::size_t count = 200;
  const std::size_t blob = 2000;
  Bytes data = words({"20", str_cat(u256(count).hex(false))});
  for (std::size_t i = 0; i < count; ++i) {
    const Bytes offset = words({u256(count * 32).hex(false)});
    data.insert(data.end(), offset.begin(), offset.end());
  }
  const Bytes length = words({u256(blob).hex(false)});
  data.insert(data.end(), length.begin(), length.end());
  data.resize(data.size() + blob, 0x55);
  const auto result = abi_decode(type("(bytes[])"), data);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::limit_exceeded);
}

TEST(AbiDecode, ZeroSizeElementsAreBudgeted) {
  // ()[] with 2^40 elements takes 64 bytes of input and would decode to 2^40 empty tuples. The
  // parser refuses such types; built by hand, the decoder still refuses the count.
  const AbiType zero_size_array = AbiType::tuple({AbiType::array(AbiType::tuple({}))});
  const auto result = abi_decode(zero_size_array, words({"20", "010000000000"}));
  ASSERT_FALSE(result.has_value());
}

// ---- type parsing -------------------------------------------------------------------------------

TEST(AbiTypeParse, CanonicalFormsAndSizes) {
  EXPECT_EQ(type("uint").canonical(), "uint256");
  EXPECT_EQ(type("(uint,int)[2]").canonical(), "(uint256,int256)[2]");
  EXPECT_EQ(type("(uint256,address[],bytes)[2]").canonical(), "(uint256,address[],bytes)[2]");
  EXPECT_TRUE(type("(uint256,address[],bytes)[2]").is_dynamic());
  EXPECT_EQ(type("(uint256,address[],bytes)[2]").head_size(), 32u);
  EXPECT_FALSE(type("(uint256,bool)[3]").is_dynamic());
  EXPECT_EQ(type("(uint256,bool)[3]").head_size(), 192u);
  EXPECT_TRUE(type("string[2]").is_dynamic());
  EXPECT_EQ(type("bytes32[][3]").canonical(), "bytes32[][3]");
  EXPECT_EQ(type("()").canonical(), "()");
  EXPECT_FALSE(AbiType::parse("(())").has_value());
  EXPECT_FALSE(AbiType::parse("()[]").has_value());
  EXPECT_FALSE(AbiType::parse("(uint256,())").has_value());
}

TEST(AbiTypeParse, RefusesBadTypes) {
  for (const std::string_view bad : {"",
                                     "uint7",
                                     "uint264",
                                     "uint0",
                                     "uint08",
                                     "int9",
                                     "bytes0",
                                     "bytes33",
                                     "uint256[0]",
                                     "(uint256",
                                     "uint256[",
                                     "uint256[2",
                                     "foo",
                                     "fixed128x18",
                                     "function",
                                     "address1",
                                     "(uint256,)",
                                     "(,uint256)",
                                     "uint256 ",
                                     "Uint256",
                                     "uint256[01]",
                                     "string[99999999999]"}) {
    EXPECT_FALSE(AbiType::parse(bad).has_value()) << bad;
  }
}

TEST(AbiTypeParse, BoundsDepthTextAndStaticSize) {
  EXPECT_TRUE(AbiType::parse(str_cat(std::string(20, '('), "bool", std::string(20, ')'))));
  EXPECT_EQ(
      AbiType::parse(str_cat(std::string(40, '('), "bool", std::string(40, ')'))).error().code,
      Errc::limit_exceeded);
  std::string arrays = "bool";
  for (int i = 0; i < 40; ++i)
    arrays += "[]";
  EXPECT_EQ(AbiType::parse(arrays).error().code, Errc::limit_exceeded);
  EXPECT_EQ(AbiType::parse(std::string(5000, '(')).error().code, Errc::limit_exceeded);
  EXPECT_EQ(AbiType::parse("uint256[65536][65536]").error().code, Errc::limit_exceeded);
}

TEST(AbiFunctionSignature, ParsesAndRefuses) {
  const AbiFunction f = parse_function_signature("set(uint256,string)").value();
  EXPECT_EQ(f.name, "set");
  EXPECT_EQ(f.inputs.components().size(), 2u);
  EXPECT_TRUE(parse_function_signature("noArgs()").has_value());
  EXPECT_FALSE(parse_function_signature("(uint256)").has_value());
  EXPECT_FALSE(parse_function_signature("bad name(uint256)").has_value());
  EXPECT_FALSE(parse_function_signature("f(uint256)[]").has_value());
  EXPECT_FALSE(parse_function_signature("f").has_value());
}

// ---- round trips --------------------------------------------------------------------------------

class RandomAbi {
 public:
  explicit RandomAbi(std::uint64_t seed) : random_(seed) {}

  AbiType type(int depth = 0) {
    const auto pick = random_() % (depth >= 3 ? 7 : 10);
    switch (pick) {
      case 0:
        return AbiType::uint(8 * (1 + random_() % 32));
      case 1:
        return AbiType::int_(8 * (1 + random_() % 32));
      case 2:
        return AbiType::address();
      case 3:
        return AbiType::boolean();
      case 4:
        return AbiType::fixed_bytes(1 + random_() % 32);
      case 5:
        return AbiType::bytes();
      case 6:
        return AbiType::string();
      case 7:
        return AbiType::array(type(depth + 1));
      case 8:
        return AbiType::fixed_array(type(depth + 1), 1 + random_() % 3);
      default: {
        std::vector<AbiType> components(1 + random_() % 3);
        for (AbiType& component : components)
          component = type(depth + 1);
        return AbiType::tuple(std::move(components));
      }
    }
  }

  AbiValue value(const AbiType& t) {
    using Kind = AbiType::Kind;
    switch (t.kind()) {
      case Kind::uint:
        return AbiValue::uint(random_u256() >> (256 - t.size()));
      case Kind::int_:
        return AbiValue::uint(signextend(t.size() / 8 - 1, random_u256()));
      case Kind::address: {
        Address address;
        for (Byte& b : address.bytes)
          b = static_cast<Byte>(random_());
        return AbiValue::address(address);
      }
      case Kind::boolean:
        return AbiValue::boolean(random_() % 2 == 1);
      case Kind::fixed_bytes:
        return AbiValue::bytes(random_bytes(t.size()));
      case Kind::bytes:
        return AbiValue::bytes(random_bytes(random_() % 70));
      case Kind::string: {
        const Bytes raw = random_bytes(random_() % 70);
        return AbiValue::string(std::string(raw.begin(), raw.end()));
      }
      case Kind::array:
      case Kind::fixed_array: {
        const std::size_t count = t.kind() == Kind::array ? random_() % 4 : t.size();
        AbiValue::List values;
        for (std::size_t i = 0; i < count; ++i)
          values.push_back(value(t.element()));
        return AbiValue::list(std::move(values));
      }
      case Kind::tuple: {
        AbiValue::List values;
        for (const AbiType& component : t.components())
          values.push_back(value(component));
        return AbiValue::list(std::move(values));
      }
    }
    return {};
  }

  std::uint64_t next() { return random_(); }

 private:
  u256 random_u256() { return u256(u256::Limbs{random_(), random_(), random_(), random_()}); }
  Bytes random_bytes(std::size_t size) {
    Bytes out(size);
    for (Byte& b : out)
      b = static_cast<Byte>(random_());
    return out;
  }

  std::mt19937_64 random_;
};

TEST(AbiRoundTrip, RandomTypesAndValues) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  RandomAbi random(seed);
  for (std::uint64_t i = 0; i < test::property_iterations(300); ++i) {
    const AbiType t = AbiType::tuple({random.type(), random.type()});
    const auto parsed = AbiType::parse(t.canonical());
    ASSERT_TRUE(parsed.has_value()) << t.canonical() << ": " << parsed.error().message;
    ASSERT_EQ(*parsed, t) << t.canonical();
    const AbiValue v = random.value(t);
    const Bytes encoded = abi_encode(t, v).value();
    ASSERT_EQ(encoded.size() % 32, 0u);
    const auto decoded = abi_decode(t, encoded);
    ASSERT_TRUE(decoded.has_value()) << t.canonical() << ": " << decoded.error().message;
    ASSERT_EQ(*decoded, v) << t.canonical() << " " << to_hex(encoded);
    // A strict prefix is refused unless it only lacks the zero padding after the last bytes or
    // string content (the padding is not required, as Solidity's decoder does not require it).
    if (!encoded.empty()) {
      const std::size_t cut = random.next() % encoded.size();
      const auto truncated = abi_decode(t, BytesView(encoded).first(cut));
      if (truncated) {
        ASSERT_LE(abi_encode(t, *truncated).value().size(), (cut + 31) / 32 * 32) << t.canonical();
      }
    }
  }
}

}  // namespace
}  // namespace tally::chain
