// Every rule a consensus message must pass (qbft_checks.hpp), one test each, in both suites.
#include <gtest/gtest.h>

#include <tally/chain/qbft_checks.hpp>

#include "chain/qbft_fixture.hpp"

namespace tally::chain::test {
namespace {

class QbftChecks : public ::testing::TestWithParam<SuiteId> {
 protected:
  Validators v{GetParam(), 4};
  CheckContext context = v.context();
  Block block = v.block();
  Hash256 digest = v.digest(block);

  // A round 1 proposal justified by round changes from validators 0..count-1, none prepared.
  Message justified_proposal(std::size_t count) {
    Message proposal = v.proposal(1, block);
    for (std::size_t i = 0; i < count; ++i)
      proposal.round_changes.push_back(v.round_change(i, 1).signed_payload);
    return proposal;
  }
};

INSTANTIATE_TEST_SUITE_P(Suites,
                         QbftChecks,
                         ::testing::Values(SuiteId::standard, SuiteId::guomi),
                         suite_param_name);

TEST_P(QbftChecks, AcceptsTheRoundZeroProposalOfItsProposer) {
  EXPECT_EQ(check_proposal(v.proposal(0, block), context).value(), digest);
}

TEST_P(QbftChecks, RefusesAProposalFromAnotherValidatorThanTheRoundsProposer) {
  Message proposal = v.proposal(0, block);
  proposal.signed_payload = v.sign(proposal.payload(), v.key_of(v.proposer(1)));
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, RefusesAProposalSignedByAnOutsider) {
  Message proposal = v.proposal(0, block);
  proposal.signed_payload = v.sign(proposal.payload(), v.outsider());
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, RefusesAProposalForAnotherBlockNumber) {
  Message proposal = v.proposal(0, block);
  Payload payload = proposal.payload();
  payload.block_number = 2;
  proposal.signed_payload = v.sign(payload, v.key_of(v.proposer(0)));
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, RefusesAProposalWhoseDigestIsNotItsBlocks) {
  Message proposal = v.proposal(0, block);
  proposal.block = v.block(100, "another tx");
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, RefusesARoundZeroProposalCarryingAJustification) {
  Message proposal = v.proposal(0, block);
  proposal.round_changes.push_back(v.round_change(0, 1).signed_payload);
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, AcceptsALaterRoundProposalJustifiedByAQuorumOfRoundChanges) {
  EXPECT_EQ(check_proposal(justified_proposal(3), context).value(), digest);
}

TEST_P(QbftChecks, RefusesALaterRoundProposalWithoutJustification) {
  EXPECT_FALSE(check_proposal(v.proposal(1, block), context));
}

TEST_P(QbftChecks, RefusesAJustificationBelowQuorum) {
  EXPECT_FALSE(check_proposal(justified_proposal(2), context));
}

TEST_P(QbftChecks, RefusesAJustificationCountingOneValidatorTwice) {
  Message proposal = justified_proposal(2);
  proposal.round_changes.push_back(v.round_change(0, 1).signed_payload);
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, RefusesAJustificationWithRoundChangesForAnotherRound) {
  Message proposal = justified_proposal(2);
  proposal.round_changes.push_back(v.round_change(2, 2).signed_payload);
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, RefusesAJustificationWithARoundChangeFromAnOutsider) {
  Message proposal = justified_proposal(2);
  Payload payload = v.round_change(2, 1).payload();
  proposal.round_changes.push_back(v.sign(payload, v.outsider()));
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, RequiresTheHighestPreparedBlockToBeReproposed) {
  const Block prepared = v.block(100, "prepared tx");
  Message proposal = v.proposal(2, block);  // a fresh block, not the prepared one
  proposal.round_changes = {v.round_change(0, 2).signed_payload,
                            v.round_change(1, 2, 1, prepared).signed_payload,
                            v.round_change(2, 2).signed_payload};
  proposal.prepares = v.prepares(1, v.digest(prepared), 3);
  EXPECT_FALSE(check_proposal(proposal, context));

  Message reproposal = v.proposal(2, prepared);
  reproposal.round_changes = proposal.round_changes;
  reproposal.prepares = proposal.prepares;
  EXPECT_EQ(check_proposal(reproposal, context).value(), v.digest(prepared));
}

TEST_P(QbftChecks, PrefersTheHighestPreparedRoundOverALowerOne) {
  const Block low = v.block(100, "prepared in round 0");
  const Block high = v.block(100, "prepared in round 1");
  Message proposal = v.proposal(2, low);
  proposal.round_changes = {v.round_change(0, 2, 0, low).signed_payload,
                            v.round_change(1, 2, 1, high).signed_payload,
                            v.round_change(2, 2).signed_payload};
  proposal.prepares = v.prepares(0, v.digest(low), 3);
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, RefusesAReproposalWhosePreparesAreBelowQuorum) {
  const Block prepared = v.block(100, "prepared tx");
  Message proposal = v.proposal(2, prepared);
  proposal.round_changes = {v.round_change(0, 2).signed_payload,
                            v.round_change(1, 2, 1, prepared).signed_payload,
                            v.round_change(2, 2).signed_payload};
  proposal.prepares = v.prepares(1, v.digest(prepared), 2);
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, RefusesPreparesWithoutAPreparedRoundChange) {
  Message proposal = justified_proposal(3);
  proposal.prepares = v.prepares(0, digest, 3);
  EXPECT_FALSE(check_proposal(proposal, context));
}

TEST_P(QbftChecks, CountsEachValidatorsPrepareOnce) {
  std::vector<SignedPayload> prepares = v.prepares(0, digest, 2);
  prepares.push_back(prepares.front());
  EXPECT_FALSE(check_prepares(prepares, 0, digest, context));
  EXPECT_TRUE(check_prepares(v.prepares(0, digest, 3), 0, digest, context));
}

TEST_P(QbftChecks, RefusesAPrepareForADifferentDigestInACertificate) {
  std::vector<SignedPayload> prepares = v.prepares(0, digest, 2);
  prepares.push_back(v.prepare(v.validator(2), 0, v.digest(v.block(100, "other"))));
  EXPECT_FALSE(check_prepares(prepares, 0, digest, context));
}

TEST_P(QbftChecks, RefusesAPrepareOfAnotherRoundInACertificate) {
  std::vector<SignedPayload> prepares = v.prepares(0, digest, 2);
  prepares.push_back(v.prepare(v.validator(2), 1, digest));
  EXPECT_FALSE(check_prepares(prepares, 0, digest, context));
}

TEST_P(QbftChecks, AcceptsARoundChangeWithAValidPreparedCertificate) {
  EXPECT_TRUE(check_round_change(v.round_change(1, 2, 1, block), context));
  EXPECT_TRUE(check_round_change(v.round_change(1, 2), context));
}

TEST_P(QbftChecks, RefusesARoundChangeToRoundZero) {
  EXPECT_FALSE(check_round_change(v.round_change(1, 0), context));
}

TEST_P(QbftChecks, RefusesARoundChangePreparedInItsOwnRoundOrLater) {
  EXPECT_FALSE(check_round_change(v.round_change(1, 2, 2, block), context));
}

TEST_P(QbftChecks, RefusesARoundChangeWhosePreparesAreForAnotherBlock) {
  Message change = v.round_change(1, 2, 1, block);
  change.prepares = v.prepares(1, v.digest(v.block(100, "other")), 3);
  EXPECT_FALSE(check_round_change(change, context));
}

TEST_P(QbftChecks, RefusesARoundChangeFromAnOutsider) {
  Message change = v.round_change(1, 2);
  change.signed_payload = v.sign(change.payload(), v.outsider());
  EXPECT_FALSE(check_round_change(change, context));
}

TEST_P(QbftChecks, AcceptsVotesFromValidators) {
  EXPECT_TRUE(check_vote(Message{v.prepare(v.validator(1), 0, digest), {}, {}, {}}, context));
  EXPECT_TRUE(
      check_vote(Message{v.commit(v.key_of(v.validator(1)), 0, digest), {}, {}, {}}, context));
}

TEST_P(QbftChecks, RefusesVotesFromOutsiders) {
  EXPECT_FALSE(check_vote(Message{v.commit(v.outsider(), 0, digest), {}, {}, {}}, context));
}

TEST_P(QbftChecks, RefusesVotesForAnotherBlockNumber) {
  Payload payload = v.prepare(v.validator(1), 0, digest).payload;
  payload.block_number = 7;
  EXPECT_FALSE(check_vote(Message{v.sign(payload, v.key_of(v.validator(1))), {}, {}, {}}, context));
}

TEST_P(QbftChecks, RefusesACommitWhoseSealIsAnotherValidators) {
  SignedPayload commit = v.commit(v.key_of(v.validator(1)), 0, digest);
  commit.payload.commit_seal = v.commit(v.key_of(v.validator(2)), 0, digest).payload.commit_seal;
  commit = v.sign(commit.payload, v.key_of(v.validator(1)));
  EXPECT_FALSE(check_vote(Message{commit, {}, {}, {}}, context));
}

TEST_P(QbftChecks, RefusesACommitWhoseSealIsForAnotherRound) {
  SignedPayload commit = v.commit(v.key_of(v.validator(1)), 0, digest);
  commit.payload.commit_seal = v.commit(v.key_of(v.validator(1)), 1, digest).payload.commit_seal;
  commit = v.sign(commit.payload, v.key_of(v.validator(1)));
  EXPECT_FALSE(check_vote(Message{commit, {}, {}, {}}, context));
}

TEST_P(QbftChecks, RefusesBlocksBreakingAHeaderRule) {
  const auto refused = [&](auto change) {
    Block bad = block;
    change(bad);
    return !check_block(bad, context).has_value();
  };
  EXPECT_TRUE(refused([](Block& b) { b.header.block_number = 2; }));
  EXPECT_TRUE(refused([](Block& b) { b.header.parent_hash = Hash256{}; }));
  EXPECT_TRUE(refused([](Block& b) { b.txs.clear(); }));
  EXPECT_TRUE(refused([](Block& b) { b.txs.push_back(to_bytes("smuggled")); }));
  EXPECT_TRUE(refused([](Block& b) { b.header.timestamp = 0; }));  // within the block period
  EXPECT_TRUE(refused([](Block& b) { b.header.timestamp = kNowMs / 1000 + 16; }));  // future
  EXPECT_TRUE(refused([&](Block& b) { b.header.beneficiary = Address{}; }));
  EXPECT_TRUE(refused([&](Block& b) {
    b.header.extra_data = ConsensusExtra{{}, v.set().addresses(), 3, {}}.encode();
  }));
  EXPECT_TRUE(refused([&](Block& b) {
    b.header.extra_data = ConsensusExtra{{}, {v.validator(0)}, 0, {}}.encode();
  }));
  EXPECT_FALSE(refused([](Block&) {}));
}

}  // namespace
}  // namespace tally::chain::test
