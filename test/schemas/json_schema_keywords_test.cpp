// Each supported keyword, accepting and refusing, with the exact error it reports.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "schemas/schema_test_support.hpp"

namespace tally::schemas {
namespace {

using test::errors_of;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(JsonSchemaType, OneNameOrAList) {
  EXPECT_THAT(errors_of(R"({"type": "string"})", R"("x")"), IsEmpty());
  EXPECT_THAT(errors_of(R"({"type": "string"})", "1"), ElementsAre("must be a string"));
  EXPECT_THAT(errors_of(R"({"type": ["string", "null"]})", "null"), IsEmpty());
  EXPECT_THAT(errors_of(R"({"type": ["string", "null"]})", "true"),
              ElementsAre("must be null or a string"));
  EXPECT_THAT(errors_of(R"({"type": "object"})", "[]"), ElementsAre("must be an object"));
  EXPECT_THAT(errors_of(R"({"type": "array"})", "{}"), ElementsAre("must be an array"));
  EXPECT_THAT(errors_of(R"({"type": "boolean"})", "0"), ElementsAre("must be a boolean"));
  EXPECT_THAT(errors_of(R"({"type": "null"})", "false"), ElementsAre("must be null"));
}

TEST(JsonSchemaType, IntegerIsAnyNumberWithoutAFraction) {
  for (const char* integer :
       {"0", "-5", "1.0", "1e3", "18446744073709551615", "-9223372036854775808"})
    EXPECT_THAT(errors_of(R"({"type": "integer"})", integer), IsEmpty()) << integer;
  for (const char* other : {"1.5", "-0.25", "\"1\"", "null"})
    EXPECT_THAT(errors_of(R"({"type": "integer"})", other), ElementsAre("must be an integer"))
        << other;
  EXPECT_THAT(errors_of(R"({"type": "number"})", "1.5"), IsEmpty());
  EXPECT_THAT(errors_of(R"({"type": "number"})", "7"), IsEmpty());
}

TEST(JsonSchemaType, AWrongTypeIsTheOnlyErrorReported) {
  EXPECT_THAT(errors_of(R"({"type": "string", "minLength": 3, "enum": ["abc"]})", "5"),
              ElementsAre("must be a string"));
}

TEST(JsonSchemaEnum, ComparesAsJsonValues) {
  const char* schema = R"({"enum": ["csv", 1, {"a": 1, "b": [true]}]})";
  EXPECT_THAT(errors_of(schema, R"("csv")"), IsEmpty());
  EXPECT_THAT(errors_of(schema, "1.0"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"({"b": [true], "a": 1})"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"("CSV")"),
              ElementsAre(R"(must be one of "csv", 1, {"a":1,"b":[true]})"));
  EXPECT_THAT(errors_of(schema, R"({"a": 1})"), testing::SizeIs(1));
}

TEST(JsonSchemaConst, OnlyThatValue) {
  EXPECT_THAT(errors_of(R"({"const": "fixed"})", R"("fixed")"), IsEmpty());
  EXPECT_THAT(errors_of(R"({"const": "fixed"})", R"("csv")"), ElementsAre(R"(must be "fixed")"));
  EXPECT_THAT(errors_of(R"({"const": null})", "0"), ElementsAre("must be null"));
}

TEST(JsonSchemaObject, RequiredAndUnknownPropertiesAreReportedOnTheObject) {
  const char* schema = R"({
    "type": "object",
    "properties": {"format": {"type": "string"}, "offset": {"type": "integer", "minimum": 0}},
    "required": ["format", "offset"],
    "additionalProperties": false
  })";
  EXPECT_THAT(errors_of(schema, R"({"format": "csv", "offset": 0})"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"({"fomat": "csv", "offset": -1})"),
              ElementsAre(R"(missing required property "format")", R"(unknown property "fomat")",
                          "/offset: must be >= 0"));
}

TEST(JsonSchemaObject, AdditionalPropertiesAsASchema) {
  const char* schema = R"({"properties": {"name": {"type": "string"}},
                           "additionalProperties": {"type": "integer"}})";
  EXPECT_THAT(errors_of(schema, R"({"name": "x", "a": 1, "b": 2})"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"({"name": 3, "a": "1"})"),
              ElementsAre("/name: must be a string", "/a: must be an integer"));
  EXPECT_THAT(errors_of(R"({"additionalProperties": true})", R"({"a": 1})"), IsEmpty());
}

TEST(JsonSchemaObject, PatternPropertiesMatchNamesAndExemptThemFromAdditional) {
  const char* schema =
      R"({"patternProperties": {"^x-": {"type": "string"}, "id$": {"maxLength": 2}},
                           "additionalProperties": false})";
  EXPECT_THAT(errors_of(schema, R"({"x-note": "hi", "user_id": "ab"})"), IsEmpty());
  // A name that matches two patterns is checked against both.
  EXPECT_THAT(errors_of(schema, R"({"x-id": "abc", "x-n": 1, "other": 1})"),
              ElementsAre("/x-id: must be at most 2 characters long", "/x-n: must be a string",
                          R"(unknown property "other")"));
}

TEST(JsonSchemaObject, ErrorPathsEscapeTildeAndSlash) {
  const char* schema = R"({"properties": {"a/b": {"properties": {"c~d": {"type": "string"}}}}})";
  EXPECT_THAT(errors_of(schema, R"({"a/b": {"c~d": 1}})"),
              ElementsAre("/a~1b/c~0d: must be a string"));
  EXPECT_EQ(json_pointer_token("~/x~1"), "~0~1x~01");
  EXPECT_EQ(json_pointer_token(""), "");
}

TEST(JsonSchemaArray, ItemsAndPrefixItems) {
  const char* schema = R"({"prefixItems": [{"type": "string"}, {"type": "integer"}],
                           "items": {"type": "boolean"}})";
  EXPECT_THAT(errors_of(schema, R"(["a", 1, true, false])"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"(["a"])"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"(["a", "b", 1])"),
              ElementsAre("/1: must be an integer", "/2: must be a boolean"));
  EXPECT_THAT(errors_of(R"({"items": false})", "[]"), IsEmpty());
  EXPECT_THAT(errors_of(R"({"items": false})", "[0]"), ElementsAre("/0: no value is allowed here"));
}

TEST(JsonSchemaArray, MinAndMaxItems) {
  const char* schema = R"({"minItems": 1, "maxItems": 2})";
  EXPECT_THAT(errors_of(schema, "[1]"), IsEmpty());
  EXPECT_THAT(errors_of(schema, "[1, 2]"), IsEmpty());
  EXPECT_THAT(errors_of(schema, "[]"), ElementsAre("must have at least 1 items"));
  EXPECT_THAT(errors_of(schema, "[1, 2, 3]"), ElementsAre("must have at most 2 items"));
}

TEST(JsonSchemaArray, UniqueItemsComparesAsJsonValues) {
  const char* schema = R"({"uniqueItems": true})";
  EXPECT_THAT(errors_of(schema, R"([1, "1", [1], {"a": 1}, [1, 1]])"), IsEmpty());
  EXPECT_THAT(errors_of(schema, "[1, 2, 1.0]"), ElementsAre("items 0 and 2 must not be equal"));
  EXPECT_THAT(errors_of(schema, R"([{"a": 1, "b": 2}, {"b": 2, "a": 1}])"),
              ElementsAre("items 0 and 1 must not be equal"));
  EXPECT_THAT(errors_of(R"({"uniqueItems": false})", "[1, 1]"), IsEmpty());
}

TEST(JsonSchemaString, LengthsCountCodePoints) {
  const char* schema = R"({"minLength": 3, "maxLength": 5})";
  EXPECT_THAT(errors_of(schema, R"("héllo")"), IsEmpty());  // 6 bytes, 5 code points
  EXPECT_THAT(errors_of(schema, R"("€€€")"), IsEmpty());    // 9 bytes, 3 code points
  EXPECT_THAT(errors_of(schema, R"("€€")"), ElementsAre("must be at least 3 characters long"));
  EXPECT_THAT(errors_of(schema, R"("héllo!")"), ElementsAre("must be at most 5 characters long"));
}

TEST(JsonSchemaString, PatternIsSearchedNotAnchored) {
  EXPECT_THAT(errors_of(R"({"pattern": "[0-9]"})", R"("ab3")"), IsEmpty());
  EXPECT_THAT(errors_of(R"({"pattern": "^[A-Z]{3}$"})", R"("EUR")"), IsEmpty());
  EXPECT_THAT(errors_of(R"({"pattern": "^[A-Z]{3}$"})", R"("EURO")"),
              ElementsAre("must match the pattern ^[A-Z]{3}$"));
  EXPECT_THAT(errors_of(R"({"pattern": "^[A-Z]{3}$"})", "3"), IsEmpty());  // not a string
}

TEST(JsonSchemaString, PatternRefusesSubjectsBeyondTheBound) {
  const std::string at_bound = '"' + std::string(kMaxPatternSubjectBytes, 'a') + '"';
  const std::string beyond = '"' + std::string(kMaxPatternSubjectBytes + 1, 'a') + '"';
  EXPECT_THAT(errors_of(R"({"pattern": "^a*$"})", at_bound), IsEmpty());
  EXPECT_THAT(errors_of(R"({"pattern": "^a*$"})", beyond),
              ElementsAre("longer than 1024 bytes, too long to match ^a*$"));
}

TEST(JsonSchemaString, FormatDateIsARealCalendarDay) {
  const char* schema = R"({"format": "date"})";
  for (const char* date : {R"("2024-02-29")", R"("1999-12-31")", R"("2000-01-01")"})
    EXPECT_THAT(errors_of(schema, date), IsEmpty()) << date;
  for (const char* date :
       {R"("2023-02-29")", R"("2024-13-01")", R"("2024-04-31")", R"("2024-2-01")",
        R"("2024-02-01T00:00")", R"("20240201")", R"("2024-00-10")", R"("２024-01-01")", R"("")"})
    EXPECT_THAT(errors_of(schema, date), ElementsAre("must be a date, YYYY-MM-DD")) << date;
  EXPECT_THAT(errors_of(schema, "20240201"), IsEmpty());  // formats apply to strings only
  EXPECT_THAT(errors_of(R"({"format": "email"})", R"("not an email")"), IsEmpty());
}

TEST(JsonSchemaNumber, InclusiveAndExclusiveBounds) {
  const char* schema = R"({"minimum": 1, "maximum": 10, "exclusiveMinimum": 0.5,
                           "exclusiveMaximum": 10.5})";
  for (const char* ok : {"1", "10", "1.0", "9.75"})
    EXPECT_THAT(errors_of(schema, ok), IsEmpty()) << ok;
  EXPECT_THAT(errors_of(schema, "0.5"), ElementsAre("must be >= 1", "must be > 0.5"));
  EXPECT_THAT(errors_of(schema, "10.5"), ElementsAre("must be <= 10", "must be < 10.5"));
  EXPECT_THAT(errors_of(R"({"exclusiveMaximum": 10})", "10.0"), ElementsAre("must be < 10"));
  EXPECT_THAT(errors_of(R"({"exclusiveMinimum": -1})", "-1"), ElementsAre("must be > -1"));
}

TEST(JsonSchemaNumber, ComparesInt64AndUint64Exactly) {
  // 2^53 + 1 is not a double: a comparison through double would call it equal to 2^53.
  EXPECT_THAT(errors_of(R"({"maximum": 9007199254740992})", "9007199254740993"),
              ElementsAre("must be <= 9007199254740992"));
  EXPECT_THAT(errors_of(R"({"minimum": 9007199254740993})", "9007199254740992"),
              ElementsAre("must be >= 9007199254740993"));
  EXPECT_THAT(errors_of(R"({"maximum": 9223372036854775807})", "9223372036854775808"),
              ElementsAre("must be <= 9223372036854775807"));
  EXPECT_THAT(errors_of(R"({"minimum": -1})", "18446744073709551615"), IsEmpty());
  EXPECT_THAT(errors_of(R"({"maximum": -1})", "18446744073709551615"), testing::SizeIs(1));
  EXPECT_THAT(errors_of(R"({"minimum": 0})", "-9223372036854775808"), testing::SizeIs(1));
  // 2^63 as a double against INT64_MAX, and a fraction just above an integer.
  EXPECT_THAT(errors_of(R"({"maximum": 9223372036854775807})", "9.223372036854775808e18"),
              testing::SizeIs(1));
  EXPECT_THAT(errors_of(R"({"maximum": 3})", "3.0000000000000004"), testing::SizeIs(1));
  EXPECT_THAT(errors_of(R"({"minimum": -3})", "-3.0000000000000004"), testing::SizeIs(1));
  EXPECT_THAT(errors_of(R"({"maximum": 18446744073709551615})", "1e20"), testing::SizeIs(1));
  EXPECT_THAT(errors_of(R"({"minimum": -9223372036854775808})", "-1e19"), testing::SizeIs(1));
}

TEST(JsonSchemaNumber, MultipleOfIntegers) {
  const char* schema = R"({"multipleOf": 5})";
  for (const char* ok : {"0", "15", "-15", "10.0", "18446744073709551615", "1e20"})
    EXPECT_THAT(errors_of(schema, ok), IsEmpty()) << ok;
  for (const char* bad : {"16", "-1", "10.5", "18446744073709551614", "-9223372036854775808"})
    EXPECT_THAT(errors_of(schema, bad), ElementsAre("must be a multiple of 5")) << bad;
}

TEST(JsonSchemaCombination, AllOfReportsEveryFailure) {
  const char* schema = R"({"allOf": [{"minimum": 2}, {"multipleOf": 2}]})";
  EXPECT_THAT(errors_of(schema, "4"), IsEmpty());
  EXPECT_THAT(errors_of(schema, "1"), ElementsAre("must be >= 2", "must be a multiple of 2"));
}

TEST(JsonSchemaCombination, AnyOfNeedsOneAndShowsTheClosestAlternative) {
  const char* schema = R"({"anyOf": [
    {"type": "string"},
    {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}]})";
  EXPECT_THAT(errors_of(schema, R"("x")"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"({"a": 1})"), IsEmpty());
  EXPECT_THAT(
      errors_of(schema, R"({"a": 1, "b": "2"})"),
      ElementsAre("must match at least one of the 2 schemas of anyOf", "/b: must be an integer"));
}

TEST(JsonSchemaCombination, OneOfNeedsExactlyOne) {
  const char* schema = R"({"oneOf": [{"multipleOf": 3}, {"multipleOf": 5}, {"minimum": 100}]})";
  EXPECT_THAT(errors_of(schema, "9"), IsEmpty());
  EXPECT_THAT(errors_of(schema, "10"), IsEmpty());
  EXPECT_THAT(errors_of(schema, "101"), IsEmpty());
  EXPECT_THAT(errors_of(schema, "15"),
              ElementsAre("must match exactly one schema of oneOf, but matches 2 (0 and 1)"));
  EXPECT_THAT(errors_of(schema, "150"),
              ElementsAre("must match exactly one schema of oneOf, but matches 3 (0 and 1)"));
  EXPECT_THAT(
      errors_of(schema, "7"),
      ElementsAre("must match exactly one of the 3 schemas of oneOf", "must be a multiple of 3"));
}

TEST(JsonSchemaCombination, NotInvertsASchema) {
  EXPECT_THAT(errors_of(R"({"not": {"type": "null"}})", "0"), IsEmpty());
  EXPECT_THAT(errors_of(R"({"not": {"type": "null"}})", "null"),
              ElementsAre(R"(must not match the schema of "not")"));
}

TEST(JsonSchemaCombination, IfThenElse) {
  const char* schema = R"({
    "if": {"properties": {"format": {"const": "fixed"}}},
    "then": {"required": ["width"]},
    "else": {"required": ["delimiter"]}})";
  EXPECT_THAT(errors_of(schema, R"({"format": "fixed", "width": 3})"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"({"format": "csv", "delimiter": ";"})"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"({"format": "fixed"})"),
              ElementsAre(R"(missing required property "width")"));
  EXPECT_THAT(errors_of(schema, R"({"format": "csv"})"),
              ElementsAre(R"(missing required property "delimiter")"));
  EXPECT_THAT(errors_of(R"({"if": {"type": "string"}, "then": {"minLength": 2}})", "1"), IsEmpty());
}

TEST(JsonSchemaBoolean, TrueAcceptsAnythingAndFalseNothing) {
  EXPECT_THAT(errors_of("true", R"({"a": [1]})"), IsEmpty());
  EXPECT_THAT(errors_of("{}", "null"), IsEmpty());
  EXPECT_THAT(errors_of("false", "null"), ElementsAre("no value is allowed here"));
  EXPECT_THAT(errors_of(R"({"properties": {"legacy": false}})", R"({"legacy": 1})"),
              ElementsAre("/legacy: no value is allowed here"));
}

TEST(JsonSchemaRef, RecursiveDefinitionsReportDeepPaths) {
  const char* schema = R"({
    "$defs": {"node": {"type": "object", "additionalProperties": false,
                       "properties": {"name": {"type": "string"},
                                      "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
    "$ref": "#/$defs/node"})";
  EXPECT_THAT(
      errors_of(schema, R"({"name": "a", "children": [{"children": [{}, {"name": "b"}]}]})"),
      IsEmpty());
  EXPECT_THAT(errors_of(schema, R"({"children": [{"children": [{}, {"name": 2, "x": 0}]}]})"),
              ElementsAre("/children/0/children/1/name: must be a string",
                          R"(/children/0/children/1: unknown property "x")"));
}

TEST(JsonSchemaRef, HashRefersToTheRoot) {
  const char* schema = R"({"type": ["integer", "array"], "items": {"$ref": "#"}})";
  EXPECT_THAT(errors_of(schema, "[1, [2, [3, []]]]"), IsEmpty());
  EXPECT_THAT(errors_of(schema, R"([1, [2, ["3"]]])"),
              ElementsAre("/1/1/0: must be an array or an integer"));
}

TEST(JsonSchemaRef, DefinitionNamesAreJsonPointerTokens) {
  const char* schema = R"({"$defs": {"a/b": {"type": "string"}}, "$ref": "#/$defs/a~1b"})";
  EXPECT_THAT(errors_of(schema, "1"), ElementsAre("must be a string"));
}

TEST(JsonSchemaErrors, AreBoundedToTheMaximum) {
  std::string many = "[";
  for (int i = 0; i < 500; ++i)
    many += i == 0 ? "0" : ",0";
  many += "]";
  const auto errors = errors_of(R"({"items": {"type": "string"}})", many);
  ASSERT_EQ(errors.size(), kMaxSchemaErrors);
  EXPECT_EQ(errors.front(), "/0: must be a string");
  EXPECT_EQ(errors.back(), "/99: must be a string");
}

TEST(JsonSchemaErrors, AreBoundedInsideAlternativesToo) {
  std::string many = "[";
  for (int i = 0; i < 300; ++i)
    many += i == 0 ? "0" : ",0";
  many += "]";
  const auto errors =
      errors_of(R"({"anyOf": [{"items": {"type": "string"}}, {"type": "null"}]})", many);
  ASSERT_EQ(errors.size(), kMaxSchemaErrors);
  EXPECT_EQ(errors.front(), "must match at least one of the 2 schemas of anyOf");
  EXPECT_EQ(errors.back(), "/98: must be a string");
}

TEST(JsonSchemaErrors, ToStringPrefixesThePathUnlessRoot) {
  EXPECT_EQ((SchemaError{"/fields/3/offset", "must be >= 0"}.to_string()),
            "/fields/3/offset: must be >= 0");
  EXPECT_EQ((SchemaError{"", "must be an object"}.to_string()), "must be an object");
}

}  // namespace
}  // namespace tally::schemas
