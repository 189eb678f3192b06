#pragma once
// One entry point for every profile: parse_with_profile picks the parser of the profile's format
// (CSV, fixed-width, camt, MT940, BAI2). For camt, MT940 and BAI2 the format fixes the layout;
// the profile adds the institution (when the caller gives none) and its key normalisation of
// account, reference, loan id and end-to-end id, so keys compare alike across formats.

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>
#include <tally/adapters/profile.hpp>

namespace tally::adapters {

ParseReport parse_with_profile(ByteSource& source,
                               const Profile& profile,
                               const ParseOptions& options,
                               const RecordSink& sink);

}  // namespace tally::adapters
