#include "regex_shape.hpp"

#include <cctype>
#include <vector>

namespace tally::reconcile {
namespace {

// "{n}", "{n,}" or "{n,m}" at `at`: its length, or 0 when the brace is a literal.
std::size_t counted_quantifier(std::string_view pattern, std::size_t at) {
  std::size_t i = at + 1;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[i])))
      ++i;
    return i > start;
  };
  if (!digits())
    return 0;
  if (i < pattern.size() && pattern[i] == ',') {
    ++i;
    digits();
  }
  return i < pattern.size() && pattern[i] == '}' ? i + 1 - at : 0;
}

// The end of the character class opening at `at` (one past its ']'), or the pattern's end.
std::size_t class_end(std::string_view pattern, std::size_t at) {
  std::size_t i = at + 1;
  if (i < pattern.size() && pattern[i] == '^')
    ++i;
  if (i < pattern.size() && pattern[i] == ']')
    ++i;  // a leading ']' is a literal
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == '\\')
      ++i;
    else if (pattern[i] == ']')
      return i + 1;
  }
  return pattern.size();
}

}  // namespace

std::optional<std::size_t> nested_quantifier(std::string_view pattern) {
  enum class Last { nothing, atom, quantified_group, quantifier, lazy };
  std::vector<bool> group_repeats{false};  // per open group: whether it holds a quantifier
  Last last = Last::nothing;
  std::size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    const std::size_t length = c == '{' ? counted_quantifier(pattern, i) : 0;
    const bool quantifier = c == '*' || c == '+' || c == '?' || length > 0;
    if (quantifier) {
      if (c == '?' && last == Last::quantifier) {
        last = Last::lazy;
      } else {
        if (last == Last::quantifier || last == Last::lazy || last == Last::quantified_group)
          return i;
        last = Last::quantifier;
        group_repeats.back() = true;
      }
      i += length > 0 ? length : 1;
      continue;
    }
    switch (c) {
      case '\\':
        i += 2;
        last = Last::atom;
        continue;
      case '[':
        i = class_end(pattern, i);
        last = Last::atom;
        continue;
      case '(':
        group_repeats.push_back(false);
        // "(?:", "(?=" and "(?!" open groups too; their "?" is not a quantifier.
        i += i + 1 < pattern.size() && pattern[i + 1] == '?' ? std::size_t{3} : std::size_t{1};
        last = Last::nothing;
        continue;
      case ')': {
        const bool repeats = group_repeats.size() > 1 && group_repeats.back();
        if (group_repeats.size() > 1)
          group_repeats.pop_back();
        if (repeats)
          group_repeats.back() = true;
        last = repeats ? Last::quantified_group : Last::atom;
        break;
      }
      case '|':
      case '^':
      case '$':
        last = Last::nothing;
        break;
      default:
        last = Last::atom;
    }
    ++i;
  }
  return std::nullopt;
}

}  // namespace tally::reconcile
