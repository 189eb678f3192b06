// duplicate_pairs (duplicate_key.hpp): which records repeat an earlier one, told from 8-byte key
// prefixes with the whole keys read back only where prefixes meet. Real SHA-256 prefixes never
// collide in a test, so here the marks and whole keys are made up: two keys share a prefix.

#include <map>

#include <gtest/gtest.h>

#include <tally/reconcile/duplicate_key.hpp>

namespace tally::reconcile {
namespace {

Hash256 key_of(std::uint64_t value) {
  Hash256 key;
  for (std::size_t i = 0; i < 8; ++i)
    key.data()[24 + i] = static_cast<Byte>(value >> (8 * i));
  return key;
}

// Records by seq: their whole key (by a small number) and the prefix their mark carries.
struct Staged {
  std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> records;  // seq -> (key, prefix)
  std::vector<std::uint64_t> reads;

  std::vector<DuplicateMark> marks() const {
    std::vector<DuplicateMark> out;
    for (const auto& [seq, record] : records)
      out.push_back({record.second, seq});
    return out;
  }
  WholeKeyReader reader() {
    return [this](std::uint64_t seq) -> Result<Hash256> {
      reads.push_back(seq);
      return key_of(records.at(seq).first);
    };
  }
};

TEST(DuplicatePairs, EqualPrefixesAreToldApartByTheWholeKey) {
  Staged staged;
  // Keys 1 and 2 share prefix 7; key 3 has prefix 9 alone; key 1 repeats at 4, key 2 at 5.
  staged.records = {{0, {1, 7}}, {1, {2, 7}}, {2, {3, 9}}, {4, {1, 7}}, {5, {2, 7}}};
  auto marks = staged.marks();
  const auto pairs = duplicate_pairs(marks, 10, staged.reader()).value();
  EXPECT_EQ(pairs, (std::vector<DuplicatePair>{{4, 0}, {5, 1}}));
  // Seq 2's prefix is alone: never read back.
  EXPECT_EQ(std::count(staged.reads.begin(), staged.reads.end(), 2u), 0);
}

TEST(DuplicatePairs, EachLaterRecordIsPairedWithTheFirstOfItsKeyInLaterOrder) {
  Staged staged;
  staged.records = {{3, {5, 1}}, {8, {6, 2}}, {9, {5, 1}}, {12, {6, 2}}, {20, {5, 1}}};
  auto marks = staged.marks();
  const auto pairs = duplicate_pairs(marks, 10, staged.reader()).value();
  EXPECT_EQ(pairs, (std::vector<DuplicatePair>{{9, 3}, {12, 8}, {20, 3}}));
}

TEST(DuplicatePairs, TheLimitKeepsTheSmallestLaterSeqsAndReadsNoMoreThanItNeeds) {
  Staged staged;
  // One movement repeated 10,000 times, and an early repeat of another at the very end of the
  // marks' order (its prefix sorts last).
  for (std::uint64_t seq = 100; seq < 10'100; ++seq)
    staged.records[seq] = {1, 5};
  staged.records[0] = {2, 9};
  staged.records[50] = {2, 9};
  auto marks = staged.marks();
  const auto pairs = duplicate_pairs(marks, 3, staged.reader()).value();
  EXPECT_EQ(pairs, (std::vector<DuplicatePair>{{50, 0}, {101, 100}, {102, 100}}));
  EXPECT_LE(staged.reads.size(), 10u);  // not 10,002
}

TEST(DuplicatePairs, AFileTwiceOverCostsAboutTheLimitInReads) {
  Staged staged;
  // Movements 0..19,999 and then all of them again: every prefix is a run of two.
  constexpr std::uint64_t kMovements = 20'000;
  for (std::uint64_t i = 0; i < kMovements; ++i) {
    staged.records[i] = {i, i * 7 + 1};
    staged.records[kMovements + i] = {i, i * 7 + 1};
  }
  auto marks = staged.marks();
  const auto pairs = duplicate_pairs(marks, 100, staged.reader()).value();
  ASSERT_EQ(pairs.size(), 100u);
  for (std::uint64_t i = 0; i < 100; ++i)
    EXPECT_EQ(pairs[i], (DuplicatePair{kMovements + i, i}));
  // Runs whose second mark is past the hundredth pair are not read at all.
  EXPECT_LT(staged.reads.size(), 3'000u);
}

TEST(DuplicatePairs, ALimitOfZeroReadsNothingAndAReadErrorIsReturned) {
  Staged staged;
  staged.records = {{0, {1, 7}}, {1, {1, 7}}};
  auto marks = staged.marks();
  EXPECT_TRUE(duplicate_pairs(marks, 0, staged.reader()).value().empty());
  EXPECT_TRUE(staged.reads.empty());
  const auto failed = duplicate_pairs(
      marks, 5, [](std::uint64_t) -> Result<Hash256> { return fail(Errc::io_error, "disk gone"); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "disk gone");
}

TEST(DuplicatePairs, AMarkCarriesTheKeysFirstEightBytes) {
  Hash256 key;
  for (std::size_t i = 0; i < 32; ++i)
    key.data()[i] = static_cast<Byte>(i + 1);
  const DuplicateMark mark = duplicate_mark(key, 42);
  EXPECT_EQ(mark.seq, 42u);
  EXPECT_EQ(mark.key_prefix, 0x0807060504030201u);  // little-endian, as on this machine
}

}  // namespace
}  // namespace tally::reconcile
