// load_profile on any text: an error or a profile, never a crash. A profile that loads must be
// usable: parse_with_profile runs it over a few lines of CSV and fixed-width text and ends with a
// report whose records keep their own rules.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tally/adapters/profile_loader.hpp>
#include <tally/adapters/profile_parser.hpp>
#include <tally/core/assert.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto profile = tally::adapters::load_profile(text, "fuzz.json");
  if (!profile) {
    TALLY_ASSERT(!profile.error().message.empty());
    return 0;
  }
  if (profile->format != tally::adapters::ProfileFormat::csv &&
      profile->format != tally::adapters::ProfileFormat::fixed_width) {
    return 0;
  }
  constexpr std::string_view kSample =
      "H20240131PARTNER01            \nref,amount,date\nA1,1.00,2024-01-31\n"
      "DLOAN-1              ABC       20240131CNY000000000000100C02REF1                \n"
      "T0000000100000000000000100    \n";
  tally::adapters::MemorySource source(tally::as_bytes(kSample));
  const auto report = tally::adapters::parse_with_profile(
      source, *profile, {"fuzz", ""}, [](tally::adapters::Record&& record) -> tally::Result<void> {
        TALLY_ASSERT(record.check().has_value());
        return {};
      });
  for (const auto& error : report.errors())
    TALLY_ASSERT(!error.reason.empty());
  return 0;
}
