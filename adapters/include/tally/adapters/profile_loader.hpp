#pragma once
// Reading a profile from its JSON (schemas/profiles/profile.schema.json). Shape errors name the
// JSON Pointer of the offending value; semantic errors name the field: a column by name when the
// file has no header row, fixed-width fields that overlap or reach past their record's length,
// a direction or kind rule whose field is not mapped.

#include <string_view>

#include <tally/adapters/profile.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

// `file_name` only labels errors.
Result<Profile> load_profile(std::string_view json_text, std::string_view file_name);

// A profile shipped with the program: "platform-joint-loan" is schemas/profiles/
// platform-joint-loan.json, embedded at build time.
Result<Profile> load_embedded_profile(std::string_view name);

}  // namespace tally::adapters
