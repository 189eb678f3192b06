#include <array>

#include <gtest/gtest.h>

#include "command_line.hpp"

namespace tally::tallyd {
namespace {

Result<Arguments> parse(std::initializer_list<std::string_view> words) {
  const std::vector<std::string_view> args(words);
  return parse_arguments(args);
}

TEST(TallydCommandLine, ConfigInEitherSpelling) {
  for (const auto& words : {std::vector<std::string_view>{"--config", "node.json"},
                            std::vector<std::string_view>{"--config=node.json"}}) {
    const auto parsed = parse_arguments(words);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(parsed->mode, Mode::run);
    EXPECT_EQ(parsed->config, "node.json");
  }
}

TEST(TallydCommandLine, CheckConfigAndVersion) {
  EXPECT_EQ(parse({"--check-config", "a.json"})->mode, Mode::check_config);
  EXPECT_EQ(parse({"--check-config", "a.json"})->config, "a.json");
  EXPECT_EQ(parse({"--version"})->mode, Mode::version);
}

TEST(TallydCommandLine, RefusesWhatItCannotTake) {
  EXPECT_FALSE(parse({}).has_value());
  EXPECT_FALSE(parse({"--config"}).has_value());                    // no file
  EXPECT_FALSE(parse({"--configs", "a"}).has_value());              // a typo is not --config
  EXPECT_FALSE(parse({"--config", "a", "--version"}).has_value());  // one mode at a time
  const auto unknown = parse({"node.json"});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message.find("node.json"), std::string::npos);
}

}  // namespace
}  // namespace tally::tallyd
