#pragma once
// A match rule set (schemas/rules/rule.schema.json): the key that partitions the records of both
// sides, and a cascade of rules tried by priority on what earlier rules left unmatched. Everything
// is integers: amounts in minor units, percentages in basis points, windows in days.

#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <tally/adapters/record.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::reconcile {

// std::regex recurses per character of its subject: longer key text is refused, not searched.
inline constexpr std::size_t kMaxExtractSubjectBytes = 1024;

enum class KeySource : std::uint8_t {
  account,
  counterparty,
  reference,
  loan_id,
  end_to_end_id,
  text,
  term,
  kind
};

enum class LetterCase : std::uint8_t { keep, upper, lower };

// How one key field's text is normalised, in this order: NFKC, regex extraction, trim, case,
// punctuation removal.
struct KeyNormalization {
  bool nfkc = true;
  std::shared_ptr<const std::regex> extract;  // one capture group; shared: regexes are immutable
  bool trim = true;
  LetterCase letter_case = LetterCase::upper;
  bool remove_punctuation = false;
};

struct KeyField {
  KeySource left = KeySource::reference;
  KeySource right = KeySource::reference;
  KeyNormalization normalization;
};

// Two amounts agree when they differ by at most absolute_minor, or by at most percent_bp basis
// points of the larger magnitude (diff * 10000 <= percent_bp * max(|a|, |b|), in 128 bits).
struct AmountTolerance {
  std::int64_t absolute_minor = 0;
  std::int64_t percent_bp = 0;

  bool agrees(std::int64_t a, std::int64_t b) const noexcept;
};

enum class RuleKind : std::uint8_t { one_to_one, one_to_many, many_to_one, many_to_many };
std::string_view rule_kind_name(RuleKind kind) noexcept;

struct MatchRule {
  std::string name;
  int priority = 1;
  RuleKind kind = RuleKind::one_to_one;
  AmountTolerance tolerance;
  std::int32_t date_window_days = 0;
  // many_to_many only: at most 20 records of a key (both sides) and 2^20 pairs of subsets, so
  // the subset sums of one side stay under 2^19 entries (the schema enforces both caps).
  std::size_t max_candidates = 12;
  std::size_t max_combinations = 65536;
};

enum class DateField : std::uint8_t { business_date, value_date, booking_date };
enum class DirectionMode : std::uint8_t { same, opposite, ignore };

struct JointLoanCheck {
  std::optional<std::uint32_t> platform_share_bp;  // else each left record's funding ratio
};

struct RuleSet {
  std::string name;
  Hash256 digest;  // SHA-256 of the rule set's JSON text, stored with each run
  DateField date_field = DateField::business_date;
  DirectionMode direction = DirectionMode::same;
  std::vector<KeyField> key;
  std::vector<MatchRule> rules;  // sorted by priority, then by name
  std::optional<JointLoanCheck> joint_loan;
};

// Reads a rule set's JSON: schema errors name the JSON Pointer, semantic ones the rule
// (duplicate priorities or names, a regex that does not compile or has no capture group).
// `file_name` only labels errors.
Result<RuleSet> load_rules(std::string_view json_text, std::string_view file_name);

// A rule set shipped with the program: "joint-loan" is schemas/rules/joint-loan.json.
Result<RuleSet> load_embedded_rules(std::string_view name);

// The normalised text of one key field. Text that is not valid UTF-8 fails NFKC (invalid_argument).
Result<std::string> normalize_key_text(std::string_view text,
                                       const KeyNormalization& normalization);
// The same, appended to `out` (what was there is kept): the engine builds keys in one buffer.
Result<void> append_normalized_key(std::string_view text,
                                   const KeyNormalization& normalization,
                                   std::string& out);

// The record's text of a key source ("term" and "kind" as decimal and kind name).
std::string key_source_text(const adapters::Record& record, KeySource source);
// The same as a view into the record where it holds the text, else into `scratch`.
std::string_view key_source_view(const adapters::Record& record,
                                 KeySource source,
                                 std::string& scratch);

}  // namespace tally::reconcile
