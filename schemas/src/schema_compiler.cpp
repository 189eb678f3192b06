// Turns a JSON Schema document into the node table of compiled_schema.hpp, refusing anything
// outside the supported subset so a mistake in one of our schemas fails loudly at load time.
#include <array>
#include <cmath>
#include <map>
#include <set>

#include <tally/core/str_cat.hpp>

#include "compiled_schema.hpp"
#include "json_values.hpp"

namespace tally::schemas {
namespace json = boost::json;
namespace {

constexpr std::uint64_t kMaxMultipleOf = std::uint64_t{1} << 53;  // exact as a double

constexpr std::array<std::pair<std::string_view, std::uint8_t>, 7> kTypeNames = {{
    {"null", kNull},
    {"boolean", kBoolean},
    {"object", kObject},
    {"array", kArray},
    {"number", kNumber},
    {"string", kString},
    {"integer", kInteger},
}};

constexpr std::array<std::string_view, 10> kAnnotations = {
    "$schema", "$id",      "$comment",   "title",    "description",
    "default", "examples", "deprecated", "readOnly", "writeOnly"};

constexpr std::string_view kDraft = "https://json-schema.org/draft/2020-12/schema";

std::string unescape_pointer_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

std::string child(const std::string& path, std::string_view key) {
  return path + "/" + json_pointer_token(key);
}

std::string child(const std::string& path, std::size_t index) {
  return str_cat(path, "/", index);
}

class Compiler {
 public:
  Result<std::shared_ptr<const JsonSchema::Compiled>> run(const json::value& root);

 private:
  using Handler = Result<void> (Compiler::*)(Node&, const json::value&, const std::string&);
  static const std::map<std::string_view, Handler> kHandlers;

  static std::unexpected<Error> refuse(const std::string& path, std::string_view reason) {
    return fail(Errc::malformed, str_cat("schema ", path.empty() ? "root" : path, ": ", reason));
  }

  Result<NodeId> compile(const json::value& schema, const std::string& path);
  Result<Node> build(const json::value& schema, const std::string& path);
  Result<void> declare_defs(const json::value& root);
  Result<void> check_ref_cycles() const;
  bool cycles_from(NodeId id, std::vector<std::uint8_t>& state) const;

  Result<std::vector<NodeId>> schema_list(const json::value& value, const std::string& path);
  Result<std::uint64_t> count(const json::value& value, const std::string& path);
  Result<json::value> bound(const json::value& value, const std::string& path);
  Result<Pattern> pattern(std::string_view source, const std::string& path);

  Result<void> on_type(Node& node, const json::value& value, const std::string& path);
  Result<void> on_enum(Node& node, const json::value& value, const std::string& path);
  Result<void> on_const(Node& node, const json::value& value, const std::string& path);
  Result<void> on_ref(Node& node, const json::value& value, const std::string& path);
  Result<void> on_defs(Node& node, const json::value& value, const std::string& path);
  Result<void> on_properties(Node& node, const json::value& value, const std::string& path);
  Result<void> on_required(Node& node, const json::value& value, const std::string& path);
  Result<void> on_additional(Node& node, const json::value& value, const std::string& path);
  Result<void> on_pattern_properties(Node& node, const json::value& value, const std::string& path);
  Result<void> on_items(Node& node, const json::value& value, const std::string& path);
  Result<void> on_prefix_items(Node& node, const json::value& value, const std::string& path);
  Result<void> on_unique_items(Node& node, const json::value& value, const std::string& path);
  Result<void> on_pattern(Node& node, const json::value& value, const std::string& path);
  Result<void> on_format(Node& node, const json::value& value, const std::string& path);
  Result<void> on_multiple_of(Node& node, const json::value& value, const std::string& path);
  Result<void> on_not(Node& node, const json::value& value, const std::string& path);
  Result<void> on_if(Node& node, const json::value& value, const std::string& path);
  Result<void> on_then(Node& node, const json::value& value, const std::string& path);
  Result<void> on_else(Node& node, const json::value& value, const std::string& path);

  // One handler for each keyword that only stores a count, a bound or a list of schemas.
  template <std::optional<std::uint64_t> Node::*field>
  Result<void> on_count(Node& node, const json::value& value, const std::string& path) {
    TALLY_TRY(node.*field, count(value, path));
    return {};
  }
  template <std::optional<json::value> Node::*field>
  Result<void> on_bound(Node& node, const json::value& value, const std::string& path) {
    TALLY_TRY(node.*field, bound(value, path));
    return {};
  }
  template <std::vector<NodeId> Node::*field>
  Result<void> on_schemas(Node& node, const json::value& value, const std::string& path) {
    TALLY_TRY(node.*field, schema_list(value, path));
    return {};
  }

  std::vector<Node> nodes_;
  std::vector<std::string> node_paths_;  // for messages about $ref cycles
  std::map<std::string, NodeId, std::less<>> defs_;
};

const std::map<std::string_view, Compiler::Handler> Compiler::kHandlers = {
    {"type", &Compiler::on_type},
    {"enum", &Compiler::on_enum},
    {"const", &Compiler::on_const},
    {"$ref", &Compiler::on_ref},
    {"$defs", &Compiler::on_defs},
    {"properties", &Compiler::on_properties},
    {"required", &Compiler::on_required},
    {"additionalProperties", &Compiler::on_additional},
    {"patternProperties", &Compiler::on_pattern_properties},
    {"items", &Compiler::on_items},
    {"prefixItems", &Compiler::on_prefix_items},
    {"minItems", &Compiler::on_count<&Node::min_items>},
    {"maxItems", &Compiler::on_count<&Node::max_items>},
    {"uniqueItems", &Compiler::on_unique_items},
    {"minLength", &Compiler::on_count<&Node::min_length>},
    {"maxLength", &Compiler::on_count<&Node::max_length>},
    {"pattern", &Compiler::on_pattern},
    {"format", &Compiler::on_format},
    {"minimum", &Compiler::on_bound<&Node::minimum>},
    {"maximum", &Compiler::on_bound<&Node::maximum>},
    {"exclusiveMinimum", &Compiler::on_bound<&Node::exclusive_minimum>},
    {"exclusiveMaximum", &Compiler::on_bound<&Node::exclusive_maximum>},
    {"multipleOf", &Compiler::on_multiple_of},
    {"allOf", &Compiler::on_schemas<&Node::all_of>},
    {"anyOf", &Compiler::on_schemas<&Node::any_of>},
    {"oneOf", &Compiler::on_schemas<&Node::one_of>},
    {"not", &Compiler::on_not},
    {"if", &Compiler::on_if},
    {"then", &Compiler::on_then},
    {"else", &Compiler::on_else},
};

Result<std::shared_ptr<const JsonSchema::Compiled>> Compiler::run(const json::value& root) {
  nodes_.emplace_back();  // the root is node 0, so "#" is 0; it is filled in last
  node_paths_.emplace_back("");
  TALLY_TRY_VOID(declare_defs(root));
  TALLY_TRY(nodes_[0], build(root, ""));
  TALLY_TRY_VOID(check_ref_cycles());
  auto compiled = std::make_shared<JsonSchema::Compiled>();
  compiled->nodes = std::move(nodes_);
  return compiled;
}

// Gives every root $defs entry its node first, so $refs may point forwards and recursively.
Result<void> Compiler::declare_defs(const json::value& root) {
  const json::value* defs = root.is_object() ? root.get_object().if_contains("$defs") : nullptr;
  if (defs == nullptr)
    return {};
  if (!defs->is_object())
    return refuse("/$defs", "must be an object of schemas");
  for (const auto& def : defs->get_object()) {
    defs_.emplace(def.key(), static_cast<NodeId>(nodes_.size()));
    nodes_.emplace_back();
    node_paths_.push_back(child("/$defs", def.key()));
  }
  for (const auto& def : defs->get_object()) {
    const NodeId id = defs_.find(def.key())->second;
    const std::string path = node_paths_[id];  // a copy: building grows node_paths_
    TALLY_TRY(Node node, build(def.value(), path));
    nodes_[id] = std::move(node);
  }
  return {};
}

Result<NodeId> Compiler::compile(const json::value& schema, const std::string& path) {
  TALLY_TRY(Node node, build(schema, path));
  nodes_.push_back(std::move(node));
  node_paths_.push_back(path);
  return static_cast<NodeId>(nodes_.size() - 1);
}

Result<Node> Compiler::build(const json::value& schema, const std::string& path) {
  Node node;
  if (schema.is_bool()) {
    node.reject_all = !schema.get_bool();
    return node;
  }
  if (!schema.is_object())
    return refuse(path, "a schema must be an object or a boolean");
  for (const auto& [key, value] : schema.get_object()) {
    if (const auto handler = kHandlers.find(key); handler != kHandlers.end()) {
      TALLY_TRY_VOID((this->*handler->second)(node, value, child(path, key)));
    } else if (key == "$schema" && path.empty() && value != json::value(kDraft)) {
      return refuse(child(path, key), str_cat("only ", kDraft, " is supported"));
    } else if (std::ranges::find(kAnnotations, std::string_view(key)) == kAnnotations.end()) {
      return refuse(path, str_cat("unknown keyword \"", std::string_view(key), "\""));
    }
  }
  return node;
}

Result<void> Compiler::check_ref_cycles() const {
  std::vector<std::uint8_t> state(nodes_.size(), 0);  // 0 unseen, 1 on the stack, 2 done
  for (NodeId id = 0; id < nodes_.size(); ++id) {
    if (cycles_from(id, state))
      return refuse(node_paths_[id], "a $ref cycle here never descends into the instance");
  }
  return {};
}

// Depth-first over the keywords that apply a schema to the same instance (not into a member or
// item): a cycle among them would recurse forever at validation time.
bool Compiler::cycles_from(NodeId id, std::vector<std::uint8_t>& state) const {
  if (state[id] != 0)
    return state[id] == 1;
  state[id] = 1;
  const Node& node = nodes_[id];
  std::vector<NodeId> next = node.all_of;
  next.insert(next.end(), node.any_of.begin(), node.any_of.end());
  next.insert(next.end(), node.one_of.begin(), node.one_of.end());
  for (const auto& single :
       {node.ref, node.not_schema, node.if_schema, node.then_schema, node.else_schema}) {
    if (single)
      next.push_back(*single);
  }
  for (NodeId to : next) {
    if (cycles_from(to, state))
      return true;
  }
  state[id] = 2;
  return false;
}

Result<std::vector<NodeId>> Compiler::schema_list(const json::value& value,
                                                  const std::string& path) {
  if (!value.is_array() || value.get_array().empty())
    return refuse(path, "must be a non-empty array of schemas");
  std::vector<NodeId> ids;
  for (std::size_t i = 0; i < value.get_array().size(); ++i) {
    TALLY_TRY(NodeId id, compile(value.get_array()[i], child(path, i)));
    ids.push_back(id);
  }
  return ids;
}

Result<std::uint64_t> Compiler::count(const json::value& value, const std::string& path) {
  const json::value zero(0);
  if (!value.is_number() || !is_integer(value) || compare_numbers(value, zero) < 0 ||
      (value.is_double() && value.get_double() >= 0x1p64))
    return refuse(path, "must be an integer >= 0");
  return value.is_double() ? static_cast<std::uint64_t>(value.get_double())
                           : value.to_number<std::uint64_t>();
}

Result<json::value> Compiler::bound(const json::value& value, const std::string& path) {
  if (!value.is_number() || (value.is_double() && !std::isfinite(value.get_double())))
    return refuse(path, "must be a number");
  return value;
}

Result<Pattern> Compiler::pattern(std::string_view source, const std::string& path) {
  try {
    return Pattern{std::string(source), std::regex(source.begin(), source.end())};
  } catch (const std::regex_error& error) {
    return refuse(path, str_cat("not an ECMAScript regular expression: ", error.what()));
  }
}

Result<void> Compiler::on_type(Node& node, const json::value& value, const std::string& path) {
  const json::array names = value.is_array() ? value.get_array() : json::array{value};
  for (const json::value& name : names) {
    const auto found = std::ranges::find_if(kTypeNames, [&](const auto& type) {
      return name.is_string() && name.get_string() == type.first;
    });
    if (found == kTypeNames.end() || (node.types & found->second) != 0)
      return refuse(path, "must be a type name or an array of distinct type names");
    node.types = static_cast<std::uint8_t>(node.types | found->second);
  }
  if (node.types == 0)
    return refuse(path, "must name at least one type");
  return {};
}

Result<void> Compiler::on_enum(Node& node, const json::value& value, const std::string& path) {
  if (!value.is_array() || value.get_array().empty())
    return refuse(path, "must be a non-empty array");
  node.enum_values.emplace(value.get_array().begin(), value.get_array().end());
  for (const json::value& allowed : value.get_array())
    node.enum_texts.push_back(canonical_json(allowed));
  return {};
}

Result<void> Compiler::on_const(Node& node, const json::value& value, const std::string&) {
  node.const_value = value;
  node.const_text = canonical_json(value);
  return {};
}

Result<void> Compiler::on_ref(Node& node, const json::value& value, const std::string& path) {
  constexpr std::string_view kDefsPrefix = "#/$defs/";
  if (!value.is_string())
    return refuse(path, "must be a string");
  const std::string_view ref = value.get_string();
  if (ref == "#") {
    node.ref = 0;
    return {};
  }
  if (!ref.starts_with(kDefsPrefix) || ref.substr(kDefsPrefix.size()).find('/') != ref.npos)
    return refuse(path, "only local references, \"#\" or \"#/$defs/<name>\", are supported");
  const auto def = defs_.find(unescape_pointer_token(ref.substr(kDefsPrefix.size())));
  if (def == defs_.end())
    return refuse(path, str_cat("no definition ", ref));
  node.ref = def->second;
  return {};
}

// The root's $defs were compiled by declare_defs; anywhere else they are refused.
Result<void> Compiler::on_defs(Node&, const json::value&, const std::string& path) {
  if (path != "/$defs")
    return refuse(path, "$defs is supported at the root only");
  return {};
}

Result<void> Compiler::on_properties(Node& node,
                                     const json::value& value,
                                     const std::string& path) {
  if (!value.is_object())
    return refuse(path, "must be an object of schemas");
  for (const auto& [name, schema] : value.get_object()) {
    TALLY_TRY(NodeId id, compile(schema, child(path, name)));
    node.properties.emplace(name, id);
  }
  return {};
}

Result<void> Compiler::on_required(Node& node, const json::value& value, const std::string& path) {
  const auto refused = refuse(path, "must be an array of distinct strings");
  if (!value.is_array())
    return refused;
  std::set<std::string_view> seen;
  for (const json::value& name : value.get_array()) {
    if (!name.is_string() || !seen.insert(name.get_string()).second)
      return refused;
    node.required.emplace_back(name.get_string());
  }
  return {};
}

Result<void> Compiler::on_additional(Node& node,
                                     const json::value& value,
                                     const std::string& path) {
  if (value.is_bool() && !value.get_bool()) {
    node.forbid_additional = true;
    return {};
  }
  TALLY_TRY(node.additional_properties, compile(value, path));
  return {};
}

Result<void> Compiler::on_pattern_properties(Node& node,
                                             const json::value& value,
                                             const std::string& path) {
  if (!value.is_object())
    return refuse(path, "must be an object of schemas");
  for (const auto& [source, schema] : value.get_object()) {
    TALLY_TRY(Pattern regex, pattern(source, child(path, source)));
    TALLY_TRY(NodeId id, compile(schema, child(path, source)));
    node.pattern_properties.emplace_back(std::move(regex), id);
  }
  return {};
}

Result<void> Compiler::on_items(Node& node, const json::value& value, const std::string& path) {
  if (value.is_array())
    return refuse(path, "must be a schema (an array of schemas is prefixItems)");
  TALLY_TRY(node.items, compile(value, path));
  return {};
}

Result<void> Compiler::on_prefix_items(Node& node,
                                       const json::value& value,
                                       const std::string& path) {
  TALLY_TRY(node.prefix_items, schema_list(value, path));
  return {};
}

Result<void> Compiler::on_unique_items(Node& node,
                                       const json::value& value,
                                       const std::string& path) {
  if (!value.is_bool())
    return refuse(path, "must be a boolean");
  node.unique_items = value.get_bool();
  return {};
}

Result<void> Compiler::on_pattern(Node& node, const json::value& value, const std::string& path) {
  if (!value.is_string())
    return refuse(path, "must be a string");
  TALLY_TRY(node.pattern, pattern(value.get_string(), path));
  return {};
}

// Formats other than "date" are annotations, as the specification allows.
Result<void> Compiler::on_format(Node& node, const json::value& value, const std::string& path) {
  if (!value.is_string())
    return refuse(path, "must be a string");
  node.format_date = value.get_string() == "date";
  return {};
}

Result<void> Compiler::on_multiple_of(Node& node,
                                      const json::value& value,
                                      const std::string& path) {
  TALLY_TRY(const std::uint64_t divisor, count(value, path));
  if (divisor == 0 || divisor > kMaxMultipleOf)
    return refuse(path, "must be an integer from 1 to 2^53");
  node.multiple_of = divisor;
  return {};
}

Result<void> Compiler::on_not(Node& node, const json::value& value, const std::string& path) {
  TALLY_TRY(node.not_schema, compile(value, path));
  return {};
}

Result<void> Compiler::on_if(Node& node, const json::value& value, const std::string& path) {
  TALLY_TRY(node.if_schema, compile(value, path));
  return {};
}

Result<void> Compiler::on_then(Node& node, const json::value& value, const std::string& path) {
  TALLY_TRY(node.then_schema, compile(value, path));
  return {};
}

Result<void> Compiler::on_else(Node& node, const json::value& value, const std::string& path) {
  TALLY_TRY(node.else_schema, compile(value, path));
  return {};
}

}  // namespace

Result<std::shared_ptr<const JsonSchema::Compiled>> compile_schema(const json::value& schema) {
  return Compiler{}.run(schema);
}

}  // namespace tally::schemas
