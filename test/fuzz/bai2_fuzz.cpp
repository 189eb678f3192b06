// parse_bai2 on any bytes: it never crashes, hands on only records that keep their own rules,
// counts what it hands on, and says the same thing twice.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <tally/adapters/bai2.hpp>
#include <tally/core/assert.hpp>

namespace {

struct Outcome {
  std::vector<tally::adapters::Record> records;
  std::vector<tally::adapters::LocatedError> errors;
  bool ok = false;
};

Outcome parse(const std::uint8_t* data, std::size_t size) {
  Outcome out;
  tally::adapters::MemorySource source(tally::BytesView(data, size));
  const auto report = tally::adapters::parse_bai2(
      source, {"fuzz", "bank"}, [&](tally::adapters::Record&& record) -> tally::Result<void> {
        TALLY_ASSERT(record.check());
        TALLY_ASSERT(!record.raw.empty());
        out.records.push_back(std::move(record));
        return {};
      });
  TALLY_ASSERT(report.records() == out.records.size());
  TALLY_ASSERT(report.ok() == (report.error_count() == 0));
  out.errors = report.errors();
  out.ok = report.ok();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Outcome first = parse(data, size);
  const Outcome second = parse(data, size);
  TALLY_ASSERT(first.records == second.records && first.errors == second.errors &&
               first.ok == second.ok);
  return 0;
}
