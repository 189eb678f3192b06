#include <tally/core/bytes.hpp>
#include <tally/core/str_cat.hpp>

namespace tally {

Result<Bytes> from_hex(std::string_view hex) {
  std::size_t offset = 0;
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
    offset = 2;
  const std::size_t digits = hex.size() - offset;
  if (digits % 2 != 0) {
    return fail(Errc::malformed,
                str_cat("hex: odd number of digits (", digits, ") ending at offset ", hex.size()));
  }
  Bytes out(digits / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t at = offset + 2 * i;
    const int hi = hex_digit_value(hex[at]);
    if (hi < 0)
      return fail(Errc::malformed, str_cat("hex: invalid digit at offset ", at));
    const int lo = hex_digit_value(hex[at + 1]);
    if (lo < 0)
      return fail(Errc::malformed, str_cat("hex: invalid digit at offset ", at + 1));
    out[i] = static_cast<Byte>((hi << 4) | lo);
  }
  return out;
}

std::string to_hex(BytesView bytes, bool with_prefix) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2 + 2);
  if (with_prefix)
    out += "0x";
  for (const Byte b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

}  // namespace tally
