// parse_fixed_width on any bytes, with the shipped GBK settlement profile read as GBK or as
// GB18030 (first byte). Whatever it is given, the parser ends with a report; every record keeps
// its own rules, its raw bytes are the input's at its byte offset, and its decoded text is valid
// UTF-8 (no half characters); every error names a reason. Tiny chunks change nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <tally/adapters/fixed_width.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/adapters/text_encoding.hpp>
#include <tally/core/assert.hpp>

namespace {

using namespace tally::adapters;

const Profile& partner(bool gb18030) {
  static const Profile gbk = load_embedded_profile("partner-gbk-fixed").value();
  static const Profile wide = [] {
    Profile profile = gbk;
    profile.encoding = TextEncoding::gb18030;
    return profile;
  }();
  return gb18030 ? wide : gbk;
}

bool valid_utf8(const std::string& text) {
  return check_well_formed(tally::as_bytes(text), TextEncoding::utf8).has_value();
}

std::vector<std::int64_t> run(ByteSource& source, tally::BytesView input, const Profile& profile) {
  std::vector<std::int64_t> amounts;
  const auto report = parse_fixed_width(
      source, profile, {"fuzz", "fuzz"}, [&](Record&& record) -> tally::Result<void> {
        TALLY_ASSERT(record.check().has_value());
        TALLY_ASSERT(record.source.byte_offset + record.raw.size() <= input.size());
        TALLY_ASSERT(
            std::equal(record.raw.begin(), record.raw.end(),
                       input.begin() + static_cast<std::ptrdiff_t>(record.source.byte_offset)));
        TALLY_ASSERT(valid_utf8(record.counterparty) && valid_utf8(record.loan_id) &&
                     valid_utf8(record.reference));
        amounts.push_back(record.amount.minor_units());
        return {};
      });
  for (const auto& error : report.errors())
    TALLY_ASSERT(!error.reason.empty());
  TALLY_ASSERT(report.records() == amounts.size());
  amounts.push_back(report.ok() ? 1 : 0);
  return amounts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const Profile& profile = partner(data[0] % 2 == 1);
  const tally::BytesView input(data + 1, size - 1);
  MemorySource whole(input);
  MemorySource trickle(input, 7);
  TALLY_ASSERT(run(whole, input, profile) == run(trickle, input, profile));
  return 0;
}
