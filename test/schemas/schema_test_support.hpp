#pragma once
// Shorthands for the JSON Schema tests: schemas and instances written inline as JSON text.

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <tally/schemas/json_schema.hpp>

namespace tally::schemas::test {

inline JsonSchema compile_text(std::string_view schema_text) {
  auto schema = JsonSchema::compile(boost::json::parse(schema_text));
  if (!schema)
    ADD_FAILURE() << "schema does not compile: " << schema.error();
  return std::move(schema).value();
}

// The errors of `instance_text` against `schema_text`, each as "path: reason".
inline std::vector<std::string> errors_of(std::string_view schema_text,
                                          std::string_view instance_text) {
  std::vector<std::string> out;
  for (const SchemaError& error :
       compile_text(schema_text).validate(boost::json::parse(instance_text)))
    out.push_back(error.to_string());
  return out;
}

}  // namespace tally::schemas::test
