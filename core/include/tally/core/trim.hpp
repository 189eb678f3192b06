#pragma once
// Text with ASCII white space (space, tab, CR, LF) cut from both ends: hex in key files, XML text
// nodes, a key field. (The adapters' trim_text is another rule: the padding of bank file fields,
// spaces, tabs and the ideographic space.)

#include <string_view>

namespace tally {

inline std::string_view trim_ascii_space(std::string_view text) noexcept {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

}  // namespace tally
