#pragma once
// Where the external vectors are (../shared/testdata, or $TALLY_TESTDATA), and reading them.

#include <filesystem>
#include <string>

#include <boost/json/value.hpp>

namespace tally::test {

// The testdata root. A missing root fails the calling test: conformance is never silently skipped.
std::filesystem::path testdata_dir();

std::string read_file(const std::filesystem::path& path);
boost::json::value read_json(const std::filesystem::path& path);

}  // namespace tally::test
