// Ethereum's GeneralStateTests (shared/testdata/evm/state), one test per folder, every post.Cancun
// entry. An entry may fail only if test/chain/evm_state_expected_failures.txt names it (with the
// reason); a listed entry that passes fails too, so the list only shrinks. Blob-transaction
// entries are skipped and listed with the reason.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/evm_state_runner.hpp"
#include "support/large_stack.hpp"
#include "support/testdata.hpp"

namespace tally::test {
namespace {

std::filesystem::path state_dir() {
  return testdata_dir() / "evm" / "state";
}

// Folders, and the Cancun sub-folders, that hold test files.
std::vector<std::string> state_folders() {
  std::vector<std::string> out;
  std::error_code error;
  const auto root = std::filesystem::path(TALLY_SOURCE_TESTDATA) / "evm" / "state";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root, error)) {
    if (!entry.is_directory())
      continue;
    const bool has_json =
        std::ranges::any_of(std::filesystem::directory_iterator(entry.path()),
                            [](const auto& file) { return file.path().extension() == ".json"; });
    if (has_json)
      out.push_back(std::filesystem::relative(entry.path(), root).generic_string());
  }
  std::ranges::sort(out);
  return out;
}

std::set<std::string> expected_failures() {
  std::set<std::string> out;
  std::ifstream in(std::filesystem::path(TALLY_SOURCE_DIR) / "test" / "chain" /
                   "evm_state_expected_failures.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    out.insert(line.substr(0, line.find(' ')));
  }
  return out;
}

// Runs every entry of `folder` against the expected-failures list and prints the counts.
void check_folder(const std::string& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(state_dir() / folder)) {
    if (entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::ranges::sort(files);
  const std::set<std::string> allowed = expected_failures();
  std::size_t passed = 0, skipped = 0, failed = 0;
  for (const auto& file : files) {
    for (const StateEntryResult& result : run_state_test_file(file, folder)) {
      if (result.skipped) {
        ++skipped;
        std::cout << "skipped " << result.id << ": " << result.detail << "\n";
        continue;
      }
      const bool listed = allowed.contains(result.id);
      if (result.passed) {
        ++passed;
        EXPECT_FALSE(listed) << result.id << " passes: remove it from the expected failures";
      } else {
        ++failed;
        EXPECT_TRUE(listed) << result.id << ": " << result.detail;
      }
    }
  }
  std::cout << "state tests " << folder << ": " << passed << " passed, " << failed
            << " failed (expected), " << skipped << " skipped\n";
  EXPECT_GT(passed + skipped + failed, 0u) << "no entries in " << folder;
}

class EvmStateTest : public ::testing::TestWithParam<std::string> {};

// vmPerformance is loops of millions of instructions: seconds in release, many minutes unoptimised
// under the sanitizers. The debug build leaves it to the release run, saying so.
bool too_slow_for_this_build(const std::string& folder) {
#ifdef NDEBUG
  (void)folder;
  return false;
#else
  return folder == "VMTests/vmPerformance";
#endif
}

TEST_P(EvmStateTest, EveryCancunEntryMatchesThePostState) {
  const std::string folder = GetParam();
  if (too_slow_for_this_build(folder))
    GTEST_SKIP() << folder << " runs in the release build only (too slow unoptimised)";
  run_on_large_stack([&] { check_folder(folder); });
}

INSTANTIATE_TEST_SUITE_P(Folders,
                         EvmStateTest,
                         ::testing::ValuesIn(state_folders()),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::ranges::replace_if(
                               name,
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace tally::test
