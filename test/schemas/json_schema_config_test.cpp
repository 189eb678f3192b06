// The embedded schemas (every one must compile and accept its own examples) and parse_validated,
// the entry point for configuration files.
#include <string>
#include <thread>

#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tally/schemas/schemas.hpp>

#include "schemas/schema_test_support.hpp"

namespace tally::schemas {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kSchemaSuffix = ".schema.json";

// Every embedded *.schema.json compiles, and the examples it gives are valid against it.
TEST(EmbeddedSchemas, EveryOneCompilesAndAcceptsItsExamples) {
  for (const std::string_view name : paths()) {
    if (!name.ends_with(kSchemaSuffix))
      continue;
    SCOPED_TRACE(name);
    const auto schema = load_schema(name);
    ASSERT_TRUE(schema) << schema.error();
    const auto document = boost::json::parse(*find(name));
    const auto* examples = document.as_object().if_contains("examples");
    if (examples == nullptr)
      continue;
    for (const auto& example : examples->as_array()) {
      for (const SchemaError& error : (*schema)->validate(example))
        ADD_FAILURE() << "example " << boost::json::serialize(example) << ": " << error.to_string();
    }
  }
}

TEST(EmbeddedSchemas, LoadingAnUnknownNameOrANonSchemaFails) {
  const auto absent = load_schema("profiles/absent.schema.json");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, Errc::not_found);
  const auto sql = load_schema("sql/ledger.sql");
  ASSERT_FALSE(sql);
  EXPECT_EQ(sql.error().code, Errc::malformed);
  EXPECT_THAT(sql.error().message, HasSubstr("sql/ledger.sql: not JSON"));
}

TEST(EmbeddedSchemasDeathTest, ValidatingAgainstAnUnknownSchemaIsAProgrammerError) {
  EXPECT_DEATH(validate(boost::json::value(), "absent.schema.json"), "no embedded schema");
}

const char* const kNodeSchema = R"({
  "type": "object", "additionalProperties": false, "required": ["p2p"],
  "properties": {
    "p2p": {"type": "object", "additionalProperties": false, "required": ["port"],
            "properties": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}}},
    "peers": {"type": "array", "items": {"type": "string", "minLength": 1}}}})";

TEST(ParseValidated, ReturnsTheValueOfAValidFile) {
  const JsonSchema schema = test::compile_text(kNodeSchema);
  const auto value =
      parse_validated(R"({"p2p": {"port": 30303}, "peers": ["a:1"]})", "node.json", schema);
  ASSERT_TRUE(value) << value.error();
  EXPECT_EQ(value->at("p2p").at("port").as_int64(), 30303);
}

TEST(ParseValidated, ListsEverySchemaErrorWithFileAndPath) {
  const JsonSchema schema = test::compile_text(kNodeSchema);
  const auto value =
      parse_validated(R"({"p2p": {"port": 70000}, "peers": [""], "log": 1})", "node.json", schema);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, Errc::invalid_argument);
  EXPECT_EQ(value.error().message,
            "node.json: /p2p/port: must be <= 65535\n"
            "node.json: /peers/0: must be at least 1 characters long\n"
            "node.json: unknown property \"log\"");
}

TEST(ParseValidated, SaysWhenItStoppedCounting) {
  const JsonSchema schema = test::compile_text(R"({"items": {"type": "null"}})");
  std::string many = "[0";
  for (int i = 1; i < 150; ++i)
    many += ",0";
  const auto value = parse_validated(many + "]", "rules.json", schema);
  ASSERT_FALSE(value);
  EXPECT_EQ(std::ranges::count(value.error().message, '\n'), 100);
  EXPECT_THAT(value.error().message, testing::EndsWith("\nrules.json: stopped after 100 errors"));
}

TEST(ParseValidated, LocatesSyntaxErrorsByLineAndColumn) {
  const JsonSchema schema = test::compile_text("true");
  const auto value = parse_validated("{\n  \"a\": 1,\n  \"b\": ]\n}", "genesis.json", schema);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, Errc::malformed);
  EXPECT_EQ(value.error().message, "genesis.json: line 3, column 8: syntax error");
  const auto trailing = parse_validated("{}\n x", "genesis.json", schema);
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error().message, "genesis.json: line 2, column 2: extra data");
  EXPECT_THAT(parse_validated("", "genesis.json", schema).error().message,
              HasSubstr("line 1, column 1"));
}

TEST(ParseValidated, RefusesNumbersBeyondADouble) {
  const JsonSchema schema = test::compile_text("true");
  const auto value = parse_validated(R"({"a": [0, -1e400]})", "x.json", schema);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, Errc::malformed);
  EXPECT_EQ(value.error().message, "x.json: /a/1: number out of range");
}

TEST(ParseValidated, BoundsNestingDepth) {
  const JsonSchema schema = test::compile_text("true");
  const auto nested = [](std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  EXPECT_TRUE(parse_validated(nested(kMaxConfigDepth), "x.json", schema));
  const auto deeper = parse_validated(nested(kMaxConfigDepth + 1), "x.json", schema);
  ASSERT_FALSE(deeper);
  EXPECT_EQ(deeper.error().code, Errc::malformed);
  EXPECT_THAT(deeper.error().message, HasSubstr("too deep"));
}

TEST(ParseValidated, BoundsTheTextSize) {
  const JsonSchema schema = test::compile_text("true");
  std::string text(kMaxConfigBytes, ' ');
  text[0] = '0';
  EXPECT_TRUE(parse_validated(text, "x.json", schema));
  text.push_back(' ');
  const auto value = parse_validated(text, "x.json", schema);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, Errc::limit_exceeded);
}

TEST(JsonSchemaThreads, OneCompiledSchemaValidatesFromSeveralThreads) {
  const JsonSchema schema = test::compile_text(kNodeSchema);
  const auto instance = boost::json::parse(R"({"p2p": {"port": 0}, "peers": [1]})");
  const auto expected = schema.validate(instance);
  ASSERT_EQ(expected.size(), 2U);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        mismatches[t] += schema.validate(instance) == expected ? 0 : 1;
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_THAT(mismatches, testing::Each(0));
}

}  // namespace
}  // namespace tally::schemas
