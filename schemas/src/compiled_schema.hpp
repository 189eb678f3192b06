#pragma once
// The compiled form of a JSON Schema: one Node per (sub)schema in a flat table, children named by
// index, so a $ref is just an index and recursive schemas need no pointers. Built by
// schema_compiler.cpp, walked by json_schema.cpp.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include <tally/schemas/json_schema.hpp>

namespace tally::schemas {

using NodeId = std::uint32_t;

// Bits of Node::types, one per JSON Schema type name.
enum TypeBit : std::uint8_t {
  kNull = 1,
  kBoolean = 2,
  kObject = 4,
  kArray = 8,
  kNumber = 16,
  kString = 32,
  kInteger = 64,
};

struct Pattern {
  std::string source;  // as written, for messages
  std::regex regex;
};

struct Node {
  bool reject_all = false;  // the schema `false`
  std::uint8_t types = 0;   // 0 = any type
  // enum and const: the values for messages, their canonical_json texts for comparing
  std::optional<std::vector<boost::json::value>> enum_values;
  std::vector<std::string> enum_texts;
  std::optional<boost::json::value> const_value;
  std::string const_text;
  std::optional<NodeId> ref;

  // objects
  std::map<std::string, NodeId, std::less<>> properties;
  std::vector<std::string> required;
  std::vector<std::pair<Pattern, NodeId>> pattern_properties;
  std::optional<NodeId> additional_properties;
  bool forbid_additional = false;  // additionalProperties: false, for a message naming the key

  // arrays
  std::vector<NodeId> prefix_items;
  std::optional<NodeId> items;
  std::optional<std::uint64_t> min_items, max_items;
  bool unique_items = false;

  // strings
  std::optional<std::uint64_t> min_length, max_length;
  std::optional<Pattern> pattern;
  bool format_date = false;

  // numbers: bounds keep the schema's own value, so comparisons stay exact
  std::optional<boost::json::value> minimum, maximum, exclusive_minimum, exclusive_maximum;
  std::optional<std::uint64_t> multiple_of;

  // combinations, all applied to the same instance
  std::vector<NodeId> all_of, any_of, one_of;
  std::optional<NodeId> not_schema, if_schema, then_schema, else_schema;
};

struct JsonSchema::Compiled {
  std::vector<Node> nodes;  // nodes[0] is the root
};

// Compiles `schema`, or Errc::malformed naming the schema path of the first problem.
Result<std::shared_ptr<const JsonSchema::Compiled>> compile_schema(
    const boost::json::value& schema);

}  // namespace tally::schemas
