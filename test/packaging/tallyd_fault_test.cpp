// Crash, stop, restart and catch-up with four real tallyd validators on loopback (`tally init`),
// under a steady load of signed transfers sent over JSON-RPC:
// - a validator killed with SIGKILL does not stop the other three from finalising; restarted on the
//   data the crash left, it catches up by block sync and rejoins consensus (proven by then killing
//   another validator: the chain only goes on if the restarted node votes);
// - a validator stopped while the others finalise more blocks than one sync response carries
//   catches up over several responses;
// - all four killed at once restart, agree, keep every final tx and go on;
// - a validator restarted on an idle chain catches up (peers exchange heads on connect);
// - an observer killed, and killed again while catching up, catches up;
// and at the end every node has the same head and state root and every tx the client sent has its
// receipt on every node.

#include <algorithm>
#include <iostream>
#include <numeric>
#include <sstream>

#include <gtest/gtest.h>

#include <tally/chain/sync_message.hpp>

#include "packaging/process_cluster.hpp"

namespace tally::test {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kValidators = 4;
// A dead validator proposes every fourth block's first round: a short round timeout keeps the
// chain quick while one is down.
constexpr std::uint64_t kRoundTimeoutMs = 300;
constexpr auto kLoadInterval = 15ms;
// For any one step; a step normally takes a few seconds at most.
constexpr auto kLimit = 30s;

// What the host's "synced to block" log lines say: how many commits of synced blocks, and how many
// blocks in all.
struct SyncedFromLog {
  std::size_t commits = 0;
  std::uint64_t blocks = 0;
};
SyncedFromLog synced_from_log(const std::string& log) {
  SyncedFromLog out;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t at = line.find("\"blocks\":");
    if (line.find("\"msg\":\"synced to block\"") == std::string::npos || at == std::string::npos)
      continue;
    ++out.commits;
    out.blocks += std::stoull(line.substr(at + 9));
  }
  return out;
}

class TallydFault : public ::testing::Test {
 protected:
  virtual std::size_t observers() const { return 0; }

  void SetUp() override {
    ASSERT_TRUE(cluster_.init({kValidators, observers(), kRoundTimeoutMs}));
    for (std::size_t i = 0; i < cluster_.size(); ++i)
      ASSERT_TRUE(cluster_.start(i));
    ASSERT_TRUE(eventually(
        [&] {
          for (std::size_t i = 0; i < cluster_.size(); ++i) {
            if (!cluster_.head(i))
              return false;
          }
          return true;
        },
        kLimit))
        << cluster_.all_logs();
  }

  void TearDown() override {
    if (HasFailure())
      std::cerr << cluster_.all_logs();
  }

  std::uint64_t head(std::size_t node) const { return cluster_.head(node).value_or(0); }

  // Whether node `node`'s head reaches `block_number` in time.
  bool reaches(std::size_t node, std::uint64_t block_number) const {
    return eventually([&] { return head(node) >= block_number; }, kLimit);
  }

  // After the load: every tx sent becomes final, then all nodes agree on the head and state root
  // and each has every receipt.
  void expect_consistent_cluster(const std::vector<std::string>& sent) {
    ASSERT_FALSE(sent.empty());
    const std::set<std::string> all(sent.begin(), sent.end());
    ASSERT_TRUE(eventually([&] { return cluster_.receipts(0, sent) == all; }, kLimit))
        << cluster_.receipts(0, sent).size() << " of " << sent.size() << " receipts on node 1";
    std::vector<std::size_t> nodes(cluster_.size());
    std::iota(nodes.begin(), nodes.end(), 0);
    ASSERT_TRUE(eventually([&] { return cluster_.heads_agree(nodes); }, kLimit));
    for (const std::size_t i : nodes)
      EXPECT_EQ(cluster_.receipts(i, sent), all) << "node " << i + 1;
  }

  ProcessCluster cluster_;
};

TEST_F(TallydFault, KilledValidatorCatchesUpBySyncAndRejoinsConsensus) {
  TransferLoad load(cluster_, {0, 2}, kLoadInterval);
  load.start();
  ASSERT_TRUE(reaches(0, 5));

  cluster_.kill(3);
  const std::uint64_t at_kill = head(0);
  ASSERT_TRUE(reaches(0, at_kill + 10)) << "three validators keep finalising";

  ASSERT_TRUE(cluster_.start(3));
  const std::uint64_t at_restart = head(0);
  ASSERT_GT(at_restart, at_kill + 9);
  ASSERT_TRUE(reaches(3, at_restart)) << "the restarted validator catches up";
  // The host logs a commit of synced blocks once it is done, just after RPC shows the head.
  EXPECT_TRUE(eventually([&] { return synced_from_log(cluster_.logs(3)).blocks > 0; }, kLimit));

  // Quorum is 3 of 4: with node 2 dead, nodes 1, 3 and 4 finalise only if node 4 votes again.
  cluster_.kill(1);
  const std::uint64_t at_second_kill = head(0);
  ASSERT_TRUE(reaches(0, at_second_kill + 10)) << "the restarted validator votes";
  ASSERT_TRUE(cluster_.start(1));
  ASSERT_TRUE(reaches(1, head(0)));

  load.stop();
  expect_consistent_cluster(load.sent());
}

TEST_F(TallydFault, StoppedValidatorCatchesUpOverSeveralSyncResponses) {
  TransferLoad load(cluster_, {0, 1}, kLoadInterval);
  load.start();
  ASSERT_TRUE(reaches(0, 3));

  ASSERT_EQ(cluster_.stop(3), std::optional<int>(0));
  const std::uint64_t at_stop = head(0);
  // More blocks than one Blocks response carries, so catching up takes several.
  constexpr std::uint64_t kGap = chain::kMaxBlocksPerResponse + 16;
  ASSERT_TRUE(reaches(0, at_stop + kGap));

  ASSERT_TRUE(cluster_.start(3));
  const std::uint64_t at_restart = head(0);
  ASSERT_TRUE(reaches(3, at_restart));
  // By sync (consensus decides only the block the others are on), in more than one response:
  // one carries at most kMaxBlocksPerResponse blocks. Not necessarily in more than one commit:
  // responses from two peers that arrive out of order are committed together once contiguous.
  EXPECT_TRUE(eventually(
      [&] { return synced_from_log(cluster_.logs(3)).blocks > chain::kMaxBlocksPerResponse; },
      kLimit));

  load.stop();
  expect_consistent_cluster(load.sent());
}

// Every validator killed at once (a power cut in a one-room test consortium): restarted on what the
// crash left, they agree again and go on, and no tx that was final before the crash is lost.
TEST_F(TallydFault, WholeConsortiumKilledAndRestartedKeepsEveryFinalTx) {
  TransferLoad before(cluster_, {0, 1, 2, 3}, kLoadInterval);
  before.start();
  ASSERT_TRUE(reaches(0, 20));
  before.stop();
  // The txs final before the crash; the rest may still be in pools, which do not survive.
  const std::vector<std::string> sent = before.sent();
  const std::set<std::string> final_before = cluster_.receipts(0, sent);
  ASSERT_FALSE(final_before.empty());
  for (std::size_t i = 0; i < kValidators; ++i)
    cluster_.kill(i);

  for (std::size_t i = 0; i < kValidators; ++i)
    ASSERT_TRUE(cluster_.start(i));
  std::vector<std::size_t> nodes(kValidators);
  std::iota(nodes.begin(), nodes.end(), 0);
  ASSERT_TRUE(eventually([&] { return cluster_.heads_agree(nodes); }, kLimit));
  for (std::size_t i = 0; i < kValidators; ++i) {
    const std::set<std::string> kept = cluster_.receipts(i, sent);
    EXPECT_TRUE(std::ranges::includes(kept, final_before)) << "node " << i + 1;
  }

  // The chain goes on from the account's next nonce as the ledger has it.
  const auto nonce = cluster_.call(0, "eth_getTransactionCount", {before.sender().hex(), "latest"});
  ASSERT_TRUE(nonce && nonce->is_string());
  const std::uint64_t head_after_restart = head(0);
  TransferLoad after(cluster_, {0, 1, 2, 3}, kLoadInterval,
                     std::stoull(std::string(nonce->as_string()), nullptr, 16));
  after.start();
  ASSERT_TRUE(reaches(0, head_after_restart + 10));
  after.stop();
  expect_consistent_cluster(after.sent());
}

// With no load the others commit nothing and so announce their head only every 5 s; the restarted
// node learns it at once from the Status peers exchange when they connect (the deterministic check
// of that is ConsensusHostAlone.TellsAPeerThatConnectsItsHead). The time taken is recorded
// (catch_up_ms), not bounded: a message lost when two peers replace a duplicate connection costs
// BlockSync's 5 s request time-out, as a missed announcement would (see packaging/README.md).
TEST_F(TallydFault, RestartedValidatorOfAnIdleChainCatchesUp) {
  ASSERT_EQ(cluster_.stop(3), std::optional<int>(0));
  TransferLoad load(cluster_, {0, 1}, kLoadInterval);
  load.start();
  ASSERT_TRUE(reaches(0, 10));
  load.stop();
  const std::vector<std::string> sent = load.sent();
  const std::set<std::string> all(sent.begin(), sent.end());
  ASSERT_TRUE(eventually([&] { return cluster_.receipts(0, sent) == all; }, kLimit));
  ASSERT_TRUE(eventually([&] { return cluster_.heads_agree({0, 1, 2}); }, kLimit));
  const std::uint64_t idle_head = head(0);

  const auto restarted = std::chrono::steady_clock::now();
  ASSERT_TRUE(cluster_.start(3));
  ASSERT_TRUE(reaches(3, idle_head));
  const auto took = std::chrono::steady_clock::now() - restarted;
  RecordProperty(
      "catch_up_ms",
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
  EXPECT_TRUE(cluster_.heads_agree({0, 1, 2, 3}));
  EXPECT_EQ(cluster_.receipts(3, sent), all);
}

class TallydFaultWithObserver : public TallydFault {
 protected:
  static constexpr std::size_t kObserver = kValidators;
  std::size_t observers() const override { return 1; }
};

// An observer runs no consensus: everything it has comes from sync, before and after a crash,
// and also after a crash in the middle of catching up.
TEST_F(TallydFaultWithObserver, KilledObserverCatchesUpBySyncEvenWhenKilledWhileCatchingUp) {
  TransferLoad load(cluster_, {0, 1}, kLoadInterval);
  load.start();
  ASSERT_TRUE(reaches(kObserver, 5)) << "the observer follows";
  cluster_.kill(kObserver);
  const std::uint64_t at_kill = head(0);
  // All validators are up: blocks come quickly.
  ASSERT_TRUE(reaches(0, at_kill + 2 * chain::kMaxBlocksPerResponse));

  ASSERT_TRUE(cluster_.start(kObserver));
  const std::uint64_t at_restart = head(0);
  ASSERT_TRUE(reaches(kObserver, at_kill + chain::kMaxBlocksPerResponse / 2));
  cluster_.kill(kObserver);  // most likely in the middle of a commit of synced blocks
  ASSERT_TRUE(cluster_.start(kObserver));
  ASSERT_TRUE(reaches(kObserver, at_restart));
  EXPECT_TRUE(
      eventually([&] { return synced_from_log(cluster_.logs(kObserver)).commits >= 2; }, kLimit));
  load.stop();
  expect_consistent_cluster(load.sent());
}

}  // namespace
}  // namespace tally::test
