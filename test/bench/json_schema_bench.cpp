// JSON Schema validation of a configuration file shaped like a file profile: 200 fields, each one
// of two shapes (oneOf) behind a $ref, with patterns, enums and a date. Bytes/s of the file text.
#include <string>

#include <benchmark/benchmark.h>
#include <boost/json/parse.hpp>

#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/schemas/json_schema.hpp>

namespace {

using tally::schemas::JsonSchema;

constexpr int kFields = 200;

constexpr const char* kSchema = R"({
  "type": "object", "additionalProperties": false, "required": ["name", "since", "fields"],
  "properties": {
    "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$"},
    "since": {"type": "string", "format": "date"},
    "currency": {"enum": ["EUR", "USD", "CNY", "GBP", "JPY"]},
    "fields": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/$defs/field"}}
  },
  "$defs": {
    "field": {"oneOf": [
      {"type": "object", "additionalProperties": false, "required": ["name", "offset", "width"],
       "properties": {"name": {"type": "string", "pattern": "^[a-z_]+$"},
                      "offset": {"type": "integer", "minimum": 0},
                      "width": {"type": "integer", "minimum": 1, "maximum": 4096}}},
      {"type": "object", "additionalProperties": false, "required": ["name", "column"],
       "properties": {"name": {"type": "string", "pattern": "^[a-z_]+$"},
                      "column": {"type": "integer", "minimum": 0},
                      "kind": {"enum": ["amount", "date", "text", "reference"]}}}
    ]}
  }
})";

std::string profile() {
  std::string out = R"({"name": "bank_a_statement", "since": "2024-02-29", "currency": "EUR",
                        "fields": [)";
  for (int i = 0; i < kFields; ++i) {
    out += i == 0 ? "" : ",";
    out += i % 2 == 0
               ? tally::str_cat(R"({"name": "field_a", "offset": )", i * 8, R"(, "width": 8})")
               : tally::str_cat(R"({"name": "field_b", "column": )", i, R"(, "kind": "text"})");
  }
  return out + "]}";
}

void BM_JsonSchemaValidate(benchmark::State& state) {
  const JsonSchema schema = JsonSchema::compile(boost::json::parse(kSchema)).value();
  const std::string text = profile();
  const boost::json::value instance = boost::json::parse(text);
  TALLY_ASSERT(schema.validate(instance).empty());
  for (auto _ : state)
    benchmark::DoNotOptimize(schema.validate(instance));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_JsonSchemaValidate);

void BM_JsonSchemaParseValidated(benchmark::State& state) {
  const JsonSchema schema = JsonSchema::compile(boost::json::parse(kSchema)).value();
  const std::string text = profile();
  for (auto _ : state)
    benchmark::DoNotOptimize(tally::schemas::parse_validated(text, "profile.json", schema));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_JsonSchemaParseValidated);

void BM_JsonSchemaCompile(benchmark::State& state) {
  const boost::json::value document = boost::json::parse(kSchema);
  for (auto _ : state)
    benchmark::DoNotOptimize(JsonSchema::compile(document));
}
BENCHMARK(BM_JsonSchemaCompile);

}  // namespace
