// The engine as a state machine, driven by hand: four engines, messages delivered in order, the
// execution answered at once, timers fired when a test says so.
#include <deque>
#include <functional>
#include <map>

#include <gtest/gtest.h>

#include <tally/chain/finality.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/qbft_engine.hpp>

#include "chain/qbft_fixture.hpp"

namespace tally::chain::test {
namespace {

class Cluster {
 public:
  explicit Cluster(SuiteId suite = SuiteId::standard) : v(suite, 4) {
    for (std::size_t i = 0; i < 4; ++i) {
      stores.push_back(std::make_unique<MemoryConsensusStore>(v.suite()));
      committed.emplace_back();
      restart(i);
    }
  }

  void restart(std::size_t node) {
    engines.resize(4);
    const BlockHeader head = committed[node].empty() ? v.genesis() : committed[node].back().header;
    engines[node] =
        std::make_unique<QbftEngine>(EngineConfig{v.suite(), v.set(), 1, 1'000, 8'000, nullptr},
                                     v.key_of(v.validator(node)), *stores[node], head);
    perform(node, engines[node]->start(now));
  }

  void deliver(std::size_t node, decltype(Event::what) what) {
    perform(node, engines[node]->handle(Event{now, std::move(what)}));
  }
  void txs_everywhere(std::size_t pending) {
    pool = pending;
    for (std::size_t i = 0; i < 4; ++i)
      deliver(i, TxsAvailable{pending});
  }
  void run() {
    while (!inbox.empty()) {
      auto [node, bytes] = std::move(inbox.front());
      inbox.pop_front();
      deliver(node, MessageReceived{std::move(bytes)});
    }
  }
  void fire_round_timers() {
    for (std::size_t i = 0; i < 4; ++i) {
      const auto found = round_timers.find(i);
      if (found == round_timers.end())
        continue;
      now += found->second.delay_ms;
      deliver(i, TimerFired{TimerKind::round, found->second.token});
    }
  }

  Validators v;
  std::uint64_t now = kNowMs;
  std::size_t pool = 0;  // txs submitted; each block takes one
  std::vector<std::unique_ptr<MemoryConsensusStore>> stores;
  std::vector<std::unique_ptr<QbftEngine>> engines;
  std::vector<std::vector<Block>> committed;
  std::deque<std::pair<std::size_t, Bytes>> inbox;
  std::map<std::size_t, SetTimer> round_timers;
  std::vector<std::pair<std::size_t, Message>> sent;  // everything broadcast, decoded
  std::function<bool(const Message&)> drop = [](const Message&) { return false; };

 private:
  void perform(std::size_t node, std::vector<Action> actions) {
    for (Action& action : actions) {
      if (auto* broadcast = std::get_if<Broadcast>(&action)) {
        const Message message = *Message::decode(broadcast->message, v.suite(), signers_);
        sent.emplace_back(node, message);
        for (std::size_t to = 0; to < 4; ++to) {
          if (to != node && !drop(message))
            inbox.emplace_back(to, broadcast->message);
        }
      } else if (auto* send = std::get_if<SendTo>(&action)) {
        inbox.emplace_back(*v.set().index_of(send->validator), send->message);
      } else if (auto* timer = std::get_if<SetTimer>(&action)) {
        if (timer->kind == TimerKind::round)
          round_timers[node] = *timer;
      } else if (auto* build = std::get_if<BuildBlock>(&action)) {
        if (committed[node].size() >= pool) {
          perform(node, engines[node]->handle(Event{now, BlockBuilt{std::nullopt}}));
          continue;
        }
        Block block;
        block.header.parent_hash = *block_digest(build->parent, v.suite());
        block.header.block_number = build->block_number;
        block.header.timestamp = build->timestamp;
        block.header.beneficiary = build->beneficiary;
        block.header.extra_data = build->extra_data;
        block.header.difficulty = u256(1);
        block.txs.push_back(to_bytes(str_cat("tx by node ", node)));
        block.header.transactions_root = ordered_trie_root(block.txs, v.suite());
        perform(node, engines[node]->handle(Event{now, BlockBuilt{block}}));
      } else if (auto* validate = std::get_if<ValidateBlock>(&action)) {
        const Hash256 digest = *block_digest(validate->block.header, v.suite());
        perform(node, engines[node]->handle(Event{now, BlockValidated{digest, true}}));
      } else if (auto* commit = std::get_if<CommitBlock>(&action)) {
        committed[node].push_back(commit->block);
        const std::size_t left = pool - std::min(pool, committed[node].size());
        perform(node, engines[node]->handle(Event{now, TxsAvailable{left}}));
      }
    }
  }
  SignerCache signers_;
};

class QbftEngineTest : public ::testing::TestWithParam<SuiteId> {};

INSTANTIATE_TEST_SUITE_P(Suites,
                         QbftEngineTest,
                         ::testing::Values(SuiteId::standard, SuiteId::guomi),
                         suite_param_name);

TEST_P(QbftEngineTest, FourValidatorsFinaliseOneBlockSealedByAQuorum) {
  Cluster cluster(GetParam());
  cluster.txs_everywhere(1);
  cluster.run();
  const Hash256 digest = cluster.v.digest(cluster.committed[0].at(0));
  for (std::size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(cluster.committed[i].size(), 1u) << i;
    const Block& block = cluster.committed[i][0];
    EXPECT_TRUE(verify_finality(block, cluster.v.set(), cluster.v.suite()));
    EXPECT_EQ(cluster.v.digest(block), digest);
    EXPECT_EQ(block.header.beneficiary, cluster.v.proposer(0));
    EXPECT_EQ(cluster.engines[i]->block_number(), 2u);
  }
}

TEST(QbftEngine, AnIdleEngineSendsNothingAndSetsNoTimer) {
  Cluster cluster;
  cluster.txs_everywhere(0);
  EXPECT_TRUE(cluster.sent.empty());
  EXPECT_TRUE(cluster.round_timers.empty());
}

TEST(QbftEngine, RoundTimeoutsDoubleUpToTheCap) {
  Cluster cluster;
  const QbftEngine& engine = *cluster.engines[0];
  EXPECT_EQ(engine.timeout_ms(0), 1'000u);
  EXPECT_EQ(engine.timeout_ms(1), 2'000u);
  EXPECT_EQ(engine.timeout_ms(3), 8'000u);
  EXPECT_EQ(engine.timeout_ms(4), 8'000u);
  EXPECT_EQ(engine.timeout_ms(4'000'000'000u), 8'000u);
}

TEST(QbftEngine, FutureBlockMessagesAreBufferedWithinBoundsPerSender) {
  Cluster cluster;
  const KeyPair& sender = cluster.v.key_of(cluster.v.validator(1));
  for (std::uint32_t round = 0; round < kMaxFutureMessagesPerSender + 5; ++round) {
    const Payload payload{MessageType::prepare, 2, round, Hash256{}, std::nullopt, {}};
    cluster.deliver(0,
                    MessageReceived{Message{cluster.v.sign(payload, sender), {}, {}, {}}.encode()});
  }
  const Payload far{MessageType::prepare, 2 + kMaxFutureBlocks, 0, Hash256{}, std::nullopt, {}};
  cluster.deliver(0, MessageReceived{Message{
                         cluster.v.sign(far, cluster.v.key_of(cluster.v.validator(2))), {}, {}, {}}
                                         .encode()});
  const EngineCounters& counters = cluster.engines[0]->counters();
  EXPECT_EQ(counters.buffered, kMaxFutureMessagesPerSender);
  EXPECT_EQ(counters.over_limit, 6u);
}

TEST(QbftEngine, StaleDuplicateAndForeignMessagesAreDropped) {
  Cluster cluster;
  cluster.txs_everywhere(1);
  cluster.run();
  ASSERT_EQ(cluster.engines[0]->block_number(), 2u);
  const EngineCounters before = cluster.engines[0]->counters();
  const Bytes stale =
      Message{cluster.v.prepare(cluster.v.validator(1), 0, Hash256{}), {}, {}, {}}.encode();
  cluster.deliver(0, MessageReceived{stale});
  EXPECT_EQ(cluster.engines[0]->counters().stale, before.stale + 1);

  Payload vote{MessageType::prepare, 2, 0, Hash256{}, std::nullopt, {}};
  const Bytes once =
      Message{cluster.v.sign(vote, cluster.v.key_of(cluster.v.validator(1))), {}, {}, {}}.encode();
  cluster.deliver(0, MessageReceived{once});
  cluster.deliver(0, MessageReceived{once});
  vote.digest.bytes[0] = 1;  // the same validator and round, another block: counts once too
  cluster.deliver(0, MessageReceived{Message{
                         cluster.v.sign(vote, cluster.v.key_of(cluster.v.validator(1))), {}, {}, {}}
                                         .encode()});
  EXPECT_EQ(cluster.engines[0]->counters().duplicate, before.duplicate + 2);

  cluster.deliver(
      0, MessageReceived{Message{cluster.v.sign(vote, cluster.v.outsider()), {}, {}, {}}.encode()});
  cluster.deliver(0, MessageReceived{Bytes{0xc0}});
  EXPECT_EQ(cluster.engines[0]->counters().refused, before.refused + 1);
  EXPECT_EQ(cluster.engines[0]->counters().undecodable, before.undecodable + 1);
}

TEST(QbftEngine, AProposalTooFarInTheFutureIsDropped) {
  Cluster cluster;
  const std::uint32_t round = kMaxFutureRounds + 1;
  Message proposal = cluster.v.proposal(round, cluster.v.block());
  cluster.deliver(0, MessageReceived{proposal.encode()});
  EXPECT_EQ(cluster.engines[0]->counters().over_limit, 1u);
}

// Prepared everywhere but no commit arrives: the round changes carry the certificate, and the
// next proposer must re-propose that very block, which then finalises.
TEST_P(QbftEngineTest, APreparedBlockSurvivesARoundChange) {
  Cluster cluster(GetParam());
  cluster.drop = [](const Message& message) {
    return message.payload().type == MessageType::commit;
  };
  cluster.txs_everywhere(1);
  cluster.run();
  ASSERT_TRUE(cluster.engines[0]->prepared().has_value());
  const Hash256 prepared = cluster.v.digest(cluster.engines[0]->prepared()->block);
  for (const auto& committed : cluster.committed)
    EXPECT_TRUE(committed.empty());

  cluster.drop = [](const Message&) { return false; };
  cluster.fire_round_timers();
  cluster.run();
  for (std::size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(cluster.committed[i].size(), 1u) << i;
    EXPECT_EQ(cluster.v.digest(cluster.committed[i][0]), prepared);
    EXPECT_TRUE(verify_finality(cluster.committed[i][0], cluster.v.set(), cluster.v.suite()));
  }
  const auto reproposal = std::ranges::find_if(cluster.sent, [](const auto& entry) {
    return entry.second.payload().type == MessageType::proposal &&
           entry.second.payload().round == 1;
  });
  ASSERT_NE(reproposal, cluster.sent.end());
  EXPECT_EQ(reproposal->second.payload().digest, prepared);
}

TEST_P(QbftEngineTest, ARestartedValidatorResumesAfterItsSavedRoundWithItsCertificate) {
  Cluster cluster(GetParam());
  cluster.drop = [](const Message& message) {
    return message.payload().type == MessageType::commit;
  };
  cluster.txs_everywhere(1);
  cluster.run();
  const auto saved = cluster.stores[2]->load();
  ASSERT_TRUE(saved && saved->prepared);
  EXPECT_EQ(saved->block_number, 1u);
  EXPECT_EQ(saved->round, 0u);

  cluster.sent.clear();
  cluster.restart(2);  // the engine is gone; only the store remains
  EXPECT_EQ(cluster.engines[2]->round(), 1u);
  ASSERT_EQ(cluster.sent.size(), 1u);
  const Message& change = cluster.sent[0].second;
  EXPECT_EQ(change.payload().type, MessageType::round_change);
  EXPECT_EQ(change.payload().round, 1u);
  EXPECT_EQ(change.payload().prepared_round, 0u);
  EXPECT_EQ(*change.block, saved->prepared->block);
  EXPECT_EQ(cluster.stores[2]->load()->round, 1u);
}

TEST(ConsensusSnapshot, RoundTripsAndRefusesAnotherVersion) {
  const Validators v(SuiteId::standard, 4);
  const Block block = v.block();
  const ConsensusSnapshot snapshot{
      9, 3, PreparedCertificate{2, block, v.prepares(2, v.digest(block), 3)}};
  EXPECT_EQ(ConsensusSnapshot::decode(snapshot.encode(), v.suite()).value(), snapshot);
  const ConsensusSnapshot empty{1, 0, std::nullopt};
  EXPECT_EQ(ConsensusSnapshot::decode(empty.encode(), v.suite()).value(), empty);
  Bytes other = snapshot.encode();
  other[other[0] >= 0xf8 ? 1 + (other[0] - 0xf7) : 1] = 2;  // the version field
  EXPECT_EQ(ConsensusSnapshot::decode(other, v.suite()).error().code, Errc::unsupported);
}

}  // namespace
}  // namespace tally::chain::test
