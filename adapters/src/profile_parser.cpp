#include <tally/adapters/bai2.hpp>
#include <tally/adapters/camt.hpp>
#include <tally/adapters/csv.hpp>
#include <tally/adapters/fixed_width.hpp>
#include <tally/adapters/mt940.hpp>
#include <tally/adapters/profile_parser.hpp>
#include <tally/adapters/record_mapping.hpp>

namespace tally::adapters {

ParseReport parse_with_profile(ByteSource& source,
                               const Profile& profile,
                               const ParseOptions& options,
                               const RecordSink& sink) {
  ParseOptions effective = options;
  if (effective.institution.empty())
    effective.institution = profile.institution;
  switch (profile.format) {
    case ProfileFormat::csv:
      return parse_csv(source, profile, effective, sink);
    case ProfileFormat::fixed_width:
      return parse_fixed_width(source, profile, effective, sink);
    case ProfileFormat::camt:
    case ProfileFormat::mt940:
    case ProfileFormat::bai2:
      break;
  }
  const RecordSink normalizing = [&](Record&& record) -> Result<void> {
    for (std::string* key :
         {&record.account, &record.reference, &record.loan_id, &record.end_to_end_id}) {
      TALLY_TRY(*key, normalize_key(*key, profile.keys));
    }
    return sink(std::move(record));
  };
  switch (profile.format) {
    case ProfileFormat::camt:
      return parse_camt(source, effective, normalizing);
    case ProfileFormat::mt940:
      return parse_mt940(source, effective, normalizing);
    default:
      return parse_bai2(source, effective, normalizing);
  }
}

}  // namespace tally::adapters
