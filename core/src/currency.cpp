#include <algorithm>

#include <tally/core/currency.hpp>
#include <tally/core/str_cat.hpp>

namespace tally {
namespace {

// ISO 4217 list one (active codes), ordered by alphabetic code for binary search. ANG and XCG
// share 532 (XCG replaced ANG in 2025); the numeric look-up answers with the current one, XCG.
constexpr std::array kCurrencies = {
    Currency({{'A', 'E', 'D'}}, 784, 2), Currency({{'A', 'F', 'N'}}, 971, 2),
    Currency({{'A', 'L', 'L'}}, 8, 2),   Currency({{'A', 'M', 'D'}}, 51, 2),
    Currency({{'A', 'N', 'G'}}, 532, 2), Currency({{'A', 'O', 'A'}}, 973, 2),
    Currency({{'A', 'R', 'S'}}, 32, 2),  Currency({{'A', 'U', 'D'}}, 36, 2),
    Currency({{'A', 'W', 'G'}}, 533, 2), Currency({{'A', 'Z', 'N'}}, 944, 2),
    Currency({{'B', 'A', 'M'}}, 977, 2), Currency({{'B', 'B', 'D'}}, 52, 2),
    Currency({{'B', 'D', 'T'}}, 50, 2),  Currency({{'B', 'G', 'N'}}, 975, 2),
    Currency({{'B', 'H', 'D'}}, 48, 3),  Currency({{'B', 'I', 'F'}}, 108, 0),
    Currency({{'B', 'M', 'D'}}, 60, 2),  Currency({{'B', 'N', 'D'}}, 96, 2),
    Currency({{'B', 'O', 'B'}}, 68, 2),  Currency({{'B', 'O', 'V'}}, 984, 2),
    Currency({{'B', 'R', 'L'}}, 986, 2), Currency({{'B', 'S', 'D'}}, 44, 2),
    Currency({{'B', 'T', 'N'}}, 64, 2),  Currency({{'B', 'W', 'P'}}, 72, 2),
    Currency({{'B', 'Y', 'N'}}, 933, 2), Currency({{'B', 'Z', 'D'}}, 84, 2),
    Currency({{'C', 'A', 'D'}}, 124, 2), Currency({{'C', 'D', 'F'}}, 976, 2),
    Currency({{'C', 'H', 'E'}}, 947, 2), Currency({{'C', 'H', 'F'}}, 756, 2),
    Currency({{'C', 'H', 'W'}}, 948, 2), Currency({{'C', 'L', 'F'}}, 990, 4),
    Currency({{'C', 'L', 'P'}}, 152, 0), Currency({{'C', 'N', 'Y'}}, 156, 2),
    Currency({{'C', 'O', 'P'}}, 170, 2), Currency({{'C', 'O', 'U'}}, 970, 2),
    Currency({{'C', 'R', 'C'}}, 188, 2), Currency({{'C', 'U', 'C'}}, 931, 2),
    Currency({{'C', 'U', 'P'}}, 192, 2), Currency({{'C', 'V', 'E'}}, 132, 2),
    Currency({{'C', 'Z', 'K'}}, 203, 2), Currency({{'D', 'J', 'F'}}, 262, 0),
    Currency({{'D', 'K', 'K'}}, 208, 2), Currency({{'D', 'O', 'P'}}, 214, 2),
    Currency({{'D', 'Z', 'D'}}, 12, 2),  Currency({{'E', 'G', 'P'}}, 818, 2),
    Currency({{'E', 'R', 'N'}}, 232, 2), Currency({{'E', 'T', 'B'}}, 230, 2),
    Currency({{'E', 'U', 'R'}}, 978, 2), Currency({{'F', 'J', 'D'}}, 242, 2),
    Currency({{'F', 'K', 'P'}}, 238, 2), Currency({{'G', 'B', 'P'}}, 826, 2),
    Currency({{'G', 'E', 'L'}}, 981, 2), Currency({{'G', 'H', 'S'}}, 936, 2),
    Currency({{'G', 'I', 'P'}}, 292, 2), Currency({{'G', 'M', 'D'}}, 270, 2),
    Currency({{'G', 'N', 'F'}}, 324, 0), Currency({{'G', 'T', 'Q'}}, 320, 2),
    Currency({{'G', 'Y', 'D'}}, 328, 2), Currency({{'H', 'K', 'D'}}, 344, 2),
    Currency({{'H', 'N', 'L'}}, 340, 2), Currency({{'H', 'R', 'K'}}, 191, 2),
    Currency({{'H', 'T', 'G'}}, 332, 2), Currency({{'H', 'U', 'F'}}, 348, 2),
    Currency({{'I', 'D', 'R'}}, 360, 2), Currency({{'I', 'L', 'S'}}, 376, 2),
    Currency({{'I', 'N', 'R'}}, 356, 2), Currency({{'I', 'Q', 'D'}}, 368, 3),
    Currency({{'I', 'R', 'R'}}, 364, 2), Currency({{'I', 'S', 'K'}}, 352, 0),
    Currency({{'J', 'M', 'D'}}, 388, 2), Currency({{'J', 'O', 'D'}}, 400, 3),
    Currency({{'J', 'P', 'Y'}}, 392, 0), Currency({{'K', 'E', 'S'}}, 404, 2),
    Currency({{'K', 'G', 'S'}}, 417, 2), Currency({{'K', 'H', 'R'}}, 116, 2),
    Currency({{'K', 'M', 'F'}}, 174, 0), Currency({{'K', 'P', 'W'}}, 408, 2),
    Currency({{'K', 'R', 'W'}}, 410, 0), Currency({{'K', 'W', 'D'}}, 414, 3),
    Currency({{'K', 'Y', 'D'}}, 136, 2), Currency({{'K', 'Z', 'T'}}, 398, 2),
    Currency({{'L', 'A', 'K'}}, 418, 2), Currency({{'L', 'B', 'P'}}, 422, 2),
    Currency({{'L', 'K', 'R'}}, 144, 2), Currency({{'L', 'R', 'D'}}, 430, 2),
    Currency({{'L', 'S', 'L'}}, 426, 2), Currency({{'L', 'Y', 'D'}}, 434, 3),
    Currency({{'M', 'A', 'D'}}, 504, 2), Currency({{'M', 'D', 'L'}}, 498, 2),
    Currency({{'M', 'G', 'A'}}, 969, 2), Currency({{'M', 'K', 'D'}}, 807, 2),
    Currency({{'M', 'M', 'K'}}, 104, 2), Currency({{'M', 'N', 'T'}}, 496, 2),
    Currency({{'M', 'O', 'P'}}, 446, 2), Currency({{'M', 'R', 'U'}}, 929, 2),
    Currency({{'M', 'U', 'R'}}, 480, 2), Currency({{'M', 'V', 'R'}}, 462, 2),
    Currency({{'M', 'W', 'K'}}, 454, 2), Currency({{'M', 'X', 'N'}}, 484, 2),
    Currency({{'M', 'X', 'V'}}, 979, 2), Currency({{'M', 'Y', 'R'}}, 458, 2),
    Currency({{'M', 'Z', 'N'}}, 943, 2), Currency({{'N', 'A', 'D'}}, 516, 2),
    Currency({{'N', 'G', 'N'}}, 566, 2), Currency({{'N', 'I', 'O'}}, 558, 2),
    Currency({{'N', 'O', 'K'}}, 578, 2), Currency({{'N', 'P', 'R'}}, 524, 2),
    Currency({{'N', 'Z', 'D'}}, 554, 2), Currency({{'O', 'M', 'R'}}, 512, 3),
    Currency({{'P', 'A', 'B'}}, 590, 2), Currency({{'P', 'E', 'N'}}, 604, 2),
    Currency({{'P', 'G', 'K'}}, 598, 2), Currency({{'P', 'H', 'P'}}, 608, 2),
    Currency({{'P', 'K', 'R'}}, 586, 2), Currency({{'P', 'L', 'N'}}, 985, 2),
    Currency({{'P', 'Y', 'G'}}, 600, 0), Currency({{'Q', 'A', 'R'}}, 634, 2),
    Currency({{'R', 'O', 'N'}}, 946, 2), Currency({{'R', 'S', 'D'}}, 941, 2),
    Currency({{'R', 'U', 'B'}}, 643, 2), Currency({{'R', 'W', 'F'}}, 646, 0),
    Currency({{'S', 'A', 'R'}}, 682, 2), Currency({{'S', 'B', 'D'}}, 90, 2),
    Currency({{'S', 'C', 'R'}}, 690, 2), Currency({{'S', 'D', 'G'}}, 938, 2),
    Currency({{'S', 'E', 'K'}}, 752, 2), Currency({{'S', 'G', 'D'}}, 702, 2),
    Currency({{'S', 'H', 'P'}}, 654, 2), Currency({{'S', 'L', 'E'}}, 925, 2),
    Currency({{'S', 'L', 'L'}}, 694, 2), Currency({{'S', 'O', 'S'}}, 706, 2),
    Currency({{'S', 'R', 'D'}}, 968, 2), Currency({{'S', 'S', 'P'}}, 728, 2),
    Currency({{'S', 'T', 'N'}}, 930, 2), Currency({{'S', 'V', 'C'}}, 222, 2),
    Currency({{'S', 'Y', 'P'}}, 760, 2), Currency({{'S', 'Z', 'L'}}, 748, 2),
    Currency({{'T', 'H', 'B'}}, 764, 2), Currency({{'T', 'J', 'S'}}, 972, 2),
    Currency({{'T', 'M', 'T'}}, 934, 2), Currency({{'T', 'N', 'D'}}, 788, 3),
    Currency({{'T', 'O', 'P'}}, 776, 2), Currency({{'T', 'R', 'Y'}}, 949, 2),
    Currency({{'T', 'T', 'D'}}, 780, 2), Currency({{'T', 'W', 'D'}}, 901, 2),
    Currency({{'T', 'Z', 'S'}}, 834, 2), Currency({{'U', 'A', 'H'}}, 980, 2),
    Currency({{'U', 'G', 'X'}}, 800, 0), Currency({{'U', 'S', 'D'}}, 840, 2),
    Currency({{'U', 'S', 'N'}}, 997, 2), Currency({{'U', 'Y', 'I'}}, 940, 0),
    Currency({{'U', 'Y', 'U'}}, 858, 2), Currency({{'U', 'Y', 'W'}}, 927, 4),
    Currency({{'U', 'Z', 'S'}}, 860, 2), Currency({{'V', 'E', 'D'}}, 926, 2),
    Currency({{'V', 'E', 'S'}}, 928, 2), Currency({{'V', 'N', 'D'}}, 704, 0),
    Currency({{'V', 'U', 'V'}}, 548, 0), Currency({{'W', 'S', 'T'}}, 882, 2),
    Currency({{'X', 'A', 'F'}}, 950, 0), Currency({{'X', 'C', 'D'}}, 951, 2),
    Currency({{'X', 'C', 'G'}}, 532, 2), Currency({{'X', 'O', 'F'}}, 952, 0),
    Currency({{'X', 'P', 'F'}}, 953, 0), Currency({{'Y', 'E', 'R'}}, 886, 2),
    Currency({{'Z', 'A', 'R'}}, 710, 2), Currency({{'Z', 'M', 'W'}}, 967, 2),
    Currency({{'Z', 'W', 'G'}}, 924, 2), Currency({{'Z', 'W', 'L'}}, 932, 2),
};

}  // namespace

Result<Currency> Currency::from_code(std::string_view code) {
  const auto it = std::ranges::lower_bound(kCurrencies, code, {}, &Currency::code);
  if (it == kCurrencies.end() || it->code() != code) {
    return fail(Errc::not_found, str_cat("currency: unknown ISO 4217 code '", code, "'"));
  }
  return *it;
}

Result<Currency> Currency::from_numeric(std::uint16_t numeric) {
  // Searched from the back so that a reused numeric code finds its newest alphabetic code.
  const auto it =
      std::ranges::find(kCurrencies.rbegin(), kCurrencies.rend(), numeric, &Currency::numeric);
  if (it == kCurrencies.rend()) {
    return fail(Errc::not_found, str_cat("currency: unknown ISO 4217 numeric code ", numeric));
  }
  return *it;
}

std::span<const Currency> Currency::all() noexcept {
  return kCurrencies;
}

}  // namespace tally
