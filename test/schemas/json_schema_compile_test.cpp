// What JsonSchema::compile refuses: anything outside the supported subset, named by schema path.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "schemas/schema_test_support.hpp"

namespace tally::schemas {
namespace {

using ::testing::HasSubstr;

// The compile error of `schema_text`, which must be refused as malformed.
std::string refusal(std::string_view schema_text) {
  const auto schema = JsonSchema::compile(boost::json::parse(schema_text));
  if (schema) {
    ADD_FAILURE() << "compiled: " << schema_text;
    return "";
  }
  EXPECT_EQ(schema.error().code, Errc::malformed);
  return schema.error().message;
}

TEST(JsonSchemaCompile, RefusesUnknownKeywordsNamingTheirPlace) {
  EXPECT_EQ(refusal(R"({"properties": {"a": {"tpye": "string"}}})"),
            R"(schema /properties/a: unknown keyword "tpye")");
  EXPECT_EQ(refusal(R"({"additionalItems": false})"),
            R"(schema root: unknown keyword "additionalItems")");
  EXPECT_EQ(refusal(R"({"items": {"minimum": 0, "maximun": 9}})"),
            R"(schema /items: unknown keyword "maximun")");
}

TEST(JsonSchemaCompile, IgnoresAnnotations) {
  test::compile_text(R"({
    "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://tally/x",
    "$comment": "c", "title": "t", "description": "d", "default": 1, "examples": [1],
    "deprecated": false, "readOnly": false, "writeOnly": false,
    "properties": {"a": {"title": "a", "description": "the a", "default": "x"}}})");
}

TEST(JsonSchemaCompile, RefusesOtherDrafts) {
  EXPECT_THAT(refusal(R"({"$schema": "http://json-schema.org/draft-07/schema#"})"),
              HasSubstr("schema /$schema: only https://json-schema.org/draft/2020-12/schema"));
}

TEST(JsonSchemaCompile, RefusesRemoteAndDanglingRefs) {
  EXPECT_THAT(refusal(R"({"$ref": "https://example.com/other.json"})"),
              HasSubstr("schema /$ref: only local references"));
  EXPECT_THAT(refusal(R"({"$ref": "other.json#/$defs/a"})"), HasSubstr("only local references"));
  EXPECT_THAT(refusal(R"({"properties": {"a": {}}, "items": {"$ref": "#/properties/a"}})"),
              HasSubstr("schema /items/$ref: only local references"));
  EXPECT_EQ(refusal(R"({"$defs": {"a": {}}, "$ref": "#/$defs/b"})"),
            "schema /$ref: no definition #/$defs/b");
  EXPECT_THAT(refusal(R"({"$ref": 1})"), HasSubstr("must be a string"));
}

TEST(JsonSchemaCompile, RefusesDefsBelowTheRoot) {
  EXPECT_EQ(refusal(R"({"items": {"$defs": {"a": {}}}})"),
            "schema /items/$defs: $defs is supported at the root only");
  EXPECT_THAT(refusal(R"({"$defs": []})"), HasSubstr("schema /$defs: must be an object"));
}

TEST(JsonSchemaCompile, RefusesRefCyclesThatNeverDescend) {
  EXPECT_THAT(refusal(R"({"$ref": "#"})"), HasSubstr("never descends into the instance"));
  EXPECT_THAT(refusal(R"({"$defs": {"a": {"$ref": "#/$defs/b"},
                                    "b": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/a"}]}},
                          "$ref": "#/$defs/a"})"),
              HasSubstr("never descends into the instance"));
  EXPECT_THAT(refusal(R"({"$defs": {"a": {"not": {"$ref": "#/$defs/a"}}}})"),
              HasSubstr("schema /$defs/a: a $ref cycle"));
  // Through properties or items the instance gets smaller on each turn: allowed.
  test::compile_text(R"({"properties": {"next": {"$ref": "#"}}})");
}

TEST(JsonSchemaCompile, RefusesKeywordsOfTheWrongShape) {
  struct Case {
    const char* schema;
    const char* reason;
  };
  for (const Case& c : {
           Case{R"({"type": "int"})", "schema /type: must be a type name"},
           Case{R"({"type": ["string", "string"]})", "schema /type: must be a type name"},
           Case{R"({"type": []})", "schema /type: must name at least one type"},
           Case{R"({"enum": []})", "schema /enum: must be a non-empty array"},
           Case{R"({"required": ["a", "a"]})", "schema /required: must be an array of distinct"},
           Case{R"({"required": "a"})", "schema /required: must be an array of distinct"},
           Case{R"({"properties": []})", "schema /properties: must be an object of schemas"},
           Case{R"({"properties": {"a": 1}})", "schema /properties/a: a schema must be"},
           Case{R"({"additionalProperties": "no"})", "schema /additionalProperties: a schema"},
           Case{R"({"patternProperties": {"(": {}}})", "schema /patternProperties/(: not an ECMA"},
           Case{R"({"pattern": "[a-"})", "schema /pattern: not an ECMAScript regular expression"},
           Case{R"({"pattern": 1})", "schema /pattern: must be a string"},
           Case{R"({"items": [{}]})", "schema /items: must be a schema (an array of schemas is"},
           Case{R"({"prefixItems": []})", "schema /prefixItems: must be a non-empty array"},
           Case{R"({"minItems": -1})", "schema /minItems: must be an integer >= 0"},
           Case{R"({"maxLength": 1.5})", "schema /maxLength: must be an integer >= 0"},
           Case{R"({"minLength": "3"})", "schema /minLength: must be an integer >= 0"},
           Case{R"({"uniqueItems": 1})", "schema /uniqueItems: must be a boolean"},
           Case{R"({"format": 1})", "schema /format: must be a string"},
           Case{R"({"minimum": "0"})", "schema /minimum: must be a number"},
           Case{R"({"exclusiveMaximum": null})", "schema /exclusiveMaximum: must be a number"},
           Case{R"({"multipleOf": 0})", "schema /multipleOf: must be an integer from 1 to 2^53"},
           Case{R"({"multipleOf": 0.5})", "schema /multipleOf: must be an integer >= 0"},
           Case{R"({"multipleOf": 9007199254740993})",
                "schema /multipleOf: must be an integer from"},
           Case{R"({"allOf": []})", "schema /allOf: must be a non-empty array of schemas"},
           Case{R"({"oneOf": {}})", "schema /oneOf: must be a non-empty array of schemas"},
           Case{R"({"anyOf": [{}, 3]})", "schema /anyOf/1: a schema must be"},
           Case{R"({"not": []})", "schema /not: a schema must be"},
           Case{R"({"if": {}, "then": {"x": 1}})", R"(schema /then: unknown keyword "x")"},
           Case{"3", "schema root: a schema must be an object or a boolean"},
       })
    EXPECT_THAT(refusal(c.schema), HasSubstr(c.reason)) << c.schema;
}

TEST(JsonSchemaCompile, EscapesSchemaPaths) {
  EXPECT_EQ(refusal(R"({"properties": {"a/b~": {"x": 1}}})"),
            R"(schema /properties/a~1b~0: unknown keyword "x")");
}

}  // namespace
}  // namespace tally::schemas
