// parse_validated on any bytes, against a schema that uses most keywords: it must never crash or
// hang, a refusal must carry one of the documented codes and at most kMaxSchemaErrors lines, and
// what it accepts must validate cleanly again.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/json/parse.hpp>

#include <tally/core/assert.hpp>
#include <tally/schemas/json_schema.hpp>

namespace {

constexpr std::string_view kSchema = R"({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["name", "format"],
  "additionalProperties": false,
  "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[a-z][a-z0-9_]*$"},
    "format": {"enum": ["csv", "fixed"]},
    "since": {"type": "string", "format": "date"},
    "limit": {"type": "integer", "minimum": -9223372036854775808, "maximum": 18446744073709551615,
              "multipleOf": 7},
    "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 8, "uniqueItems": true},
    "pair": {"prefixItems": [{"type": "integer"}, {"type": ["string", "null"]}]},
    "fields": {"type": "array", "items": {"$ref": "#/$defs/field"}},
    "extra": {"patternProperties": {"^x-": true}, "additionalProperties": {"const": 0}},
    "tree": {"$ref": "#/$defs/tree"}
  },
  "if": {"properties": {"format": {"const": "fixed"}}},
  "then": {"required": ["fields"]},
  "else": {"not": {"required": ["fields"]}},
  "$defs": {
    "field": {"oneOf": [
      {"type": "object", "required": ["offset"], "properties": {"offset": {"minimum": 0}}},
      {"type": "object", "required": ["column"], "properties": {"column": {"type": "string"}}}
    ]},
    "tree": {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"$ref": "#/$defs/tree"}}],
             "allOf": [{"not": {"type": "string"}}]}
  }
})";

const tally::schemas::JsonSchema& schema() {
  static const tally::schemas::JsonSchema compiled =
      tally::schemas::JsonSchema::compile(boost::json::parse(kSchema)).value();
  return compiled;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto value = tally::schemas::parse_validated(text, "fuzz.json", schema());
  if (value) {
    TALLY_ASSERT(schema().validate(*value).empty());
    return 0;
  }
  const tally::Errc code = value.error().code;
  TALLY_ASSERT(code == tally::Errc::malformed || code == tally::Errc::invalid_argument);
  const auto lines = std::ranges::count(value.error().message, '\n') + 1;
  TALLY_ASSERT(lines <= static_cast<std::ptrdiff_t>(tally::schemas::kMaxSchemaErrors) + 1);
  return 0;
}
