#pragma once
// str_cat("offset ", 3, ": odd length") builds a message from strings and integers.
// g++ 12 has no <format>; this covers what error messages and logs need without locale.

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>

namespace tally {
namespace detail {

inline void append_piece(std::string& out, std::string_view piece) {
  out += piece;
}
inline void append_piece(std::string& out, const char* piece) {
  out += piece;
}
inline void append_piece(std::string& out, const std::string& piece) {
  out += piece;
}
inline void append_piece(std::string& out, char piece) {
  out += piece;
}

template <std::integral T>
requires(!std::same_as<T, char> && !std::same_as<T, bool>) void append_piece(std::string& out,
                                                                             T value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, end);
}

}  // namespace detail

template <typename... Pieces>
std::string str_cat(const Pieces&... pieces) {
  std::string out;
  (detail::append_piece(out, pieces), ...);
  return out;
}

}  // namespace tally
