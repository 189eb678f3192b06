#pragma once
// A check of a key-extraction regex's shape before std::regex compiles it. std::regex backtracks,
// and a quantifier stacked on a quantifier ("a**", "a+*") or on a group that holds one ("(a+)+")
// makes it try exponentially many ways to split a subject that does not match: a rule file could
// stall every reconciliation run. Such patterns never need the nesting, so they are refused.

#include <cstddef>
#include <optional>
#include <string_view>

namespace tally::reconcile {

// The offset of the first quantifier that repeats something already repeated, or nothing.
// A `?` right after a quantifier makes it lazy and is not counted.
std::optional<std::size_t> nested_quantifier(std::string_view pattern);

}  // namespace tally::reconcile
