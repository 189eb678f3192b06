#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <tally/core/log.hpp>

#include "support/memory_log_sink.hpp"

namespace tally {
namespace {

using namespace std::chrono_literals;

class LoggerTest : public ::testing::Test {
 protected:
  test::MemoryLogSink sink_;
  ManualClock clock_{Instant{std::chrono::sys_days{std::chrono::year{2026} / 11 / 21}} + 1234ms};
  Logger logger_{sink_, clock_, "chain.ledger"};
};

TEST_F(LoggerTest, WritesOneJsonObjectPerLineWithFieldsInOrder) {
  const std::string hash = "0xabc";
  logger_.info("block committed", {{"block_number", 12}, {"hash", hash}, {"final", true}});
  ASSERT_EQ(sink_.lines().size(), 1U);
  EXPECT_EQ(sink_.lines()[0],
            R"({"ts":"2026-11-21T00:00:01.234Z","level":"info","component":"chain.ledger",)"
            R"("msg":"block committed","block_number":12,"hash":"0xabc","final":true})");
}

TEST_F(LoggerTest, KeepsFullIntegerRange) {
  logger_.warn("limits", {{"min", std::numeric_limits<std::int64_t>::min()},
                          {"max", std::numeric_limits<std::uint64_t>::max()}});
  const auto object = boost::json::parse(sink_.lines().at(0)).as_object();
  EXPECT_EQ(object.at("min").as_int64(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(object.at("max").as_uint64(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(object.at("level").as_string(), "warn");
}

TEST_F(LoggerTest, DropsLinesBelowItsLevel) {
  logger_.debug("noise");
  logger_.error("failure");
  ASSERT_EQ(sink_.lines().size(), 1U);
  EXPECT_NE(sink_.lines()[0].find("\"level\":\"error\""), std::string::npos);
  EXPECT_FALSE(logger_.enabled(LogLevel::debug));
}

TEST_F(LoggerTest, DerivedLoggerSharesSinkUnderItsOwnComponent) {
  logger_.for_component("chain.consensus").info("round change", {{"round", 3U}});
  EXPECT_NE(sink_.lines().at(0).find(R"("component":"chain.consensus")"), std::string::npos);
}

TEST_F(LoggerTest, HostileStringsCannotBreakTheLine) {
  const std::string nasty = std::string("a\"b\\c\nd\te\r\x01\x7f") + "\xff\xc0\xaf" +
                            "\xed\xa0\x80" + "\xe4\xb8\xad";  // invalid, overlong, surrogate, 中
  logger_.info(nasty, {{nasty, nasty}});
  const std::string line = sink_.lines().at(0);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto object = boost::json::parse(line).as_object();
  const std::string expected =
      "a\"b\\c\nd\te\r\x01\x7f\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
      "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xe4\xb8\xad";
  EXPECT_EQ(object.at("msg").as_string(), expected);
  EXPECT_EQ(object.at(expected).as_string(), expected);
}

TEST_F(LoggerTest, ReservedKeysCannotBeForgedByFields) {
  EXPECT_DEATH(logger_.error("x", {{"level", "debug"}}), "is_reserved_key");
  EXPECT_DEATH(logger_.error("x", {{"msg", "all good"}}), "is_reserved_key");
}

// Only exact bools become flags; a char or a double must not log as `true`.
static_assert(std::is_constructible_v<LogField, std::string_view, bool>);
static_assert(!std::is_constructible_v<LogField, std::string_view, double>);
static_assert(!std::is_constructible_v<LogField, std::string_view, char>);
static_assert(!std::is_constructible_v<LogField, std::string_view, const int*>);

TEST(AppendJsonString, EscapesControlCharactersAsUnicode) {
  std::string out;
  append_json_string(out, std::string_view("\x00\x1f", 2));
  EXPECT_EQ(out, R"("\u0000\u001f")");
}

}  // namespace
}  // namespace tally
