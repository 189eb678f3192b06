// Rule sets are read from operators' JSON files: load_rules must refuse anything malformed with
// an error, never crash, and whatever it accepts must keep the RuleSet's invariants. An accepted
// rule set then normalises a key from the same bytes, which exercises its regex extraction.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tally/core/assert.hpp>
#include <tally/reconcile/match_rules.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto rules = tally::reconcile::load_rules(text, "fuzz.json");
  if (!rules)
    return 0;
  TALLY_ASSERT(!rules->key.empty() && !rules->rules.empty());
  for (std::size_t i = 1; i < rules->rules.size(); ++i)
    TALLY_ASSERT(rules->rules[i - 1].priority < rules->rules[i].priority);
  for (const auto& field : rules->key)
    (void)tally::reconcile::normalize_key_text(text.substr(0, 200), field.normalization);
  return 0;
}
