// Ethereum's RLPTests (ethereum/tests). Each case has "in" and "out" (hex, "0x" optional):
//   - "in" is a JSON value: a string is a byte string, except that "#<decimal>" is a big integer of
//     any width; a number is an unsigned integer; an array is a list. The encoding of "in" must be
//     "out", and decoding "out" must give "in" back.
//   - "in": "VALID" (random tests): "out" must decode, and being canonical, re-encode to itself.
//   - "in": "INVALID": decoding "out" must fail.
// The decoder follows its own rules (rlp_decode.hpp); these files only check them.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>

#include "support/testdata.hpp"

namespace tally {
namespace {

namespace json = boost::json;

// Every file of the suite; SuiteHasNoUnlistedFiles keeps this list complete.
const char* const kFiles[] = {"rlptest.json", "invalidRLPTest.json", "RandomRLPTests/example.json"};

std::filesystem::path suite_dir() {
  return test::testdata_dir() / "eth" / "RLPTests";
}

// Minimal big-endian bytes of a decimal number of any size (empty for zero).
Bytes decimal_to_bytes(std::string_view digits) {
  if (digits.empty())
    throw std::invalid_argument("empty big integer");
  Bytes out;  // big-endian, kept minimal
  for (const char c : digits) {
    if (c < '0' || c > '9')
      throw std::invalid_argument(str_cat("bad digit in big integer: ", digits));
    unsigned carry = static_cast<unsigned>(c - '0');
    for (auto it = out.rbegin(); it != out.rend(); ++it) {
      const unsigned v = *it * 10u + carry;
      *it = static_cast<Byte>(v & 0xff);
      carry = v >> 8;
    }
    for (; carry != 0; carry >>= 8)
      out.insert(out.begin(), static_cast<Byte>(carry & 0xff));
  }
  return out;
}

bool is_integer(const json::value& in) {
  return in.is_number() || (in.is_string() && in.as_string().starts_with("#"));
}

// The big-endian bytes of an integer input.
Bytes integer_bytes(const json::value& in) {
  if (in.is_string())
    return decimal_to_bytes(std::string_view(in.as_string()).substr(1));
  if (in.is_int64() && in.as_int64() >= 0)
    return RlpItem::uint(static_cast<std::uint64_t>(in.as_int64())).bytes;
  if (in.is_uint64())
    return RlpItem::uint(in.as_uint64()).bytes;
  throw std::invalid_argument("integer input is neither unsigned nor a #decimal");
}

RlpItem item_from_json(const json::value& in) {
  if (is_integer(in))
    return RlpItem::string(integer_bytes(in));
  if (in.is_string())
    return RlpItem::text(in.as_string());
  if (in.is_array()) {
    RlpItem list = RlpItem::list({});
    for (const json::value& element : in.as_array())
      list.items.push_back(item_from_json(element));
    return list;
  }
  throw std::invalid_argument("unsupported input type");
}

// An integer input must also go through the integer paths: written with add_uint / add_uint_bytes
// and read back with read_uint64 / read_uint_bytes.
std::string check_integer(const json::value& in, const Bytes& out) {
  const Bytes value = integer_bytes(in);
  RlpWriter writer;
  writer.add_uint_bytes(value);
  if (writer.finish() != out)
    return "add_uint_bytes gives a different encoding";
  RlpReader reader(out);
  const auto read = reader.read_uint_bytes(64);
  if (!read)
    return "read_uint_bytes: " + read.error().message;
  if (!std::ranges::equal(*read, value))
    return "read_uint_bytes gives " + to_hex(*read);
  if (value.size() <= sizeof(std::uint64_t)) {
    const auto number = RlpReader(out).read_uint64();
    if (!number)
      return "read_uint64: " + number.error().message;
    if (RlpItem::uint(*number).bytes != value)
      return "read_uint64 gives " + std::to_string(*number);
  }
  return {};
}

bool is_keyword(const json::value& in, std::string_view keyword) {
  return in.is_string() && in.as_string() == keyword;
}

// Empty if the case passes, otherwise what went wrong.
std::string run_case(const json::object& test_case) {
  const auto out = from_hex(test_case.at("out").as_string());
  if (!out)
    return "bad hex in out: " + out.error().message;
  const json::value& in = test_case.at("in");
  const auto decoded = rlp_decode(*out);
  if (is_keyword(in, "INVALID")) {
    if (decoded)
      return "invalid encoding was decoded as " + to_string(*decoded);
    if (decoded.error().message.rfind("rlp: offset ", 0) != 0)
      return "error does not name an offset: " + decoded.error().message;
    return {};
  }
  if (!decoded)
    return "decode failed: " + to_string(decoded.error());
  if (is_keyword(in, "VALID")) {
    return rlp_encode(*decoded) == *out ? std::string{} : "re-encoding differs from out";
  }
  const RlpItem expected = item_from_json(in);
  const Bytes encoded = rlp_encode(expected);
  if (encoded != *out)
    return "encoded as " + to_hex(encoded);
  if (*decoded != expected)
    return "decoded as " + to_string(*decoded) + ", expected " + to_string(expected);
  return is_integer(in) ? check_integer(in, *out) : std::string{};
}

class RlpConformance : public ::testing::TestWithParam<const char*> {};

TEST_P(RlpConformance, EveryCasePasses) {
  const std::string file = GetParam();
  const json::value suite = test::read_json(suite_dir() / file);
  std::size_t passed = 0;
  std::size_t total = 0;
  for (const auto& [name, test_case] : suite.as_object()) {
    ++total;
    std::string problem;
    try {
      problem = run_case(test_case.as_object());
    } catch (const std::exception& e) {
      problem = std::string("bad test case: ") + e.what();
    }
    EXPECT_TRUE(problem.empty()) << file << ": " << std::string_view(name) << ": " << problem;
    if (problem.empty())
      ++passed;
  }
  EXPECT_GT(total, 0u) << file << " holds no cases";
  RecordProperty("cases", static_cast<int>(total));
  RecordProperty("passed", static_cast<int>(passed));
  std::cout << "RLPTests conformance: " << file << " " << passed << "/" << total << " cases\n";
}

INSTANTIATE_TEST_SUITE_P(
    RlpTests,
    RlpConformance,
    ::testing::ValuesIn(kFiles),
    [](const ::testing::TestParamInfo<const char*>& param_info) {
      std::string name = param_info.param;
      std::ranges::replace_if(
          name, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
      return name;
    });

TEST(RlpConformanceSuite, HasNoUnlistedFiles) {
  const std::filesystem::path dir = suite_dir();
  const std::set<std::string> listed(std::begin(kFiles), std::end(kFiles));
  std::size_t found = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json")
      continue;
    ++found;
    const std::string relative = entry.path().lexically_relative(dir).generic_string();
    EXPECT_TRUE(listed.contains(relative)) << relative << " is in the suite but not in kFiles";
  }
  EXPECT_EQ(found, listed.size());
}

TEST(RlpConformanceSuite, DecimalBigIntegersBecomeMinimalBigEndianBytes) {
  EXPECT_EQ(decimal_to_bytes("0"), Bytes{});
  EXPECT_EQ(decimal_to_bytes("255"), Bytes{0xff});
  EXPECT_EQ(decimal_to_bytes("256"), (Bytes{0x01, 0x00}));
  EXPECT_EQ(to_hex(decimal_to_bytes("83729609699884896815286331701780722")),
            "0x102030405060708090a0b0c0d0e0f2");
  EXPECT_THROW(decimal_to_bytes("12a"), std::invalid_argument);
}

}  // namespace
}  // namespace tally
