// tallyd as a process: its command line, and refusing to start when what it needs is missing.
// (The four-validator cluster test joins this file once the node's parts are merged.)

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "packaging/process_support.hpp"
#include "support/temp_dir.hpp"

namespace tally::test {
namespace {

using namespace std::chrono_literals;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(TallydProcess, PrintsItsVersion) {
  TempDir directory;
  Subprocess tallyd(TALLYD_PATH, {"--version"}, directory / "out");
  ASSERT_TRUE(tallyd.started());
  EXPECT_EQ(tallyd.wait_for(10s), std::optional<int>(0));
  EXPECT_EQ(read_text(directory / "out"), std::string("tallyd ") + TALLY_VERSION + "\n");
}

TEST(TallydProcess, BadCommandLineExitsWithUsage) {
  TempDir directory;
  Subprocess tallyd(TALLYD_PATH, {"--confg", "x"}, directory / "out");
  EXPECT_EQ(tallyd.wait_for(10s), std::optional<int>(2));
  EXPECT_NE(read_text(directory / "out").find("usage: tallyd"), std::string::npos);
}

TEST(TallydProcess, UnusableConfigurationIsAFatalStructuredError) {
  TempDir directory;
  Subprocess tallyd(TALLYD_PATH, {"--config", (directory / "missing.json").string()},
                    directory / "out");
  EXPECT_EQ(tallyd.wait_for(10s), std::optional<int>(1));
  const std::string log = read_text(directory / "out");
  EXPECT_NE(log.find("\"level\":\"error\""), std::string::npos) << log;
}

}  // namespace
}  // namespace tally::test
