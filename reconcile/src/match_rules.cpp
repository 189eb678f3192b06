#include <algorithm>
#include <array>
#include <set>

#include <boost/json.hpp>

#include <tally/adapters/text_encoding.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/core/trim.hpp>
#include <tally/reconcile/match_rules.hpp>
#include <tally/schemas/json_schema.hpp>
#include <tally/schemas/schemas.hpp>

#include "regex_shape.hpp"

namespace tally::reconcile {
namespace {

// Sums and products of int64 amounts, exact (GCC's extension; -Wpedantic wants the marker).
__extension__ using int128 = __int128;

namespace json = boost::json;

constexpr std::string_view kSchemaName = "rules/rule.schema.json";

struct NamedSource {
  std::string_view name;
  KeySource source;
};
constexpr std::array<NamedSource, 8> kKeySources = {{
    {"account", KeySource::account},
    {"counterparty", KeySource::counterparty},
    {"reference", KeySource::reference},
    {"loan_id", KeySource::loan_id},
    {"end_to_end_id", KeySource::end_to_end_id},
    {"text", KeySource::text},
    {"term", KeySource::term},
    {"kind", KeySource::kind},
}};

KeySource key_source(std::string_view name) {
  for (const auto& named : kKeySources) {
    if (named.name == name)
      return named.source;
  }
  TALLY_ASSERT(false);  // the schema allows only the names above
  return KeySource::reference;
}

std::string_view string_of(const json::object& object,
                           std::string_view key,
                           std::string_view otherwise) {
  const auto* value = object.if_contains(key);
  return value ? std::string_view(value->as_string()) : otherwise;
}

std::int64_t integer_of(const json::object& object, std::string_view key, std::int64_t otherwise) {
  const auto* value = object.if_contains(key);
  return value ? value->to_number<std::int64_t>() : otherwise;
}

bool bool_of(const json::object& object, std::string_view key, bool otherwise) {
  const auto* value = object.if_contains(key);
  return value ? value->as_bool() : otherwise;
}

Result<KeyField> read_key_field(const json::object& object, std::string_view where) {
  KeyField field;
  field.left = key_source(string_of(object, "left", ""));
  field.right = key_source(string_of(object, "right", string_of(object, "left", "")));
  KeyNormalization& n = field.normalization;
  n.nfkc = bool_of(object, "nfkc", true);
  n.trim = bool_of(object, "trim", true);
  n.remove_punctuation = bool_of(object, "remove_punctuation", false);
  const std::string_view letter_case = string_of(object, "case", "upper");
  n.letter_case = letter_case == "keep"    ? LetterCase::keep
                  : letter_case == "lower" ? LetterCase::lower
                                           : LetterCase::upper;
  if (const auto* extract = object.if_contains("extract")) {
    const std::string pattern(extract->as_string());
    if (const auto at = nested_quantifier(pattern)) {
      return fail(Errc::invalid_argument,
                  str_cat(where, "/extract: offset ", *at,
                          ": a quantifier repeats what is repeated already (std::regex would "
                          "backtrack exponentially); write it without the nesting"));
    }
    try {
      auto regex = std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
      if (regex->mark_count() != 1) {
        return fail(
            Errc::invalid_argument,
            str_cat(where, "/extract: needs exactly one capture group, has ", regex->mark_count()));
      }
      n.extract = std::move(regex);
    } catch (const std::regex_error& error) {
      return fail(Errc::invalid_argument, str_cat(where, "/extract: ", error.what()));
    }
  }
  return field;
}

MatchRule read_rule(const json::object& object) {
  MatchRule rule;
  rule.name = string_of(object, "name", "");
  rule.priority = static_cast<int>(integer_of(object, "priority", 1));
  const std::string_view kind = string_of(object, "kind", "one_to_one");
  rule.kind = kind == "one_to_many"    ? RuleKind::one_to_many
              : kind == "many_to_one"  ? RuleKind::many_to_one
              : kind == "many_to_many" ? RuleKind::many_to_many
                                       : RuleKind::one_to_one;
  if (const auto* tolerance = object.if_contains("amount_tolerance")) {
    rule.tolerance.absolute_minor = integer_of(tolerance->as_object(), "absolute_minor", 0);
    rule.tolerance.percent_bp = integer_of(tolerance->as_object(), "percent_bp", 0);
  }
  rule.date_window_days = static_cast<std::int32_t>(integer_of(object, "date_window_days", 0));
  rule.max_candidates = static_cast<std::size_t>(integer_of(object, "max_candidates", 12));
  rule.max_combinations = static_cast<std::size_t>(integer_of(object, "max_combinations", 65536));
  return rule;
}

Result<void> check_cascade(const std::vector<MatchRule>& rules, std::string_view file_name) {
  std::set<int> priorities;
  std::set<std::string_view> names;
  for (const auto& rule : rules) {
    if (!priorities.insert(rule.priority).second) {
      return fail(Errc::invalid_argument, str_cat(file_name, ": rule '", rule.name, "': priority ",
                                                  rule.priority, " is taken"));
    }
    if (!names.insert(rule.name).second) {
      return fail(Errc::invalid_argument,
                  str_cat(file_name, ": two rules are named '", rule.name, "'"));
    }
  }
  return {};
}

bool is_ascii_punctuation_or_space(unsigned char c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
         (c >= 0x7B && c <= 0x7E) || c == ' ' || c == '\t';
}

}  // namespace

bool AmountTolerance::agrees(std::int64_t a, std::int64_t b) const noexcept {
  const int128 diff = static_cast<int128>(a) - static_cast<int128>(b);
  const int128 magnitude = diff < 0 ? -diff : diff;
  if (magnitude <= absolute_minor)
    return true;
  const int128 abs_a = a < 0 ? -static_cast<int128>(a) : static_cast<int128>(a);
  const int128 abs_b = b < 0 ? -static_cast<int128>(b) : static_cast<int128>(b);
  return magnitude * 10000 <= static_cast<int128>(percent_bp) * std::max(abs_a, abs_b);
}

std::string_view rule_kind_name(RuleKind kind) noexcept {
  switch (kind) {
    case RuleKind::one_to_one:
      return "1:1";
    case RuleKind::one_to_many:
      return "1:N";
    case RuleKind::many_to_one:
      return "N:1";
    case RuleKind::many_to_many:
      return "N:M";
  }
  return "";
}

Result<RuleSet> load_rules(std::string_view json_text, std::string_view file_name) {
  TALLY_TRY(const auto document, schemas::parse_validated(json_text, file_name, kSchemaName));
  const auto& root = document.as_object();
  RuleSet rules;
  rules.name = string_of(root, "name", "");
  rules.digest = sha256(as_bytes(json_text));
  const std::string_view date_field = string_of(root, "date_field", "business_date");
  rules.date_field = date_field == "value_date"     ? DateField::value_date
                     : date_field == "booking_date" ? DateField::booking_date
                                                    : DateField::business_date;
  const std::string_view direction = string_of(root, "direction", "same");
  rules.direction = direction == "opposite" ? DirectionMode::opposite
                    : direction == "ignore" ? DirectionMode::ignore
                                            : DirectionMode::same;
  const auto& key = root.at("key").as_array();
  for (std::size_t i = 0; i < key.size(); ++i) {
    TALLY_TRY(auto field, read_key_field(key[i].as_object(), str_cat(file_name, ": /key/", i)));
    rules.key.push_back(std::move(field));
  }
  for (const auto& rule : root.at("rules").as_array())
    rules.rules.push_back(read_rule(rule.as_object()));
  TALLY_TRY_VOID(check_cascade(rules.rules, file_name));
  std::ranges::sort(rules.rules,
                    [](const MatchRule& a, const MatchRule& b) { return a.priority < b.priority; });
  if (const auto* joint = root.if_contains("joint_loan")) {
    JointLoanCheck check;
    if (const auto* share = joint->as_object().if_contains("platform_share_bp"))
      check.platform_share_bp = share->to_number<std::uint32_t>();
    rules.joint_loan = check;
  }
  return rules;
}

Result<RuleSet> load_embedded_rules(std::string_view name) {
  const std::string path = str_cat("rules/", name, ".json");
  const auto text = schemas::find(path);
  if (!text || name.ends_with(".schema"))
    return fail(Errc::not_found, str_cat("no shipped rule set named '", name, "'"));
  return load_rules(*text, path);
}

Result<void> append_normalized_key(std::string_view text,
                                   const KeyNormalization& normalization,
                                   std::string& out) {
  // The usual key is ASCII and only trimmed or cased: a view narrowed, then appended once.
  std::string owned;
  if (!adapters::is_ascii(as_bytes(text))) {
    // A key is compared byte for byte: text that is not UTF-8 would never match what it means.
    if (const auto checked =
            adapters::check_well_formed(as_bytes(text), adapters::TextEncoding::utf8);
        !checked) {
      return fail(Errc::invalid_argument,
                  str_cat("key text is not UTF-8 at byte ", checked.error().offset, ": ",
                          checked.error().reason));
    }
    if (normalization.nfkc) {
      TALLY_TRY(owned, adapters::nfkc_fold(text));
      text = owned;
    }
  }
  if (normalization.extract) {
    if (text.size() > kMaxExtractSubjectBytes) {
      return fail(Errc::limit_exceeded, str_cat("key text of ", text.size(),
                                                " bytes is too long for regex extraction (at most ",
                                                kMaxExtractSubjectBytes, ")"));
    }
    std::match_results<std::string_view::const_iterator> found;
    owned = std::regex_search(text.begin(), text.end(), found, *normalization.extract)
                ? found[1].str()
                : std::string();
    text = owned;
  }
  if (normalization.trim)
    text = trim_ascii_space(text);
  const std::size_t start = out.size();
  out.append(text);
  if (normalization.letter_case != LetterCase::keep) {
    const bool upper = normalization.letter_case == LetterCase::upper;
    for (std::size_t i = start; i < out.size(); ++i) {
      char& c = out[i];
      if (upper && c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 'a' + 'A');
      else if (!upper && c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
    }
  }
  if (normalization.remove_punctuation) {
    const auto kept = std::remove_if(
        out.begin() + static_cast<std::ptrdiff_t>(start), out.end(),
        [](char c) { return is_ascii_punctuation_or_space(static_cast<unsigned char>(c)); });
    out.erase(kept, out.end());
  }
  return {};
}

Result<std::string> normalize_key_text(std::string_view text,
                                       const KeyNormalization& normalization) {
  std::string out;
  TALLY_TRY_VOID(append_normalized_key(text, normalization, out));
  return out;
}

std::string_view key_source_view(const adapters::Record& record,
                                 KeySource source,
                                 std::string& scratch) {
  switch (source) {
    case KeySource::account:
      return record.account;
    case KeySource::counterparty:
      return record.counterparty;
    case KeySource::reference:
      return record.reference;
    case KeySource::loan_id:
      return record.loan_id;
    case KeySource::end_to_end_id:
      return record.end_to_end_id;
    case KeySource::text:
      return record.text;
    case KeySource::term:
      scratch = record.term ? str_cat(*record.term) : std::string();
      return scratch;
    case KeySource::kind:
      return adapters::record_kind_name(record.kind);
  }
  return {};
}

std::string key_source_text(const adapters::Record& record, KeySource source) {
  std::string scratch;
  return std::string(key_source_view(record, source, scratch));
}

}  // namespace tally::reconcile
