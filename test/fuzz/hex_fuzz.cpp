// from_hex on any text: accepted hex is canonical up to case and prefix, so it re-encodes to the
// same digits in lower case.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <tally/core/assert.hpp>
#include <tally/core/bytes.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto bytes = tally::from_hex(text);
  if (!bytes)
    return 0;
  const bool prefixed = text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  std::string digits(text.substr(prefixed ? 2 : 0));
  std::ranges::transform(digits, digits.begin(), [](char c) {
    return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  TALLY_ASSERT(tally::to_hex(*bytes, false) == digits);
  return 0;
}
