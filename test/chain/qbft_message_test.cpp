// The consensus wire format (qbft_message.hpp): round trips, signers, and strict refusals.
#include <gtest/gtest.h>

#include "chain/qbft_fixture.hpp"

namespace tally::chain::test {
namespace {

class QbftMessage : public ::testing::TestWithParam<SuiteId> {
 protected:
  Validators v{GetParam(), 4};
  SignerCache signers;
  Block block = v.block();

  Result<Message> round_trip(const Message& message) {
    return Message::decode(message.encode(), v.suite(), signers);
  }
};

INSTANTIATE_TEST_SUITE_P(Suites,
                         QbftMessage,
                         ::testing::Values(SuiteId::standard, SuiteId::guomi),
                         suite_param_name);

TEST_P(QbftMessage, EveryTypeRoundTripsAndNamesItsSigner) {
  Message proposal = v.proposal(1, block);
  proposal.round_changes = {v.round_change(0, 1).signed_payload};
  proposal.prepares = v.prepares(0, v.digest(block), 3);
  const std::vector<Message> messages = {
      proposal,
      Message{v.prepare(v.validator(2), 0, v.digest(block)), {}, {}, {}},
      Message{v.commit(v.key_of(v.validator(3)), 4, v.digest(block)), {}, {}, {}},
      v.round_change(1, 5),
      v.round_change(1, 5, 2, block),
  };
  for (const Message& message : messages) {
    const auto decoded = round_trip(message);
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(*decoded, message);
  }
  EXPECT_EQ(round_trip(messages[1])->signer(), v.validator(2));
}

TEST_P(QbftMessage, RefusesACorruptedSignatureOrPayload) {
  const Message prepare{v.prepare(v.validator(2), 0, v.digest(block)), {}, {}, {}};
  Message corrupted = prepare;
  corrupted.signed_payload.signature[5] ^= 0x40;
  const auto decoded = round_trip(corrupted);
  // Either unreadable or someone else's signature: never validator 2's.
  EXPECT_TRUE(!decoded || decoded->signer() != v.validator(2));

  Bytes tampered = prepare.encode();
  tampered[12] ^= 0x01;  // inside the payload: the signature no longer covers it
  const auto other = Message::decode(tampered, v.suite(), signers);
  EXPECT_TRUE(!other || other->signer() != v.validator(2));
}

TEST_P(QbftMessage, RefusesASignatureOfTheOtherSuite) {
  const Validators other(GetParam() == SuiteId::standard ? SuiteId::guomi : SuiteId::standard, 4);
  const Message prepare{other.prepare(other.validator(0), 0, Hash256{}), {}, {}, {}};
  EXPECT_FALSE(round_trip(prepare));
}

TEST_P(QbftMessage, RefusesPartsATypeDoesNotCarry) {
  Message prepare{v.prepare(v.validator(2), 0, v.digest(block)), block, {}, {}};
  EXPECT_FALSE(round_trip(prepare));
  Message proposal = v.proposal(0, block);
  proposal.block.reset();
  EXPECT_FALSE(round_trip(proposal));
  Message change = v.round_change(1, 5, 2, block);
  change.prepares.clear();
  EXPECT_FALSE(round_trip(change));
}

TEST_P(QbftMessage, RefusesTrailingBytesAndOversizedMessages) {
  Bytes encoded = Message{v.prepare(v.validator(2), 0, Hash256{}), {}, {}, {}}.encode();
  encoded.push_back(0);
  EXPECT_FALSE(Message::decode(encoded, v.suite(), signers));
  const Bytes huge(kMaxConsensusMessageBytes + 1, 0xc0);
  EXPECT_EQ(Message::decode(huge, v.suite(), signers).error().code, Errc::limit_exceeded);
}

TEST_P(QbftMessage, TheSignerCacheAnswersRepeatsWithoutChangingTheAnswer) {
  const Bytes encoded = Message{v.prepare(v.validator(1), 0, Hash256{}), {}, {}, {}}.encode();
  EXPECT_EQ(Message::decode(encoded, v.suite(), signers)->signer(), v.validator(1));
  EXPECT_EQ(Message::decode(encoded, v.suite(), signers)->signer(), v.validator(1));
  EXPECT_EQ(signers.hits(), 1u);
}

}  // namespace
}  // namespace tally::chain::test
