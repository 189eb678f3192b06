#pragma once
// What the validator needs to know about JSON values beyond Boost.JSON: exact number order across
// int64, uint64 and double; equality in the JSON Schema sense (1 == 1.0, key order ignored);
// string length in code points; and the "date" format.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace tally::schemas {

// -1, 0 or 1 as a < b, a == b, a > b, exactly; nullopt when either is NaN. Both must be numbers.
std::optional<int> compare_numbers(const boost::json::value& a, const boost::json::value& b);

// A number with no fractional part (int64, uint64, or a double such as 2.0).
bool is_integer(const boost::json::value& value);

// Whether `value` (a number) is an integer multiple of `divisor` (> 0).
bool is_multiple_of(const boost::json::value& value, std::uint64_t divisor);

// One text per equivalence class of JSON values: equal values (1 and 1.0; objects whatever
// their key order) give equal texts, different values different texts.
std::string canonical_json(const boost::json::value& value);

// A value as messages show it: numbers in their shortest exact form ("0.5", "1e+20"), the rest
// serialized.
std::string display_json(const boost::json::value& value);

// Unicode code points in valid UTF-8.
std::size_t code_points(std::string_view utf8);

// "YYYY-MM-DD" naming a real calendar day (RFC 3339 full-date).
bool is_date(std::string_view text);

}  // namespace tally::schemas
