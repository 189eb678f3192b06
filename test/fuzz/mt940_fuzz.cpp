// parse_mt940 on any bytes, fed in chunks whose size the first byte chooses: it never crashes,
// every record it hands out keeps its own rules, and the report counts exactly the records taken.
// The field parsers also see the raw input directly.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tally/adapters/mt940.hpp>
#include <tally/adapters/mt940_fields.hpp>
#include <tally/core/assert.hpp>

namespace {

class ChunkSource final : public tally::adapters::ByteSource {
 public:
  ChunkSource(tally::BytesView bytes, std::size_t chunk) : bytes_(bytes), chunk_(chunk) {}
  tally::Result<std::size_t> read(std::span<tally::Byte> into) override {
    const std::size_t count = std::min({into.size(), chunk_, bytes_.size() - position_});
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(position_), count, into.begin());
    position_ += count;
    return count;
  }

 private:
  tally::BytesView bytes_;
  std::size_t chunk_;
  std::size_t position_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally::adapters;
  if (size < 1)
    return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  const tally::BytesView input(data + 1, size - 1);
  ChunkSource source(input, chunk);
  std::uint64_t taken = 0;
  const ParseReport report = parse_mt940(source, ParseOptions{"fuzz", "bank"},
                                         [&](Record&& record) -> tally::Result<void> {
                                           TALLY_ASSERT(record.check().has_value());
                                           TALLY_ASSERT(!record.raw.empty());
                                           ++taken;
                                           return {};
                                         });
  TALLY_ASSERT(report.records() == taken);
  TALLY_ASSERT(report.error_count() >= report.errors().size());

  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  (void)parse_mt940_details(text);
  (void)parse_mt940_balance(text);
  (void)parse_mt940_entry_sum(text);
  (void)parse_mt940_floor_limit(text);
  (void)parse_mt940_date_time(text);
  (void)parse_mt940_statement_number(text);
  if (auto line = parse_mt940_statement_line(text, *tally::Currency::from_code("EUR")); line)
    TALLY_ASSERT(!line->amount.is_negative());
  return 0;
}
