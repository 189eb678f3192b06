// Every real bank statement sample that its parser accepts is accepted by ingest too: the
// duplicate rule must not refuse real files whose movements merely look alike. Samples the
// parsers refuse are refused by ingest with the same errors, and leave nothing behind.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/adapters/bai2.hpp>
#include <tally/adapters/camt.hpp>
#include <tally/adapters/mt940.hpp>
#include <tally/reconcile/ingest.hpp>

#include "support/temp_dir.hpp"
#include "support/testdata.hpp"

namespace tally::reconcile {
namespace {

struct Folder {
  std::string path;
  FileParser parse;
};

TEST(IngestSamples, ParsedSamplesAreAcceptedAndRefusedOnesLeaveNothing) {
  const auto root = test::testdata_dir() / "statements";
  const std::vector<Folder> folders = {{"camt", adapters::parse_camt},
                                       {"mt940", adapters::parse_mt940},
                                       {"bai2", adapters::parse_bai2}};
  test::TempDir dir;
  auto store = RecordStore::open(dir / "records.db");
  ASSERT_TRUE(store) << store.error().message;
  const ManualClock clock;
  int accepted = 0;
  int refused = 0;
  for (const auto& folder : folders) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / folder.path)) {
      if (!entry.is_regular_file() || entry.path().filename() == "LICENSE" ||
          entry.path().extension() == ".md")
        continue;
      SCOPED_TRACE(entry.path().string());
      auto source = adapters::FileSource::open(entry.path());
      ASSERT_TRUE(source);
      const auto direct =
          folder.parse(*source, {"f", "bank"}, [](adapters::Record&&) { return Result<void>{}; });
      auto outcome = ingest_file(*store, {entry.path(), folder.path, "bank"}, folder.parse, clock,
                                 IngestMode::check);
      ASSERT_TRUE(outcome) << outcome.error().message;
      if (direct.ok()) {
        EXPECT_TRUE(outcome->accepted)
            << (outcome->errors.empty() ? "" : outcome->errors[0].to_string());
        EXPECT_EQ(outcome->file.record_count, direct.records());
        ++accepted;
      } else {
        EXPECT_FALSE(outcome->accepted);
        EXPECT_EQ(outcome->error_count, direct.error_count());
        ++refused;
      }
    }
  }
  std::printf("samples: %d accepted, %d refused by their parser\n", accepted, refused);
  // As many as the parsers accept today (adapters/README.md lists why the others are refused).
  EXPECT_GE(accepted, 27);
}

}  // namespace
}  // namespace tally::reconcile
