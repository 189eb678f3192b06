// BlockSync (block_sync.hpp) driving a real BlockExecutor: a node far behind catches up from its
// peers, refusing what a lying peer serves and asking another; bad responses are refused.
#include <deque>
#include <functional>
#include <map>

#include <gtest/gtest.h>

#include <tally/chain/block_sync.hpp>
#include <tally/chain/qbft_engine.hpp>

#include "chain/chain_fixture.hpp"
#include "support/temp_dir.hpp"

namespace tally::chain::test {
namespace {

constexpr std::uint64_t kBehind = 50;

// What a peer answers to a request; nullopt: it stays silent.
using Server = std::function<std::optional<BlocksResponse>(const GetBlocks&)>;

class BlockSyncTest : public ::testing::Test {
 protected:
  BlockSyncTest() {
    grow_chain(chain_, source_, kBehind);
    EXPECT_EQ(source_.ledger.head()->block_number, kBehind);
  }

  SyncConfig config() const {
    SyncConfig config{chain_.suite(), chain_.validators()};
    config.blocks_per_request = 8;
    config.max_outstanding = 4;
    config.request_timeout_ms = 5'000;
    config.penalty_ms = 30'000;
    return config;
  }

  // The honest answer, from the source node's ledger.
  Server honest() {
    return [this](const GetBlocks& request) {
      return std::optional<BlocksResponse>(serve_get_blocks(source_.ledger, request).value());
    };
  }

  // Runs the syncing node against `servers` until it reaches the source's head or gives up;
  // every message goes through the wire encoding.
  void run(BlockSync& sync, std::map<PeerId, Server> servers) {
    std::deque<SyncAction> actions;
    const auto feed = [&](auto what) {
      for (SyncAction& action : sync.handle(SyncEvent{now_ms_, std::move(what)}))
        actions.push_back(std::move(action));
    };
    for (const auto& [peer, server] : servers) {
      feed(SyncPeerStatus{peer, SyncStatus{kBehind, source_.ledger.head()->hash}});
    }
    for (int steps = 0; steps < 2'000 && target_.ledger.head()->block_number < kBehind; ++steps) {
      if (actions.empty()) {
        now_ms_ += 1'000;
        feed(SyncTick{});
        continue;
      }
      const SyncAction action = std::move(actions.front());
      actions.pop_front();
      if (const auto* send = std::get_if<SyncSendRequest>(&action)) {
        const Bytes request = encode_sync_message(send->request);
        const auto asked = std::get<GetBlocks>(decode_sync_message(request).value());
        const auto answer = servers.at(send->peer)(asked);
        if (!answer)
          continue;
        const auto decoded = decode_sync_message(encode_sync_message(*answer));
        ASSERT_TRUE(decoded) << decoded.error();
        feed(SyncBlocksReceived{send->peer, std::get<BlocksResponse>(*decoded)});
      } else {
        for (const Block& block : std::get<SyncCommit>(action).blocks) {
          const auto committed = commit_(block);
          if (!committed) {
            feed(SyncCommitFailed{block.header.block_number, committed.error()});
            break;
          }
          feed(SyncLocalHead{target_.ledger.head()->block_number, target_.ledger.head()->hash});
        }
      }
    }
  }

  void expect_caught_up() {
    ASSERT_EQ(target_.ledger.head(), source_.ledger.head());
    for (std::uint64_t n = 1; n <= kBehind; ++n) {
      EXPECT_EQ(target_.ledger.block_by_number(n).value(),
                source_.ledger.block_by_number(n).value())
          << "block " << n;
    }
    EXPECT_EQ(target_.balance(chain_.account(1)), source_.balance(chain_.account(1)));
  }

  BlockSync make_sync() { return BlockSync(config(), 0, target_.ledger.head()->hash); }

  TestChain chain_{SuiteId::standard, 4, 2};
  tally::test::TempDir dir_;
  Node source_{chain_, dir_.path() / "source.db"};
  Node target_{chain_, dir_.path() / "target.db"};
  std::uint64_t now_ms_ = 0;
  // How the host writes a block SyncCommit hands on.
  std::function<Result<void>(const Block&)> commit_ = [this](const Block& block) {
    return target_.executor.commit(block);
  };
};

TEST_F(BlockSyncTest, CatchesUpFromTwoPeers) {
  BlockSync sync = make_sync();
  std::map<PeerId, std::size_t> asked;
  Server counting = honest();
  const auto count = [&](const PeerId& peer) {
    return [&, peer](const GetBlocks& request) {
      ++asked[peer];
      return counting(request);
    };
  };
  run(sync, {{"peer-a", count("peer-a")}, {"peer-b", count("peer-b")}});
  expect_caught_up();
  EXPECT_GT(asked["peer-a"], 0U);
  EXPECT_GT(asked["peer-b"], 0U);
  EXPECT_EQ(sync.counters().responses_refused, 0U);
  EXPECT_EQ(sync.counters().blocks_committed, kBehind);
  EXPECT_FALSE(sync.behind());
}

TEST_F(BlockSyncTest, RefusesAForgedSealAndUsesTheOtherPeer) {
  BlockSync sync = make_sync();
  bool forged = false;
  Server liar = [&](const GetBlocks& request) {
    BlocksResponse response = serve_get_blocks(source_.ledger, request).value();
    for (Block& block : response.blocks) {
      if (block.header.block_number != 20)
        continue;
      ConsensusExtra extra = ConsensusExtra::decode(block.header.extra_data).value();
      extra.commit_seals[0].assign(extra.commit_seals[0].size(), 0x01);
      block.header.extra_data = extra.encode();
      forged = true;
    }
    return std::optional<BlocksResponse>(response);
  };
  run(sync, {{"a-liar", liar}, {"b-honest", honest()}});
  ASSERT_TRUE(forged) << "the liar was never asked for block 20";
  expect_caught_up();
  EXPECT_GE(sync.counters().responses_refused, 1U);
  ASSERT_TRUE(sync.last_refusal());
  EXPECT_NE(sync.last_refusal()->message.find("block 20 is not final"), std::string::npos)
      << *sync.last_refusal();
}

TEST_F(BlockSyncTest, RefusesAWrongStateRootSealedByAQuorumAtExecution) {
  BlockSync sync = make_sync();
  bool forged = false;
  Server liar = [&](const GetBlocks& request) {
    BlocksResponse response = serve_get_blocks(source_.ledger, request).value();
    for (std::size_t i = 0; i < response.blocks.size(); ++i) {
      Block& block = response.blocks[i];
      if (block.header.block_number == 20) {
        // Final for sync's checks (a byzantine quorum sealed it), wrong for execution.
        block.header.state_root.bytes[0] ^= 1;
        block = chain_.seal(block);
        forged = true;
      } else if (block.header.block_number > 20 && forged) {
        response.blocks.resize(i);  // what follows would not link to the forged block
        break;
      }
    }
    return std::optional<BlocksResponse>(response);
  };
  run(sync, {{"a-liar", liar}, {"b-honest", honest()}});
  ASSERT_TRUE(forged) << "the liar was never asked for block 20";
  expect_caught_up();
  EXPECT_EQ(sync.counters().commits_failed, 1U);
  ASSERT_TRUE(sync.last_refusal());
  EXPECT_NE(sync.last_refusal()->message.find("state_root"), std::string::npos)
      << *sync.last_refusal();
}

TEST_F(BlockSyncTest, AsksAnotherPeerWhenOneTimesOut) {
  BlockSync sync = make_sync();
  std::size_t silent_asked = 0;
  Server silent = [&](const GetBlocks&) {
    ++silent_asked;
    return std::optional<BlocksResponse>();
  };
  run(sync, {{"a-silent", silent}, {"b-honest", honest()}});
  expect_caught_up();
  EXPECT_GE(silent_asked, 1U);
  EXPECT_GE(sync.counters().timeouts, 1U);
}

// As tallyd does it: each synced block goes to the engine as BlockSynced, and the engine's
// CommitBlock is what writes it, so the engine follows the head to where the peers are.
TEST_F(BlockSyncTest, TheEngineFollowsSyncedBlocksThroughBlockSynced) {
  EngineConfig engine_config{.suite = chain_.suite(),
                             .validators = chain_.validators(),
                             .block_period_s = 1,
                             .base_timeout_ms = 2'000,
                             .max_timeout_ms = 32'000,
                             .signers = nullptr};
  MemoryConsensusStore store(chain_.suite());
  QbftEngine engine(engine_config, chain_.validator_key(0), store, target_.head_header());
  engine.start(0);
  ASSERT_EQ(engine.block_number(), 1U);
  commit_ = [&](const Block& block) -> Result<void> {
    for (const Action& action : engine.handle(Event{now_ms_, BlockSynced{block}})) {
      if (const auto* commit = std::get_if<CommitBlock>(&action))
        return target_.executor.commit(commit->block);
    }
    return fail(Errc::invalid_argument, "the engine did not commit the synced block");
  };
  BlockSync sync = make_sync();
  run(sync, {{"peer", honest()}});
  expect_caught_up();
  EXPECT_EQ(engine.block_number(), kBehind + 1);
}

// The state machine alone: one peer, responses that do not answer what was asked.
class BlockSyncResponses : public BlockSyncTest {
 protected:
  BlockSync sync_ = make_sync();

  std::vector<SyncAction> at(std::uint64_t now_ms, auto what) {
    return sync_.handle(SyncEvent{now_ms, std::move(what)});
  }
  BlocksResponse blocks(std::uint64_t from, std::uint64_t count) {
    return serve_get_blocks(source_.ledger, GetBlocks{from, count}).value();
  }
};

TEST_F(BlockSyncResponses, RefusesOutOfRangeAndOversizedResponses) {
  // Unasked: refused, nothing committed.
  EXPECT_TRUE(at(0, SyncBlocksReceived{"peer", blocks(1, 2)}).empty());
  EXPECT_EQ(sync_.counters().responses_refused, 1U);

  auto actions = at(0, SyncPeerStatus{"peer", SyncStatus{kBehind, source_.ledger.head()->hash}});
  ASSERT_EQ(actions.size(), 1U);
  const GetBlocks asked = std::get<SyncSendRequest>(actions[0]).request;
  EXPECT_EQ(asked, (GetBlocks{1, 8}));

  // Starting elsewhere than asked.
  EXPECT_TRUE(at(1, SyncBlocksReceived{"peer", blocks(2, 8)}).empty());
  EXPECT_EQ(sync_.counters().responses_refused, 2U);
  EXPECT_NE(sync_.last_refusal()->message.find("starts at 2"), std::string::npos);

  // The peer is penalised: after the penalty it is asked again, and more blocks than asked for
  // are refused.
  actions = at(30'001, SyncTick{});
  ASSERT_EQ(actions.size(), 1U);
  EXPECT_EQ(std::get<SyncSendRequest>(actions[0]).request, asked);
  EXPECT_TRUE(at(30'002, SyncBlocksReceived{"peer", blocks(1, 9)}).empty());
  EXPECT_EQ(sync_.counters().responses_refused, 3U);
  EXPECT_NE(sync_.last_refusal()->message.find("9 blocks, asked for 8"), std::string::npos);

  // Answered properly at last: the blocks are handed on in order, and the next range is asked.
  ASSERT_EQ(at(60'003, SyncTick{}).size(), 1U);
  actions = at(60'004, SyncBlocksReceived{"peer", blocks(1, 8)});
  ASSERT_EQ(actions.size(), 2U);
  const auto& commit = std::get<SyncCommit>(actions[0]);
  ASSERT_EQ(commit.blocks.size(), 8U);
  EXPECT_EQ(commit.blocks.front().header.block_number, 1U);
  EXPECT_EQ(commit.peer, "peer");  // named in the host's "synced to block" log line
  EXPECT_EQ(std::get<SyncSendRequest>(actions[1]).request, (GetBlocks{9, 8}));
}

TEST_F(BlockSyncResponses, AsksNothingBeyondTheWindowOrOfPeersBehind) {
  auto actions = at(0, SyncPeerStatus{"behind", SyncStatus{0, Hash256{}}});
  EXPECT_TRUE(actions.empty());
  for (const char* peer : {"p1", "p2", "p3", "p4", "p5", "p6"})
    actions = at(0, SyncPeerStatus{peer, SyncStatus{1'000, Hash256{}}});
  EXPECT_TRUE(actions.empty());  // the last peers found every slot taken
  EXPECT_EQ(sync_.counters().requests, 4U);
  EXPECT_TRUE(sync_.behind());
}

TEST(ServeGetBlocks, ServesWhatTheLedgerHasAndNoMore) {
  TestChain chain{SuiteId::guomi, 4, 2};
  tally::test::TempDir dir;
  Node node{chain, dir.path() / "node.db"};
  grow_chain(chain, node, 3);
  EXPECT_EQ(serve_get_blocks(node.ledger, GetBlocks{2, 10}).value().blocks.size(), 2U);
  EXPECT_TRUE(serve_get_blocks(node.ledger, GetBlocks{4, 10}).value().blocks.empty());
  const auto all = serve_get_blocks(node.ledger, GetBlocks{0, kMaxBlocksPerResponse}).value();
  ASSERT_EQ(all.blocks.size(), 4U);
  EXPECT_EQ(all.blocks[3], node.ledger.block_by_number(3).value().value());
}

// Blocks of one 16 KiB (opaque) tx each: a response stops before the byte bound (a small one
// here; kMaxSyncMessageBytes in the node).
TEST(ServeGetBlocks, StopsAtTheMessageBound) {
  const CryptoSuite suite(SuiteId::standard);
  tally::test::TempDir dir;
  auto ledger =
      Ledger::open(dir.path() / "big.db", suite, {.durability = sqlite::Durability::normal});
  ASSERT_TRUE(ledger) << ledger.error();
  Hash256 parent;
  for (std::uint64_t n = 0; n < 12; ++n) {
    BlockWrite write;
    write.block.header.block_number = n;
    write.block.header.parent_hash = parent;
    write.block.header.base_fee_per_gas = 0;
    write.block.header.extra_data = ConsensusExtra{}.encode();
    Bytes tx(std::size_t{16} << 10, static_cast<Byte>(n));
    tx[0] = 0x02;
    write.block.txs.push_back(std::move(tx));
    write.receipts.emplace_back();
    ASSERT_TRUE(ledger->commit(write));
    parent = ledger->head()->hash;
  }
  constexpr std::size_t kBound = 100 << 10;
  const auto response = serve_get_blocks(*ledger, GetBlocks{0, kMaxBlocksPerResponse}, kBound);
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->blocks.size(), 6U);  // 100 KiB less the message's own room
  EXPECT_LE(encode_sync_message(*response).size(), kBound);
  EXPECT_EQ(serve_get_blocks(*ledger, GetBlocks{0, 64}).value().blocks.size(), 12U);
  const auto alone = serve_get_blocks(*ledger, GetBlocks{3, 1}, 8 << 10);
  ASSERT_FALSE(alone);
  EXPECT_EQ(alone.error().code, Errc::limit_exceeded);
}

}  // namespace
}  // namespace tally::chain::test
