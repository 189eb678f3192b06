#include <cstdint>
#include <limits>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>

#include <gtest/gtest.h>

#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>

#include "support/seed.hpp"

namespace tally {

// gtest prints RlpItem through this (found by argument-dependent lookup).
static void PrintTo(const RlpItem& item, std::ostream* out) {
  *out << to_string(item);
}

namespace {

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}

Bytes repeated(std::size_t size, Byte value) {
  return Bytes(size, value);
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The failure of decoding `encoded` as one item; the test fails if decoding succeeds.
Error decode_error(const Bytes& encoded) {
  auto result = rlp_decode(encoded);
  if (result) {
    ADD_FAILURE() << "decoded " << to_hex(encoded) << " as " << to_string(*result);
    return {};
  }
  return result.error();
}

void expect_error(const Error& error, Errc code, std::string_view message) {
  EXPECT_EQ(error.code, code) << error.message;
  EXPECT_EQ(error.message, message);
}

// `result` must be a failure with this code and message.
template <typename T>
void expect_failure(const Result<T>& result, Errc code, std::string_view message) {
  ASSERT_FALSE(result) << "expected: " << message;
  expect_error(result.error(), code, message);
}

RlpItem text(std::string_view value) {
  return RlpItem::text(value);
}

RlpItem list_of(std::vector<RlpItem> elements) {
  return RlpItem::list(std::move(elements));
}

// ---- encoding ----

TEST(RlpEncode, StringsAroundTheShortFormBoundary) {
  EXPECT_EQ(rlp_encode_string({}), hex("80"));
  EXPECT_EQ(rlp_encode_string(hex("00")), hex("00"));
  EXPECT_EQ(rlp_encode_string(hex("7f")), hex("7f"));
  EXPECT_EQ(rlp_encode_string(hex("80")), hex("8180"));
  EXPECT_EQ(rlp_encode_string(repeated(55, 0xaa)), concat(hex("b7"), repeated(55, 0xaa)));
  EXPECT_EQ(rlp_encode_string(repeated(56, 0xaa)), concat(hex("b838"), repeated(56, 0xaa)));
  EXPECT_EQ(rlp_encode_string(repeated(1024, 0xaa)), concat(hex("b90400"), repeated(1024, 0xaa)));
  EXPECT_EQ(rlp_string_size(repeated(1024, 0)), 1027u);
  EXPECT_EQ(rlp_string_size(hex("05")), 1u);
}

TEST(RlpEncode, IntegersAreMinimalBigEndianAndZeroIsTheEmptyString) {
  EXPECT_EQ(rlp_encode_uint(0), hex("80"));
  EXPECT_EQ(rlp_encode_uint(1), hex("01"));
  EXPECT_EQ(rlp_encode_uint(0x7f), hex("7f"));
  EXPECT_EQ(rlp_encode_uint(0x80), hex("8180"));
  EXPECT_EQ(rlp_encode_uint(1024), hex("820400"));
  EXPECT_EQ(rlp_encode_uint(std::numeric_limits<std::uint64_t>::max()), hex("88ffffffffffffffff"));
  EXPECT_EQ(RlpItem::uint(0x0102), RlpItem::string(hex("0102")));
}

TEST(RlpEncode, IntegerBytesDropLeadingZeros) {
  Bytes out;
  append_rlp_uint_bytes(out, repeated(32, 0));
  EXPECT_EQ(out, hex("80"));
  out.clear();
  append_rlp_uint_bytes(out,
                        hex("0000000000000000000000000000000000000000000000000000000000000401"));
  EXPECT_EQ(out, hex("820401"));
  out.clear();
  append_rlp_uint_bytes(out, hex("00007f"));
  EXPECT_EQ(out, hex("7f"));
}

struct Example {
  const char* name;
  RlpItem item;
  Bytes encoded;
};

std::vector<Example> canonical_examples() {
  const std::string lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
  return {
      {"dog", text("dog"), hex("83646f67")},
      {"cat, dog", list_of({text("cat"), text("dog")}), hex("c88363617483646f67")},
      {"empty string", text(""), hex("80")},
      {"empty list", list_of({}), hex("c0")},
      {"integer 15", RlpItem::uint(15), hex("0f")},
      {"integer 1024", RlpItem::uint(1024), hex("820400")},
      // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ].
      {"three",
       list_of(
           {list_of({}), list_of({list_of({})}), list_of({list_of({}), list_of({list_of({})})})}),
       hex("c7c0c1c0c3c0c1c0")},
      {"56-byte string", text(lorem), concat(hex("b838"), to_bytes(lorem))},
      {"[[]]", list_of({list_of({})}), hex("c1c0")},
      {"[[[]]]", list_of({list_of({list_of({})})}), hex("c2c1c0")},
      {"[[], []]", list_of({list_of({}), list_of({})}), hex("c2c0c0")},
  };
}

TEST(RlpEncode, CanonicalExamplesEncode) {
  for (const Example& example : canonical_examples())
    EXPECT_EQ(rlp_encode(example.item), example.encoded) << example.name;
}

TEST(RlpDecode, CanonicalExamplesDecode) {
  for (const Example& example : canonical_examples()) {
    const auto decoded = rlp_decode(example.encoded);
    ASSERT_TRUE(decoded) << example.name << ": " << decoded.error().message;
    EXPECT_EQ(*decoded, example.item) << example.name;
  }
}

TEST(RlpWriter, SplicesLongListHeadersAtEveryLevel) {
  // Inner list of 60 bytes and an outer list around it with items before and after: both headers
  // take the long form, and the outer payload counts the inner header.
  RlpWriter writer;
  writer.begin_list();
  writer.add_uint(7);
  writer.begin_list();
  writer.add_string(repeated(58, 0x11));  // 60 bytes encoded
  writer.end_list();
  writer.add_string(hex("ff"));
  writer.end_list();
  EXPECT_EQ(writer.open_lists(), 0u);
  const Bytes inner = concat(hex("f83c"
                                 "b83a"),
                             repeated(58, 0x11));
  const Bytes outer_payload = concat(concat(hex("07"), inner), hex("81ff"));
  Bytes expected;
  append_rlp_list_header(expected, outer_payload.size());
  EXPECT_EQ(writer.finish(), concat(expected, outer_payload));
  EXPECT_EQ(expected, hex("f841"));
}

TEST(RlpWriter, IsEmptyAndReusableAfterFinish) {
  RlpWriter writer(64);
  writer.begin_list();
  writer.add_string(as_bytes("dog"));
  writer.end_list();
  EXPECT_EQ(writer.finish(), hex("c483646f67"));
  EXPECT_TRUE(writer.finish().empty());
  writer.add_uint(0);
  writer.add_raw(hex("c0"));
  EXPECT_EQ(writer.finish(), hex("80c0"));
}

TEST(RlpWriter, FinishAppendsAfterWhatTheBufferHolds) {
  RlpWriter writer;
  Bytes out = hex("02");  // an EIP-2718 type byte before the payload
  writer.begin_list();
  writer.add_uint(1);
  writer.begin_list();
  writer.end_list();
  writer.end_list();
  writer.finish_append(out);
  EXPECT_EQ(out, hex("02c201c0"));
  writer.add_uint(5);
  writer.finish_append(out);
  EXPECT_EQ(out, hex("02c201c005"));
}

TEST(RlpWriter, RawItemsAreCopiedUnchanged) {
  RlpWriter writer;
  writer.begin_list();
  writer.add_raw(hex("c88363617483646f67"));
  writer.add_raw(hex("83646f67"));
  writer.end_list();
  EXPECT_EQ(writer.finish(), hex("cdc88363617483646f6783646f67"));
}

// ---- reading ----

TEST(RlpReader, WalksNestedListsAndReportsOffsets) {
  // [ "cat", [ 1024, 0 ], "" ]
  const Bytes encoded =
      hex("ca83636174c482040080"
          "80");
  auto outer = rlp_open_list(encoded);
  ASSERT_TRUE(outer) << outer.error().message;
  EXPECT_EQ(outer->depth(), 1u);
  EXPECT_EQ(outer->offset(), 1u);
  EXPECT_EQ(outer->peek_kind().value(), RlpKind::string);
  const auto cat = outer->read_string();
  ASSERT_TRUE(cat);
  EXPECT_EQ(Bytes(cat->begin(), cat->end()), to_bytes("cat"));
  // The view points into the input: decoding copies nothing.
  EXPECT_EQ(cat->data(), encoded.data() + 2);
  EXPECT_EQ(outer->peek_kind().value(), RlpKind::list);
  auto inner = outer->read_list();
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->offset(), 6u);
  EXPECT_EQ(inner->read_uint64().value(), 1024u);
  EXPECT_EQ(inner->read_uint64().value(), 0u);
  EXPECT_TRUE(inner->at_end());
  EXPECT_TRUE(inner->finish());
  EXPECT_TRUE(outer->read_string().value().empty());
  EXPECT_TRUE(outer->finish());
}

TEST(RlpReader, DecodesStringsOfEveryHeaderForm) {
  for (const std::size_t size : {0u, 1u, 55u, 56u, 255u, 256u, 1024u, 70000u}) {
    SCOPED_TRACE(size);
    const Bytes value = repeated(size, 0xc3);
    const Bytes encoded = rlp_encode_string(value);
    RlpReader reader(encoded);
    const auto read = reader.read_string();
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(Bytes(read->begin(), read->end()), value);
    EXPECT_TRUE(reader.finish());
  }
}

TEST(RlpReader, DecodesIntegersAtTheirBoundaries) {
  for (const std::uint64_t value :
       {std::uint64_t{0}, std::uint64_t{0x7f}, std::uint64_t{0x80}, std::uint64_t{0xff},
        std::uint64_t{0x100}, std::numeric_limits<std::uint64_t>::max()}) {
    SCOPED_TRACE(value);
    const Bytes encoded = rlp_encode_uint(value);
    RlpReader reader(encoded);
    EXPECT_EQ(reader.read_uint64().value(), value);
    EXPECT_TRUE(reader.at_end());
  }
}

TEST(RlpReader, ReadsFixedSizeStrings) {
  const Bytes address = hex("00112233445566778899aabbccddeeff00112233");
  const Bytes encoded = concat(rlp_encode_string(address), rlp_encode_string(hex("0102")));
  RlpReader reader(encoded);
  EXPECT_EQ(reader.read_fixed<20>().value().view().size(), 20u);
  const auto wrong = reader.read_fixed<20>();
  expect_failure(wrong, Errc::malformed, "rlp: offset 21: expected a string of 20 bytes, found 2");
  EXPECT_EQ(reader.read_string_of_size(2).value().size(), 2u);
}

TEST(RlpReader, RawAndSkipPassWholeItems) {
  const Bytes encoded =
      hex("c88363617483646f67"
          "83646f67");
  RlpReader reader(encoded);
  EXPECT_EQ(to_hex(reader.read_raw().value()), "0xc88363617483646f67");
  EXPECT_TRUE(reader.skip());
  EXPECT_TRUE(reader.at_end());
  const auto past = reader.skip();
  expect_failure(past, Errc::malformed,
                 "rlp: offset 13: unexpected end of input, expected an item");
}

// Readers hand out views into their input, so they refuse to be built over a temporary.
static_assert(!std::is_constructible_v<RlpReader, Bytes>);
static_assert(std::is_constructible_v<RlpReader, const Bytes&>);

TEST(RlpReader, AFailedReadConsumesNothing) {
  const Bytes encoded = hex("820001");
  RlpReader reader(encoded);
  EXPECT_FALSE(reader.read_uint64());
  EXPECT_FALSE(reader.read_list());
  EXPECT_EQ(reader.offset(), 0u);
  EXPECT_EQ(to_hex(reader.read_string().value()), "0x0001");
}

// ---- strictness: every non-canonical form is refused with its place and reason -----------------

TEST(RlpStrict, SingleByteBelow0x80MustNotBeStringEncoded) {
  expect_error(decode_error(hex("8100")), Errc::malformed,
               "rlp: offset 0: single byte below 0x80 must not be string-encoded");
  expect_error(decode_error(hex("c3018105"
                                "00")),
               Errc::malformed, "rlp: offset 2: single byte below 0x80 must not be string-encoded");
  EXPECT_EQ(decode_error(hex("817f")).code, Errc::malformed);
  EXPECT_TRUE(rlp_decode(hex("8180")));
}

TEST(RlpStrict, LongFormForShortPayloadIsRefused) {
  expect_error(decode_error(hex("b801ff")), Errc::malformed,
               "rlp: offset 0: string of length 1 must use the short form (long form is for 56 "
               "bytes or more)");
  expect_error(decode_error(concat(hex("f837"), repeated(55, 0x01))), Errc::malformed,
               "rlp: offset 0: list of length 55 must use the short form (long form is for 56 "
               "bytes or more)");
  Bytes nested = concat(hex("f83a"
                            "f837"),
                        repeated(55, 0x01));
  nested.resize(nested.size() + 1, 0x01);  // the outer payload is 58 bytes: header, 55, then one
  expect_error(decode_error(nested), Errc::malformed,
               "rlp: offset 2: list of length 55 must use the short form (long form is for 56 "
               "bytes or more)");
}

TEST(RlpStrict, LengthWithLeadingZeroIsRefused) {
  expect_error(decode_error(concat(hex("b90040"), repeated(64, 0))), Errc::malformed,
               "rlp: offset 0: string length has a leading zero byte");
  expect_error(decode_error(hex("f800")), Errc::malformed,
               "rlp: offset 0: list length has a leading zero byte");
}

TEST(RlpStrict, LengthBeyondTheInputIsRefused) {
  expect_error(decode_error(hex("836162")), Errc::malformed,
               "rlp: offset 0: string declares 3 payload bytes but only 2 remain");
  // The item fits the input but not its enclosing list.
  expect_error(decode_error(hex("c383616263")), Errc::malformed,
               "rlp: offset 1: string declares 3 payload bytes but only 2 remain");
  expect_error(decode_error(hex("b9ff")), Errc::malformed,
               "rlp: offset 0: string header needs 2 length bytes but only 1 remain");
  expect_error(decode_error(hex("c1")), Errc::malformed,
               "rlp: offset 0: list declares 1 payload bytes but only 0 remain");
  expect_error(decode_error({}), Errc::malformed,
               "rlp: offset 0: unexpected end of input, expected an item");
}

TEST(RlpStrict, TrailingBytesAfterTheTopLevelItemAreRefused) {
  expect_error(decode_error(hex("8080")), Errc::malformed,
               "rlp: offset 1: trailing bytes after the top-level item");
  const Bytes two_lists = hex("c0c0");
  const auto opened = rlp_open_list(two_lists);
  expect_failure(opened, Errc::malformed, "rlp: offset 1: trailing bytes after the top-level item");
  const Bytes two_items = hex("c20102");
  auto list = rlp_open_list(two_items);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->read_uint64().value(), 1u);
  const auto extra = list->finish();
  expect_failure(extra, Errc::malformed,
                 "rlp: offset 2: unexpected extra item at the end of a list");
}

TEST(RlpStrict, ItemsOfTheWrongKindAreRefused) {
  const Bytes list = hex("c0");
  RlpReader list_reader(list);
  expect_failure(list_reader.read_string(), Errc::malformed,
                 "rlp: offset 0: expected a string, found a list");
  const Bytes string = hex("80");
  RlpReader string_reader(string);
  expect_failure(string_reader.read_list(), Errc::malformed,
                 "rlp: offset 0: expected a list, found a string");
  auto empty = rlp_open_list(list);
  ASSERT_TRUE(empty);
  expect_failure(empty->read_uint64(), Errc::malformed,
                 "rlp: offset 1: unexpected end of list, expected an item");
}

TEST(RlpStrict, IntegersWithLeadingZerosAreRefused) {
  const Bytes zero = hex("00");
  RlpReader zero_byte(zero);
  expect_failure(zero_byte.read_uint64(), Errc::malformed,
                 "rlp: offset 0: integer has a leading zero byte");
  const Bytes padded_list = hex("c3820001");
  RlpReader padded(padded_list);
  auto list = padded.read_list();
  ASSERT_TRUE(list);
  expect_failure(list->read_uint64(), Errc::malformed,
                 "rlp: offset 1: integer has a leading zero byte");
  // As a plain string the same bytes are fine.
  EXPECT_EQ(list->read_string().value().size(), 2u);
}

TEST(RlpStrict, IntegersWiderThanTheTargetAreRefused) {
  const Bytes nine = hex("89010000000000000000");
  RlpReader nine_bytes(nine);
  expect_failure(nine_bytes.read_uint64(), Errc::out_of_range,
                 "rlp: offset 0: integer of 9 bytes does not fit in 8");
  const Bytes word = concat(hex("a1"), concat(hex("01"), repeated(32, 0)));
  RlpReader too_wide(word);
  expect_failure(too_wide.read_uint_bytes(32), Errc::out_of_range,
                 "rlp: offset 0: integer of 33 bytes does not fit in 32");
  EXPECT_EQ(too_wide.read_uint_bytes(33).value().size(), 33u);
}

// ---- bounds ----

Bytes nested_lists(std::size_t depth) {
  RlpWriter writer;
  for (std::size_t i = 0; i < depth; ++i)
    writer.begin_list();
  for (std::size_t i = 0; i < depth; ++i)
    writer.end_list();
  return writer.finish();
}

TEST(RlpBounds, NestingUpToTheDepthLimitDecodes) {
  const auto decoded = rlp_decode(nested_lists(kRlpMaxDepth));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(rlp_encode(*decoded), nested_lists(kRlpMaxDepth));
}

TEST(RlpBounds, NestingPastTheDepthLimitIsRefused) {
  const Bytes encoded = nested_lists(kRlpMaxDepth + 1);
  // The innermost list, the one too deep, is the last byte.
  expect_error(decode_error(encoded), Errc::limit_exceeded,
               str_cat("rlp: offset ", encoded.size() - 1, ": lists nest deeper than 64"));
}

TEST(RlpBounds, PayloadLengthAboveTheLimitIsRefusedBeforeLookingForTheBytes) {
  // kRlpMaxPayloadBytes is 0x4000000: four length bytes.
  static_assert(kRlpMaxPayloadBytes == 0x4000000);
  expect_error(decode_error(hex("bb04000001")), Errc::limit_exceeded,
               "rlp: offset 0: string declares 67108865 payload bytes, above the limit of "
               "67108864");
  expect_error(decode_error(hex("fb04000001")), Errc::limit_exceeded,
               "rlp: offset 0: list declares 67108865 payload bytes, above the limit of 67108864");
  // Eight length bytes: a size that would overflow offset arithmetic.
  expect_error(decode_error(hex("bfffffffffffffffff00")), Errc::limit_exceeded,
               "rlp: offset 0: string declares 18446744073709551615 payload bytes, above the "
               "limit of 67108864");
  // At the limit the length is accepted and only the missing bytes are wrong.
  expect_error(decode_error(hex("bb04000000")), Errc::malformed,
               "rlp: offset 0: string declares 67108864 payload bytes but only 0 remain");
}

TEST(RlpBounds, PayloadExactlyAtTheLimitDecodes) {
  Bytes encoded = hex("bb04000000");
  encoded.resize(encoded.size() + kRlpMaxPayloadBytes, 0xab);
  RlpReader reader(encoded);
  const auto read = reader.read_string();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->size(), kRlpMaxPayloadBytes);
  EXPECT_TRUE(reader.finish());
}

// ---- properties ----

// Sizes chosen to hit the header boundaries often.
std::size_t random_string_size(std::mt19937_64& rng) {
  static constexpr std::size_t kInteresting[] = {0, 1, 2, 55, 56, 57, 255, 256};
  if (rng() % 2 == 0)
    return kInteresting[rng() % std::size(kInteresting)];
  return rng() % 300;
}

RlpItem random_item(std::mt19937_64& rng, std::size_t depth) {
  if (depth == 0 || rng() % 3 != 0) {
    Bytes bytes(random_string_size(rng));
    for (Byte& b : bytes)
      b = static_cast<Byte>(rng());
    // Single bytes below and above 0x80 take different encodings.
    return RlpItem::string(bytes);
  }
  RlpItem list = RlpItem::list({});
  const std::size_t count = rng() % 6;
  for (std::size_t i = 0; i < count; ++i)
    list.items.push_back(random_item(rng, depth - 1));
  return list;
}

// An independent, bottom-up reference encoder: encode the children, then prefix their length.
Bytes reference_encode(const RlpItem& item) {
  Bytes payload;
  if (item.is_list) {
    for (const RlpItem& element : item.items)
      payload = concat(std::move(payload), reference_encode(element));
  } else if (item.bytes.size() == 1 && item.bytes[0] < 0x80) {
    return item.bytes;
  } else {
    payload = item.bytes;
  }
  const Byte base = item.is_list ? 0xc0 : 0x80;
  if (payload.size() < 56)
    return concat(Bytes{static_cast<Byte>(base + payload.size())}, payload);
  Bytes length;
  for (std::size_t n = payload.size(); n != 0; n >>= 8)
    length.insert(length.begin(), static_cast<Byte>(n & 0xff));
  return concat(concat(Bytes{static_cast<Byte>(base + 55 + length.size())}, length), payload);
}

TEST(RlpProperty, RandomStructuresRoundTrip) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  const std::uint64_t iterations = test::property_iterations(1000);
  for (std::uint64_t i = 0; i < iterations; ++i) {
    const RlpItem item = random_item(rng, 5);
    const Bytes encoded = rlp_encode(item);
    ASSERT_EQ(encoded, reference_encode(item)) << "iteration " << i << ": " << to_string(item);
    const auto decoded = rlp_decode(encoded);
    ASSERT_TRUE(decoded) << "iteration " << i << ": " << decoded.error().message;
    ASSERT_EQ(*decoded, item) << "iteration " << i;
  }
}

// Strictness as a property: each value has one encoding, so anything the decoder accepts must be
// exactly what the encoder produces for the decoded value. Mutated encodings probe the edges.
TEST(RlpProperty, WhateverDecodesReEncodesToTheSameBytes) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  const std::uint64_t iterations = test::property_iterations(5000);
  std::uint64_t accepted = 0;
  for (std::uint64_t i = 0; i < iterations; ++i) {
    Bytes bytes = rlp_encode(random_item(rng, 3));
    switch (rng() % 3) {
      case 0:  // flip a byte
        bytes[rng() % bytes.size()] = static_cast<Byte>(rng());
        break;
      case 1:  // truncate or extend
        bytes.resize(rng() % (bytes.size() + 2), static_cast<Byte>(rng()));
        break;
      default:  // set a header-like byte
        bytes[rng() % bytes.size()] = static_cast<Byte>(0x7f + rng() % 0x81);
        break;
    }
    const auto decoded = rlp_decode(bytes);
    if (decoded) {
      ++accepted;
      ASSERT_EQ(rlp_encode(*decoded), bytes) << "iteration " << i << ": accepted " << to_hex(bytes);
    } else {
      ASSERT_TRUE(decoded.error().code == Errc::malformed ||
                  decoded.error().code == Errc::limit_exceeded)
          << decoded.error().message;
      ASSERT_EQ(decoded.error().message.rfind("rlp: offset ", 0), 0u) << decoded.error().message;
    }
  }
  // Both outcomes must occur, or the property says nothing.
  EXPECT_GT(accepted, 0u);
  EXPECT_LT(accepted, iterations);
}

}  // namespace
}  // namespace tally
