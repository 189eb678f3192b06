// verify_finality and the seal hashes (finality.hpp, block_seal.hpp), in both suites.
#include <gtest/gtest.h>

#include <tally/chain/finality.hpp>

#include "chain/qbft_fixture.hpp"

namespace tally::chain::test {
namespace {

class Finality : public ::testing::TestWithParam<SuiteId> {
 protected:
  Validators v{GetParam(), 4};
  Block block = v.block();
  Hash256 digest = v.digest(block);

  Bytes seal(std::size_t validator, std::uint32_t round, const KeyPair* key = nullptr) const {
    const KeyPair& signer = key != nullptr ? *key : v.key_of(v.validator(validator));
    const Signature signature = *v.suite().sign(commit_seal_hash(digest, round, v.suite()), signer);
    return Bytes(signature.encoded().begin(), signature.encoded().end());
  }
  Block sealed(std::uint32_t round, std::vector<Bytes> seals) const {
    return *seal_block(block, round, std::move(seals));
  }
};

INSTANTIATE_TEST_SUITE_P(Suites,
                         Finality,
                         ::testing::Values(SuiteId::standard, SuiteId::guomi),
                         suite_param_name);

TEST_P(Finality, AQuorumOfSealsFromValidatorsIsFinal) {
  EXPECT_TRUE(verify_finality(sealed(2, {seal(0, 2), seal(1, 2), seal(3, 2)}), v.set(), v.suite()));
  EXPECT_TRUE(verify_finality(sealed(2, {seal(0, 2), seal(1, 2), seal(2, 2), seal(3, 2)}), v.set(),
                              v.suite()));
}

TEST_P(Finality, FewerThanAQuorumIsNotFinal) {
  EXPECT_FALSE(verify_finality(sealed(0, {seal(0, 0), seal(1, 0)}), v.set(), v.suite()));
  EXPECT_FALSE(verify_finality(block, v.set(), v.suite()));
}

TEST_P(Finality, ASealFromANonValidatorRefusesTheBlock) {
  EXPECT_FALSE(
      verify_finality(sealed(0, {seal(0, 0), seal(1, 0), seal(2, 0), seal(0, 0, &v.outsider())}),
                      v.set(), v.suite()));
}

TEST_P(Finality, ARepeatedSealDoesNotCountTwice) {
  EXPECT_FALSE(
      verify_finality(sealed(0, {seal(0, 0), seal(1, 0), seal(1, 0)}), v.set(), v.suite()));
}

TEST_P(Finality, SealsBindTheRoundInTheHeader) {
  EXPECT_FALSE(
      verify_finality(sealed(1, {seal(0, 0), seal(1, 0), seal(2, 0)}), v.set(), v.suite()));
}

TEST_P(Finality, SealsBindTheBlock) {
  Block other = sealed(0, {seal(0, 0), seal(1, 0), seal(2, 0)});
  other.header.state_root.bytes[0] ^= 1;
  EXPECT_FALSE(verify_finality(other, v.set(), v.suite()));
}

TEST_P(Finality, AnotherValidatorSetIsRefused) {
  const Validators seven(GetParam(), 7);
  EXPECT_FALSE(
      verify_finality(sealed(0, {seal(0, 0), seal(1, 0), seal(2, 0)}), seven.set(), v.suite()));
}

TEST_P(Finality, TheDigestIgnoresRoundAndSealsButNotContent) {
  const Block final = sealed(3, {seal(0, 3), seal(1, 3), seal(2, 3)});
  EXPECT_EQ(v.digest(final), digest);
  EXPECT_NE(v.digest(v.block(100, "other")), digest);
  EXPECT_NE(commit_seal_hash(digest, 0, v.suite()), commit_seal_hash(digest, 1, v.suite()));
}

}  // namespace
}  // namespace tally::chain::test
