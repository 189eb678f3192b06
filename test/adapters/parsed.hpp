#pragma once
// Runs a parser of adapters/ and keeps everything it produced, for tests. Every record a parser
// hands to its sink must pass Record::check(), whatever the test is about.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>

namespace tally::adapters {

struct Parsed {
  ParseReport report;
  std::vector<Record> records;

  // Every error as "file:line:column: reason".
  std::vector<std::string> errors() const {
    std::vector<std::string> out;
    for (const LocatedError& error : report.errors())
      out.push_back(error.to_string());
    return out;
  }
};

using Parser = ParseReport (*)(ByteSource&, const ParseOptions&, const RecordSink&);

inline Parsed parse_all(Parser parse, ByteSource& source, const ParseOptions& options) {
  Parsed parsed;
  parsed.report = parse(source, options, [&](Record&& record) -> Result<void> {
    EXPECT_TRUE(record.check()) << "record at line " << record.source.line;
    parsed.records.push_back(std::move(record));
    return {};
  });
  return parsed;
}

inline Parsed parse_file(Parser parse,
                         const std::filesystem::path& path,
                         const ParseOptions& options) {
  auto source = FileSource::open(path);
  EXPECT_TRUE(source.has_value()) << path;
  if (!source)
    return Parsed{};
  return parse_all(parse, *source, options);
}

}  // namespace tally::adapters
