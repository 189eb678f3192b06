// parse_csv on any bytes, under two profiles chosen by the first byte: the shipped joint-loan
// profile (UTF-8, header found by Chinese names, trailer totals) and a GBK one with '|' columns
// by index. Whatever it is given, the parser ends with a report; every record keeps its own rules
// and its raw bytes are the input's at its byte offset; every error names a reason. Fed in tiny
// chunks, the same bytes must give the same outcome. parse_csv_view must refuse exactly what
// parse_csv refuses, with the same errors, and hand the same records (without raw bytes).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <tally/adapters/csv.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/core/assert.hpp>

namespace {

using namespace tally::adapters;

const Profile& joint_loan() {
  static const Profile profile = [] {
    Profile shipped = load_embedded_profile("platform-joint-loan").value();
    shipped.max_record_bytes = 4096;  // small buffers keep each run fast; the limit is still hit
    return shipped;
  }();
  return profile;
}

const Profile& gbk_pipes() {
  static const Profile profile =
      load_profile(R"({"name": "g", "institution": "G", "format": "csv", "encoding": "gbk",
        "max_record_bytes": 256, "csv": {"delimiter": "|", "header": "none",
          "trailer": {"tag_column": 0, "tag": "T", "count": {"index": 1}, "sum": {"index": 2}}},
        "fields": {"reference": {"index": 0}, "amount": {"index": 1}, "counterparty": {"index": 2},
                   "value_date": {"index": 3}, "principal": {"index": 4}},
        "dates": ["YYYYMMDD"], "currency": "CNY",
        "amounts": {"grouping_separator": ",", "strip": ["￥"],
                    "negative": ["leading_minus", "parentheses", "cr_dr_suffix"]}})",
                   "fuzz.json")
          .value();
  return profile;
}

std::vector<std::int64_t> run(ByteSource& source, tally::BytesView input, const Profile& profile) {
  std::vector<std::int64_t> amounts;
  const auto report =
      parse_csv(source, profile, {"fuzz", "fuzz"}, [&](Record&& record) -> tally::Result<void> {
        TALLY_ASSERT(record.check().has_value());
        TALLY_ASSERT(record.source.byte_offset + record.raw.size() <= input.size());
        TALLY_ASSERT(
            std::equal(record.raw.begin(), record.raw.end(),
                       input.begin() + static_cast<std::ptrdiff_t>(record.source.byte_offset)));
        amounts.push_back(record.amount.minor_units());
        return {};
      });
  for (const auto& error : report.errors())
    TALLY_ASSERT(!error.reason.empty());
  TALLY_ASSERT(report.records() == amounts.size());
  amounts.push_back(report.ok() ? 1 : 0);
  return amounts;
}

struct Outcome {
  std::vector<Record> records;
  std::vector<std::string> errors;
  bool ok = false;

  bool operator==(const Outcome&) const = default;
};

template <typename Parse, typename Sink>
Outcome outcome_of(tally::BytesView input, Parse parse, const Profile& profile, Sink sink) {
  MemorySource source(input);
  Outcome out;
  const auto report =
      parse(source, profile, {"fuzz", "fuzz"}, [&](auto&& record) { return sink(out, record); });
  for (const auto& error : report.errors())
    out.errors.push_back(error.to_string());
  out.ok = report.ok();
  return out;
}

void check_view_parser(tally::BytesView input, const Profile& profile) {
  const Outcome full = outcome_of(input, parse_csv, profile, [](Outcome& out, Record& record) {
    record.raw.clear();
    out.records.push_back(std::move(record));
    return tally::Result<void>{};
  });
  const Outcome view =
      outcome_of(input, parse_csv_view, profile, [](Outcome& out, const Record& record) {
        TALLY_ASSERT(record.raw.empty());
        out.records.push_back(record);
        return tally::Result<void>{};
      });
  TALLY_ASSERT(full == view);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const Profile& profile = data[0] % 2 == 0 ? joint_loan() : gbk_pipes();
  const tally::BytesView input(data + 1, size - 1);
  MemorySource whole(input);
  MemorySource trickle(input, 5);
  TALLY_ASSERT(run(whole, input, profile) == run(trickle, input, profile));
  check_view_parser(input, profile);
  return 0;
}
