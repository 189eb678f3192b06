// Amount::parse on any text, in any currency and format the first two bytes choose. What parses
// formats back to text that parses to the same amount, and any split by the remaining bytes as
// weights sums exactly.
#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string_view>
#include <vector>

#include <tally/core/amount.hpp>
#include <tally/core/assert.hpp>

namespace {

constexpr std::array<tally::AmountFormat, 4> kFormats = {{
    {'.', '\0'},
    {'.', ','},
    {',', '.'},
    {',', ' '},
}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2)
    return 0;
  const auto currencies = tally::Currency::all();
  const tally::Currency currency = currencies[data[0] % currencies.size()];
  const tally::AmountFormat format = kFormats[data[1] % kFormats.size()];
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);

  const auto amount = tally::Amount::parse(text, currency, format);
  if (!amount)
    return 0;
  const auto again = tally::Amount::parse(amount->to_string(format), currency, format);
  TALLY_ASSERT(again && *again == *amount);

  std::vector<std::uint64_t> weights;
  for (std::size_t i = 2; i < size && weights.size() < 16; ++i)
    weights.push_back(data[i]);
  const auto parts = amount->allocate(weights);
  if (!parts)
    return 0;
  std::int64_t sum = 0;
  for (const tally::Amount& part : *parts)
    sum += part.minor_units();
  TALLY_ASSERT(sum == amount->minor_units());
  return 0;
}
