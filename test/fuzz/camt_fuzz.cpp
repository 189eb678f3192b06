// parse_camt on any bytes. Whatever it is given, the parser ends with a report; every record it
// hands over keeps its own rules and its raw bytes are a piece of the input at its byte offset;
// every error names a reason. The input is also fed in tiny chunks, which must change nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <tally/adapters/camt.hpp>
#include <tally/core/assert.hpp>

namespace {

struct Outcome {
  bool ok = false;
  std::uint64_t records = 0;
  std::vector<std::int64_t> amounts;
};

Outcome run(tally::adapters::ByteSource& source, tally::BytesView input) {
  Outcome outcome;
  const auto report = tally::adapters::parse_camt(
      source, {"fuzz", "fuzz"}, [&](tally::adapters::Record&& record) -> tally::Result<void> {
        TALLY_ASSERT(record.check().has_value());
        TALLY_ASSERT(!record.amount.is_negative());
        if (!record.raw.empty()) {
          TALLY_ASSERT(record.source.byte_offset + record.raw.size() <= input.size());
          TALLY_ASSERT(
              std::equal(record.raw.begin(), record.raw.end(),
                         input.begin() + static_cast<std::ptrdiff_t>(record.source.byte_offset)));
        }
        outcome.amounts.push_back(record.amount.minor_units());
        return {};
      });
  for (const auto& error : report.errors()) {
    TALLY_ASSERT(!error.reason.empty());
  }
  TALLY_ASSERT(report.records() == outcome.amounts.size());
  outcome.ok = report.ok();
  outcome.records = report.records();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tally::BytesView input(data, size);
  tally::adapters::MemorySource whole(input);
  const Outcome first = run(whole, input);
  // The same bytes a few at a time, so chunk boundaries fall everywhere.
  tally::adapters::MemorySource trickle(input, 7);
  const Outcome second = run(trickle, input);
  TALLY_ASSERT(first.ok == second.ok);
  TALLY_ASSERT(first.amounts == second.amounts);
  return 0;
}
