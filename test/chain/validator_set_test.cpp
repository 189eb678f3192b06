#include <algorithm>

#include <gtest/gtest.h>

#include <tally/chain/validator_set.hpp>

namespace tally::chain {
namespace {

ValidatorSet make(std::size_t count) {
  std::vector<Address> addresses(count);
  for (std::size_t i = 0; i < count; ++i)
    addresses[i].bytes[0] = static_cast<Byte>(count - i);  // unsorted on purpose
  return *ValidatorSet::create(addresses);
}

TEST(ValidatorSet, QuorumIsCeilingOfTwoThirdsAndToleratesF) {
  const std::vector<std::pair<std::size_t, std::size_t>> expected = {
      {1, 1}, {2, 2}, {3, 2}, {4, 3}, {5, 4}, {6, 4}, {7, 5}, {10, 7}, {100, 67}};
  for (const auto& [n, quorum] : expected) {
    const ValidatorSet set = make(n);
    EXPECT_EQ(set.quorum(), quorum) << n;
    EXPECT_EQ(set.max_faulty(), (n - 1) / 3) << n;
    // Two quorums overlap in more than f validators: at least one honest in common.
    EXPECT_GT(2 * set.quorum(), n + set.max_faulty()) << n;
  }
}

TEST(ValidatorSet, ProposersRotateByBlockNumberAndRound) {
  const ValidatorSet set = make(4);
  EXPECT_EQ(set.proposer(1, 0), set.addresses()[1]);
  EXPECT_EQ(set.proposer(1, 1), set.addresses()[2]);
  EXPECT_EQ(set.proposer(2, 0), set.addresses()[2]);
  EXPECT_EQ(set.proposer(3, 2), set.addresses()[1]);
  EXPECT_TRUE(std::ranges::is_sorted(set.addresses()));
}

TEST(ValidatorSet, RefusesEmptyDuplicateOrOversizedSets) {
  EXPECT_FALSE(ValidatorSet::create({}));
  EXPECT_FALSE(ValidatorSet::create({Address{}, Address{}}));
  EXPECT_EQ(ValidatorSet::create(std::vector<Address>(257)).error().code, Errc::limit_exceeded);
}

TEST(ValidatorSet, FindsItsMembers) {
  const ValidatorSet set = make(7);
  for (std::size_t i = 0; i < 7; ++i)
    EXPECT_EQ(set.index_of(set.addresses()[i]), i);
  Address stranger;
  stranger.bytes[0] = 0xff;
  EXPECT_FALSE(set.contains(stranger));
}

}  // namespace
}  // namespace tally::chain
