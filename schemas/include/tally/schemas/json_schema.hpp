#pragma once
// JSON Schema validation of configuration files (file profiles, match rules, genesis, node
// configuration) against the schemas embedded from schemas/, with errors that name the field.
//
// Supported: a subset of draft 2020-12, listed in schemas/README.md. In short:
//   type (a name or an array of names; "integer" is any number without a fraction), enum, const,
//   properties, required, additionalProperties (bool or schema), patternProperties, items,
//   prefixItems, minItems, maxItems, uniqueItems, minLength, maxLength (in code points), pattern
//   (std::regex ECMAScript, searched, not anchored), format "date" (YYYY-MM-DD, a real calendar
//   day; other formats are ignored), minimum, maximum, exclusiveMinimum, exclusiveMaximum,
//   multipleOf (positive integers only), allOf, anyOf, oneOf, not, if/then/else, $defs (at the
//   root only) and $ref to "#" or "#/$defs/<name>". Annotations ($schema, $id, $comment, title,
//   description, default, examples, deprecated, readOnly, writeOnly) are ignored. Any other
//   keyword makes the schema fail to compile, so a typo in our own schemas fails a test.
// Numbers are compared exactly: int64 and uint64 values never go through a double.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include <tally/core/error.hpp>

namespace tally::schemas {

// Validation stops after this many errors: a file that is wrong everywhere is reported briefly.
inline constexpr std::size_t kMaxSchemaErrors = 100;
// parse_validated refuses larger texts (Errc::limit_exceeded) before parsing them.
inline constexpr std::size_t kMaxConfigBytes = 16 * 1024 * 1024;
// parse_validated refuses deeper nesting of arrays and objects (Errc::malformed).
inline constexpr std::size_t kMaxConfigDepth = 64;
// A longer string is reported instead of matched against a pattern: libstdc++'s std::regex
// recurses once per character, and under AddressSanitizer "^(a|b)*$" overflows an 8 MiB stack
// between 4 KiB and 16 KiB of subject, so this keeps a 4x margin. (It cannot save a pattern with
// nested quantifiers, "(a*)*b", from exponential time: our schemas must not use them.)
inline constexpr std::size_t kMaxPatternSubjectBytes = 1024;

struct SchemaError {
  std::string path;  // JSON Pointer of the offending instance value: "/fields/3/offset"; "" = root
  std::string reason;  // "must be an integer", "missing required property \"format\""

  std::string to_string() const;  // "/fields/3/offset: must be >= 0"
  bool operator==(const SchemaError&) const = default;
};

// "/a~1b/~0c" for the keys "a/b", "~c": RFC 6901 escaping of one reference token.
std::string json_pointer_token(std::string_view key);

// A compiled schema: keywords checked, regexes built and $refs resolved once. Immutable, so one
// instance may validate from several threads at once.
class JsonSchema {
 public:
  // Errc::malformed with "<schema path>: <reason>" for a schema outside the supported subset:
  // an unknown keyword, a keyword of the wrong shape, a bad regex, a remote or dangling $ref, a
  // $ref cycle that never descends into the instance.
  static Result<JsonSchema> compile(const boost::json::value& schema);

  // Every error of `instance`, at most kMaxSchemaErrors; empty when valid. An object's missing
  // properties come first, then its members' errors in document order, then those of allOf,
  // anyOf, oneOf, not and if/then/else.
  std::vector<SchemaError> validate(const boost::json::value& instance) const;

  struct Compiled;  // defined in src/compiled_schema.hpp

 private:
  explicit JsonSchema(std::shared_ptr<const Compiled> compiled);
  std::shared_ptr<const Compiled> compiled_;
};

// The embedded schema called `schema_name` (a path as in find(): "profiles/profile.schema.json"),
// compiled on first use and cached for the life of the program; thread-safe. Errors: not_found
// for a name that is not embedded, malformed for a text that is not JSON or not a supported schema.
Result<const JsonSchema*> load_schema(std::string_view schema_name);

// Validates `instance` against the embedded schema `schema_name`. A schema that is not embedded or
// does not compile is a programmer error (TALLY_ASSERT, after printing why to stderr); a test
// compiles every embedded schema, so it cannot reach a release.
std::vector<SchemaError> validate(const boost::json::value& instance, std::string_view schema_name);

// Parses a configuration file's `text` and validates it against `schema_name`. Errors, each
// naming `file_name`:
//   limit_exceeded   text larger than kMaxConfigBytes;
//   malformed        not JSON: "node.json: line 3, column 7: syntax error"; nesting deeper than
//                    kMaxConfigDepth; a number too large for a double;
//   invalid_argument the schema refuses it: one line per error, "node.json: /p2p/port: must be
//                    <= 65535", at most kMaxSchemaErrors of them.
Result<boost::json::value> parse_validated(std::string_view text,
                                           std::string_view file_name,
                                           std::string_view schema_name);
// The same against a schema compiled by the caller.
Result<boost::json::value> parse_validated(std::string_view text,
                                           std::string_view file_name,
                                           const JsonSchema& schema);

// A value the schema has checked to be an integer in [0, 2^64), as uint64_t: JSON has one number
// type, so an integral double such as 1.0 passes "integer" and is converted too.
std::uint64_t validated_u64(const boost::json::value& value);

}  // namespace tally::schemas
