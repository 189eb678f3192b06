#pragma once
// The adapters' own CSV and fixed-width fixtures (test/adapters/fixtures, written by
// make_fixtures.py; the GBK files hold real GBK bytes).

#include <filesystem>
#include <string>

#include <tally/adapters/record.hpp>

namespace tally::adapters {

inline std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(TALLY_ADAPTERS_FIXTURES) / name;
}

inline Date ymd(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
}

inline std::string text_of(const Bytes& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace tally::adapters
