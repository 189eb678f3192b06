#include <fstream>

#include <gtest/gtest.h>

#include <tally/chain/file_consensus_store.hpp>

#include "support/temp_dir.hpp"

namespace tally::chain {
namespace {

TEST(FileConsensusStore, MissingFileIsAnEmptyStore) {
  test::TempDir directory;
  auto store = FileConsensusStore::open(directory / "consensus", CryptoSuite(SuiteId::standard));
  ASSERT_TRUE(store.has_value()) << store.error().message;
  EXPECT_FALSE(store->load().has_value());
}

TEST(FileConsensusStore, SavedSnapshotSurvivesReopening) {
  test::TempDir directory;
  const CryptoSuite suite(SuiteId::guomi);
  auto store = FileConsensusStore::open(directory / "consensus", suite);
  ASSERT_TRUE(store.has_value());
  store->save(ConsensusSnapshot{7, 2, std::nullopt});
  store->save(ConsensusSnapshot{8, 3, std::nullopt});
  EXPECT_EQ(store->load(), (ConsensusSnapshot{8, 3, std::nullopt}));
  EXPECT_FALSE(std::filesystem::exists(directory / "consensus.tmp"));

  auto reopened = FileConsensusStore::open(directory / "consensus", suite);
  ASSERT_TRUE(reopened.has_value()) << reopened.error().message;
  EXPECT_EQ(reopened->load(), (ConsensusSnapshot{8, 3, std::nullopt}));
}

TEST(FileConsensusStore, DamagedFileIsRefused) {
  test::TempDir directory;
  std::ofstream(directory / "consensus", std::ios::binary) << "not rlp";
  auto store = FileConsensusStore::open(directory / "consensus", CryptoSuite(SuiteId::standard));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, Errc::corrupted);
}

TEST(FileConsensusStore, FileLargerThanAnySnapshotIsRefused) {
  test::TempDir directory;
  std::filesystem::path path = directory / "consensus";
  std::ofstream(path, std::ios::binary) << "x";
  std::filesystem::resize_file(path, kMaxConsensusSnapshotBytes + 1);
  auto store = FileConsensusStore::open(path, CryptoSuite(SuiteId::standard));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, Errc::limit_exceeded);
}

}  // namespace
}  // namespace tally::chain
