#include <gtest/gtest.h>

#include <tally/reconcile/record_store.hpp>

#include "match_fixture.hpp"
#include "support/temp_dir.hpp"

namespace tally::reconcile {
namespace {

TEST(RecordStore, JointLoanFieldsRoundTripAndVisitGivesSequenceNumbers) {
  const tally::test::TempDir dir;
  auto store = RecordStore::open(dir / "records.db").value();
  SourceFile file;
  file.file_hash.data()[0] = 7;
  file.name = "platform.csv";
  file.profile = "platform-joint-loan";
  file.institution = "PLATFORM-BANK";
  file.ingested_at = "2024-01-31T00:00:00.000Z";
  auto staging = FileStaging::begin(store, file).value();
  adapters::Record with = test::record("TX1", 100);
  with.term = 3;
  with.funding_ratio_bp = 3'000;
  with.source.file_id = "platform.csv";
  adapters::Record without = test::record("TX2", 200);
  without.source.file_id = "platform.csv";
  ASSERT_TRUE(staging.add(with));
  ASSERT_TRUE(staging.add(without));
  ASSERT_TRUE(staging.commit());

  const auto records = store.records_of(file.file_hash).value();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], with);
  EXPECT_EQ(records[1], without);
  std::vector<std::uint64_t> seqs;
  ASSERT_TRUE(store.visit_records(file.file_hash, [&](std::uint64_t seq, const adapters::Record&) {
    seqs.push_back(seq);
    return Result<void>{};
  }));
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{0, 1}));
}

}  // namespace
}  // namespace tally::reconcile
