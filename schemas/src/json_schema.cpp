// Validation of an instance against a compiled schema (compiled_schema.hpp), the cache of the
// embedded schemas, and parse_validated for configuration files.
#include <cstdio>
#include <map>
#include <mutex>

#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/schemas/json_schema.hpp>
#include <tally/schemas/schemas.hpp>

#include "compiled_schema.hpp"
#include "json_values.hpp"

namespace tally::schemas {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxListedEnumValues = 10;

constexpr std::array<std::pair<std::uint8_t, std::string_view>, 7> kTypeArticles = {{
    {kNull, "null"},
    {kBoolean, "a boolean"},
    {kObject, "an object"},
    {kArray, "an array"},
    {kNumber, "a number"},
    {kString, "a string"},
    {kInteger, "an integer"},
}};

bool has_type(const json::value& instance, std::uint8_t type) {
  switch (type) {
    case kNull:
      return instance.is_null();
    case kBoolean:
      return instance.is_bool();
    case kObject:
      return instance.is_object();
    case kArray:
      return instance.is_array();
    case kNumber:
      return instance.is_number();
    case kString:
      return instance.is_string();
    default:
      return instance.is_number() && is_integer(instance);
  }
}

std::string type_names(std::uint8_t types) {
  std::string out;
  for (const auto& [bit, article] : kTypeArticles) {
    if ((types & bit) != 0)
      out += str_cat(out.empty() ? "" : " or ", article);
  }
  return out;
}

std::string enum_list(const std::vector<json::value>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < kMaxListedEnumValues; ++i)
    out += str_cat(i == 0 ? "" : ", ", display_json(values[i]));
  return values.size() > kMaxListedEnumValues ? out + ", ..." : out;
}

// One walk of an instance against the node table. Errors accumulate up to `limit`; the walk
// stops adding (and skips work) once the limit is reached.
class Validator {
 public:
  Validator(const std::vector<Node>& nodes, std::string path, std::size_t limit)
      : nodes_(nodes), path_(std::move(path)), limit_(limit) {}

  void check(NodeId id, const json::value& instance);
  std::vector<SchemaError> take_errors() { return std::move(errors_); }

 private:
  bool full() const { return errors_.size() >= limit_; }
  void report(std::string reason) {
    if (!full())
      errors_.push_back(SchemaError{path_, std::move(reason)});
  }
  void check_at(NodeId id, const json::value& instance, std::string_view token);
  std::vector<SchemaError> branch(NodeId id, const json::value& instance, std::size_t limit) const {
    Validator sub(nodes_, path_, limit);
    sub.check(id, instance);
    return sub.take_errors();
  }
  bool passes(NodeId id, const json::value& instance) const {
    return branch(id, instance, 1).empty();
  }

  bool check_type(const Node& node, const json::value& instance);
  void check_value(const Node& node, const json::value& instance);
  void check_object(const Node& node, const json::object& object);
  void check_member(const Node& node, std::string_view key, const json::value& value);
  void check_array(const Node& node, const json::array& array);
  void check_string(const Node& node, std::string_view text);
  void check_number(const Node& node, const json::value& number);
  void check_combinations(const Node& node, const json::value& instance);
  void check_alternatives(const std::vector<NodeId>& ids,
                          const json::value& instance,
                          std::string_view keyword);

  const std::vector<Node>& nodes_;
  std::string path_;  // JSON Pointer of the instance being checked
  std::size_t limit_;
  std::vector<SchemaError> errors_;
};

void Validator::check(NodeId id, const json::value& instance) {
  const Node& node = nodes_[id];
  if (full())
    return;
  if (node.reject_all)
    return report("no value is allowed here");
  if (node.ref)
    check(*node.ref, instance);
  if (!check_type(node, instance))
    return;  // the other keywords would only repeat that the value is of the wrong kind
  check_value(node, instance);
  if (instance.is_object())
    check_object(node, instance.get_object());
  else if (instance.is_array())
    check_array(node, instance.get_array());
  else if (instance.is_string())
    check_string(node, instance.get_string());
  else if (instance.is_number())
    check_number(node, instance);
  check_combinations(node, instance);
}

// Descends into a member or an item: the path grows by one token for the duration of the check.
void Validator::check_at(NodeId id, const json::value& instance, std::string_view token) {
  const std::size_t length = path_.size();
  path_ += str_cat("/", token);
  check(id, instance);
  path_.resize(length);
}

bool Validator::check_type(const Node& node, const json::value& instance) {
  if (node.types == 0)
    return true;
  for (const auto& [bit, article] : kTypeArticles) {
    if ((node.types & bit) != 0 && has_type(instance, bit))
      return true;
  }
  report(str_cat("must be ", type_names(node.types)));
  return false;
}

void Validator::check_value(const Node& node, const json::value& instance) {
  if (!node.const_value && !node.enum_values)
    return;
  const std::string text = canonical_json(instance);
  if (node.const_value && text != node.const_text)
    report(str_cat("must be ", display_json(*node.const_value)));
  if (node.enum_values && std::ranges::find(node.enum_texts, text) == node.enum_texts.end())
    report(str_cat("must be one of ", enum_list(*node.enum_values)));
}

void Validator::check_object(const Node& node, const json::object& object) {
  for (const std::string& name : node.required) {
    if (!object.contains(name))
      report(str_cat("missing required property \"", name, "\""));
  }
  for (const auto& [key, value] : object)
    check_member(node, key, value);
}

void Validator::check_member(const Node& node, std::string_view key, const json::value& value) {
  const std::string token = json_pointer_token(key);
  bool matched = false;
  if (const auto property = node.properties.find(key); property != node.properties.end()) {
    matched = true;
    check_at(property->second, value, token);
  }
  for (const auto& [pattern, id] : node.pattern_properties) {
    if (key.size() > kMaxPatternSubjectBytes) {
      report(str_cat("property name longer than ", kMaxPatternSubjectBytes, " bytes"));
      return;
    }
    if (std::regex_search(key.begin(), key.end(), pattern.regex)) {
      matched = true;
      check_at(id, value, token);
    }
  }
  if (matched)
    return;
  if (node.forbid_additional)
    report(str_cat("unknown property \"", key, "\""));
  else if (node.additional_properties)
    check_at(*node.additional_properties, value, token);
}

void Validator::check_array(const Node& node, const json::array& array) {
  if (node.min_items && array.size() < *node.min_items)
    report(str_cat("must have at least ", *node.min_items, " items"));
  if (node.max_items && array.size() > *node.max_items)
    report(str_cat("must have at most ", *node.max_items, " items"));
  for (std::size_t i = 0; i < array.size() && !full(); ++i) {
    if (i < node.prefix_items.size())
      check_at(node.prefix_items[i], array[i], str_cat(i));
    else if (node.items)
      check_at(*node.items, array[i], str_cat(i));
  }
  if (!node.unique_items)
    return;
  std::map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const auto [it, inserted] = first_index.emplace(canonical_json(array[i]), i);
    if (!inserted)
      report(str_cat("items ", it->second, " and ", i, " must not be equal"));
  }
}

void Validator::check_string(const Node& node, std::string_view text) {
  const std::size_t length = code_points(text);
  if (node.min_length && length < *node.min_length)
    report(str_cat("must be at least ", *node.min_length, " characters long"));
  if (node.max_length && length > *node.max_length)
    report(str_cat("must be at most ", *node.max_length, " characters long"));
  if (node.pattern) {
    if (text.size() > kMaxPatternSubjectBytes)
      report(str_cat("longer than ", kMaxPatternSubjectBytes, " bytes, too long to match ",
                     node.pattern->source));
    else if (!std::regex_search(text.begin(), text.end(), node.pattern->regex))
      report(str_cat("must match the pattern ", node.pattern->source));
  }
  if (node.format_date && !is_date(text))
    report("must be a date, YYYY-MM-DD");
}

void Validator::check_number(const Node& node, const json::value& number) {
  // An incomparable number (NaN) fails every bound.
  const auto check_bound = [&](const std::optional<json::value>& bound, auto accepts,
                               std::string_view relation) {
    if (!bound)
      return;
    const std::optional<int> order = compare_numbers(number, *bound);
    if (!order || !accepts(*order))
      report(str_cat("must be ", relation, " ", display_json(*bound)));
  };
  check_bound(
      node.minimum, [](int order) { return order >= 0; }, ">=");
  check_bound(
      node.maximum, [](int order) { return order <= 0; }, "<=");
  check_bound(
      node.exclusive_minimum, [](int order) { return order > 0; }, ">");
  check_bound(
      node.exclusive_maximum, [](int order) { return order < 0; }, "<");
  if (node.multiple_of && !is_multiple_of(number, *node.multiple_of))
    report(str_cat("must be a multiple of ", *node.multiple_of));
}

void Validator::check_combinations(const Node& node, const json::value& instance) {
  for (NodeId id : node.all_of)
    check(id, instance);
  if (!node.any_of.empty())
    check_alternatives(node.any_of, instance, "anyOf");
  if (!node.one_of.empty())
    check_alternatives(node.one_of, instance, "oneOf");
  if (node.not_schema && passes(*node.not_schema, instance))
    report("must not match the schema of \"not\"");
  if (node.if_schema && (node.then_schema || node.else_schema)) {
    const auto next = passes(*node.if_schema, instance) ? node.then_schema : node.else_schema;
    if (next)
      check(*next, instance);
  }
}

// How far an alternative's errors are from a match, smaller is closer: errors about the value
// itself (its type, its const) count before errors inside it, then the number of errors.
std::pair<std::size_t, std::size_t> distance(const std::vector<SchemaError>& errors,
                                             const std::string& path) {
  const auto here = std::ranges::count(errors, path, &SchemaError::path);
  return {static_cast<std::size_t>(here), errors.size()};
}

// anyOf needs one match, oneOf exactly one. When none matches, the errors of the closest
// alternative follow the summary, since that is most often the one the author meant.
void Validator::check_alternatives(const std::vector<NodeId>& ids,
                                   const json::value& instance,
                                   std::string_view keyword) {
  std::vector<std::size_t> matches;
  std::vector<SchemaError> closest;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::vector<SchemaError> errors = branch(ids[i], instance, kMaxSchemaErrors);
    if (errors.empty())
      matches.push_back(i);
    else if (closest.empty() || distance(errors, path_) < distance(closest, path_))
      closest = std::move(errors);
    if (keyword == "anyOf" && !matches.empty())
      return;
  }
  if (matches.size() == 1)
    return;
  if (matches.size() > 1)
    return report(str_cat("must match exactly one schema of oneOf, but matches ", matches.size(),
                          " (", matches[0], " and ", matches[1], ")"));
  report(str_cat("must match ", keyword == "oneOf" ? "exactly one" : "at least one", " of the ",
                 ids.size(), " schemas of ", keyword));
  for (SchemaError& error : closest) {
    if (full())
      break;
    errors_.push_back(std::move(error));
  }
}

// The first number that is not finite ("1e400" parses as infinity), as "path: reason".
std::optional<std::string> find_non_finite(const json::value& value, const std::string& path) {
  if (value.is_double() && !std::isfinite(value.get_double()))
    return SchemaError{path, "number out of range"}.to_string();
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.get_array().size(); ++i) {
      if (auto found = find_non_finite(value.get_array()[i], str_cat(path, "/", i)))
        return found;
    }
  } else if (value.is_object()) {
    for (const auto& [key, member] : value.get_object()) {
      if (auto found = find_non_finite(member, str_cat(path, "/", json_pointer_token(key))))
        return found;
    }
  }
  return std::nullopt;
}

Result<json::value> parse_json(std::string_view text, std::string_view file_name) {
  json::parse_options options;
  options.max_depth = kMaxConfigDepth;
  json::parser parser(json::storage_ptr(), options);
  json::error_code ec;
  const std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (ec) {
    const std::string_view before = text.substr(0, consumed);
    const std::size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0 on the first line
    return fail(Errc::malformed,
                str_cat(file_name, ": line ", std::ranges::count(before, '\n') + 1, ", column ",
                        consumed - line_start + 1, ": ", ec.message()));
  }
  json::value value = parser.release();
  if (const auto non_finite = find_non_finite(value, ""))
    return fail(Errc::malformed, str_cat(file_name, ": ", *non_finite));
  return value;
}

Result<std::unique_ptr<JsonSchema>> compile_embedded(std::string_view schema_name) {
  const auto text = find(schema_name);
  if (!text)
    return fail(Errc::not_found, str_cat("no embedded schema ", schema_name));
  json::error_code ec;
  const json::value document = json::parse(*text, ec);
  if (ec)
    return fail(Errc::malformed, str_cat(schema_name, ": not JSON: ", ec.message()));
  TALLY_TRY(JsonSchema schema, in_context(JsonSchema::compile(document), schema_name));
  return std::make_unique<JsonSchema>(std::move(schema));
}

// A schema that is not embedded or does not compile is a bug in this build, not bad input.
const JsonSchema& embedded_schema(std::string_view schema_name) {
  const auto schema = load_schema(schema_name);
  if (!schema)
    std::fprintf(stderr, "%s\n", to_string(schema.error()).c_str());
  TALLY_ASSERT(schema.has_value());
  return **schema;
}

}  // namespace

std::string SchemaError::to_string() const {
  return path.empty() ? reason : str_cat(path, ": ", reason);
}

std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

JsonSchema::JsonSchema(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}

Result<JsonSchema> JsonSchema::compile(const json::value& schema) {
  TALLY_TRY(auto compiled, compile_schema(schema));
  return JsonSchema(std::move(compiled));
}

std::vector<SchemaError> JsonSchema::validate(const json::value& instance) const {
  Validator validator(compiled_->nodes, "", kMaxSchemaErrors);
  validator.check(0, instance);
  return validator.take_errors();
}

Result<const JsonSchema*> load_schema(std::string_view schema_name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<JsonSchema>, std::less<>> cache;
  const std::lock_guard lock(mutex);
  if (const auto cached = cache.find(schema_name); cached != cache.end())
    return cached->second.get();
  TALLY_TRY(auto schema, compile_embedded(schema_name));
  return cache.emplace(schema_name, std::move(schema)).first->second.get();
}

std::vector<SchemaError> validate(const json::value& instance, std::string_view schema_name) {
  return embedded_schema(schema_name).validate(instance);
}

Result<json::value> parse_validated(std::string_view text,
                                    std::string_view file_name,
                                    std::string_view schema_name) {
  return parse_validated(text, file_name, embedded_schema(schema_name));
}

Result<json::value> parse_validated(std::string_view text,
                                    std::string_view file_name,
                                    const JsonSchema& schema) {
  if (text.size() > kMaxConfigBytes)
    return fail(Errc::limit_exceeded, str_cat(file_name, ": ", text.size(),
                                              " bytes, more than the limit of ", kMaxConfigBytes));
  TALLY_TRY(json::value value, parse_json(text, file_name));
  const std::vector<SchemaError> errors = schema.validate(value);
  if (errors.empty())
    return value;
  std::string message;
  for (const SchemaError& error : errors)
    message += str_cat(message.empty() ? "" : "\n", file_name, ": ", error.to_string());
  if (errors.size() == kMaxSchemaErrors)
    message += str_cat("\n", file_name, ": stopped after ", kMaxSchemaErrors, " errors");
  return fail(Errc::invalid_argument, std::move(message));
}

std::uint64_t validated_u64(const json::value& value) {
  if (value.is_uint64())
    return value.get_uint64();
  if (value.is_int64())
    return static_cast<std::uint64_t>(value.get_int64());
  return static_cast<std::uint64_t>(value.get_double());
}

}  // namespace tally::schemas
