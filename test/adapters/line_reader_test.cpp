#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/adapters/line_reader.hpp>

#include "support/temp_dir.hpp"

namespace tally::adapters {
namespace {

struct Seen {
  std::string text;
  std::uint64_t number;
  std::uint64_t offset;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> all_lines(ByteSource& source, std::size_t max_line = kDefaultMaxLineBytes) {
  LineReader reader(source, max_line);
  std::vector<Seen> out;
  for (;;) {
    auto line = reader.next();
    EXPECT_TRUE(line) << line.error();
    if (!line || !*line)
      break;
    out.push_back(
        {std::string(reinterpret_cast<const char*>((*line)->bytes.data()), (*line)->bytes.size()),
         (*line)->number, (*line)->byte_offset});
  }
  return out;
}

TEST(LineReader, SplitsLfAndCrlfKeepingNumbersAndOffsets) {
  const std::string text = "first\r\nsecond\n\nlast";
  const std::vector<Seen> expected = {
      {"first", 1, 0}, {"second", 2, 7}, {"", 3, 14}, {"last", 4, 15}};
  for (const std::size_t chunk : {1UL, 2UL, 3UL, 7UL, 100UL}) {
    MemorySource source(as_bytes(text), chunk);
    EXPECT_EQ(all_lines(source), expected) << "chunk " << chunk;
  }
}

TEST(LineReader, EmptyInputHasNoLinesAndAFinalNewlineMakesNoExtraLine) {
  MemorySource empty(BytesView{});
  EXPECT_TRUE(all_lines(empty).empty());
  const std::string text = "one\n";
  MemorySource source(as_bytes(text));
  EXPECT_EQ(all_lines(source), (std::vector<Seen>{{"one", 1, 0}}));
}

TEST(LineReader, RefusesALineOverTheLimitNamingIt) {
  const std::string text = "short\n" + std::string(17, 'x') + "\nafter\n";
  for (const std::size_t chunk : {1UL, 5UL, 64UL}) {
    MemorySource source(as_bytes(text), chunk);
    LineReader reader(source, 16);
    ASSERT_TRUE(reader.next().value());
    const auto long_line = reader.next();
    ASSERT_FALSE(long_line);
    EXPECT_EQ(long_line.error().code, Errc::limit_exceeded);
    EXPECT_NE(long_line.error().message.find("line 2 (byte 6)"), std::string::npos)
        << long_line.error();
  }
  const std::string exact = std::string(16, 'y') + "\r\n";
  MemorySource fits(as_bytes(exact));
  EXPECT_EQ(all_lines(fits, 16).size(), 1U);
}

TEST(FileSource, ReadsAFileAndNamesAMissingOne) {
  const auto missing = FileSource::open("/nonexistent/tally/statement.sta");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);

  test::TempDir dir;
  std::ofstream(dir / "statement.sta", std::ios::binary) << ":20:REF\r\n:25:ACCOUNT\r\n";
  auto file = FileSource::open(dir / "statement.sta");
  ASSERT_TRUE(file) << file.error();
  EXPECT_EQ(all_lines(*file), (std::vector<Seen>{{":20:REF", 1, 0}, {":25:ACCOUNT", 2, 9}}));
}

}  // namespace
}  // namespace tally::adapters
