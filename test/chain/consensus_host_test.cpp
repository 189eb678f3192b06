// The consensus host (consensus_host.hpp): real QBFT engines on their own threads, each over its
// own ledger and EVM-backed executor, connected in one process, finalising blocks of transfers;
// a host stopped and restarted from its persisted state; an observer following synced blocks;
// timers on an injected clock; a final block that cannot be written.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include <tally/chain/block_executor.hpp>
#include <tally/chain/block_seal.hpp>
#include <tally/chain/consensus_host.hpp>
#include <tally/chain/file_consensus_store.hpp>
#include <tally/core/str_cat.hpp>

#include "chain/chain_fixture.hpp"
#include "chain/consensus_test_network.hpp"
#include "support/memory_log_sink.hpp"
#include "support/temp_dir.hpp"

namespace tally::chain {
namespace {

using namespace std::chrono_literals;
using test::SharedTxs;
using test::SharedTxSource;
using test::TestChain;
using test::TestConsensusNetwork;
using test::TestTransport;

constexpr auto kPatience = 60s;  // generous for the sanitizer build on a shared machine
constexpr std::uint64_t kAmount = 1'000;

// TestChain derives validator keys from these names.
KeyPair validator_key(const CryptoSuite& suite, std::size_t index) {
  return suite.key_pair_from_private_key(suite.hash(to_bytes(str_cat("validator ", index))).view())
      .value();
}

bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = kPatience) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition())
      return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

// The sealed blocks a host committed, as on_committed reported them (thread-safe).
class CommittedBlocks {
 public:
  void add(const Block& block) {
    std::lock_guard lock(mutex_);
    blocks_.push_back(block);
  }
  std::vector<Block> all() const {
    std::lock_guard lock(mutex_);
    return blocks_;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return blocks_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Block> blocks_;  // guarded by mutex_
};

// One node: key, ledger file, consensus store file, tx source, executor and, while up, its host.
struct TestNode {
  TestNode(KeyPair key, const CryptoSuite& suite, const SharedTxs& txs)
      : key_pair(std::move(key)),
        address(suite.address(key_pair.public_key())),
        source(txs, suite) {}

  KeyPair key_pair;
  Address address;
  SharedTxSource source;
  std::optional<Ledger> ledger;
  std::unique_ptr<BlockExecutor> executor;
  std::unique_ptr<FileConsensusStore> store;
  std::unique_ptr<TestTransport> transport;
  std::unique_ptr<test::TestSyncTransport> sync_transport;  // null: the test thread syncs
  std::unique_ptr<ConsensusHost> host;
  CommittedBlocks committed;  // since genesis, across restarts

  BlockHeader head_header() {
    return ledger->header_by_number(ledger->head()->block_number).value().value();
  }
};

class ConsensusHostCluster : public ::testing::Test {
 protected:
  static constexpr std::size_t kValidators = 4;

  void SetUp() override {
    for (std::size_t i = 0; i < kValidators; ++i) {
      auto node = std::make_unique<TestNode>(validator_key(suite(), i), suite(), txs_);
      ASSERT_TRUE(chain_.validators().contains(node->address));
      node->ledger.emplace(chain_.open_ledger(directory_ / str_cat("ledger-", i)));
      node->transport = std::make_unique<TestTransport>(network_, node->address);
      nodes_.push_back(std::move(node));
    }
  }

  void TearDown() override {
    for (auto& node : nodes_)
      stop(*node);
  }

  const CryptoSuite& suite() const { return chain_.suite(); }

  ConsensusHostConfig config() const {
    // No block period: blocks follow each other as fast as the hosts agree.
    return ConsensusHostConfig{EngineConfig{suite(), chain_.validators(), 0, 500, 4'000, nullptr}};
  }

  // Starts the node's host from what is on disk: the consensus store and the ledger's head.
  void start(TestNode& node, std::size_t index) {
    auto store = FileConsensusStore::open(directory_ / str_cat("consensus-", index), suite());
    ASSERT_TRUE(store.has_value()) << store.error().message;
    node.store = std::make_unique<FileConsensusStore>(std::move(*store));
    node.executor =
        std::make_unique<BlockExecutor>(*node.ledger, suite(), chain_.params(), node.source);
    ConsensusHostCallbacks callbacks;
    callbacks.on_committed = [&node](const Block& block) { node.committed.add(block); };
    ConsensusHostConfig host_config = config();
    host_config.sync_transport = node.sync_transport.get();
    node.host = std::make_unique<ConsensusHost>(
        std::move(host_config), node.key_pair, *node.store, *node.executor, *node.transport, clock_,
        logger_.for_component("consensus"), std::move(callbacks), node.head_header());
    network_.attach(node.address, node.host.get());
    if (node.sync_transport)
      sync_hub_.attach(str_cat("node-", index), node.host.get(), ledger_path(index));
    node.host->start();
  }

  std::filesystem::path ledger_path(std::size_t index) const {
    return directory_ / str_cat("ledger-", index);
  }

  void use_block_sync() {
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      nodes_[i]->sync_transport =
          std::make_unique<test::TestSyncTransport>(sync_hub_, str_cat("node-", i));
  }

  void start_all() {
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      start(*nodes_[i], i);
  }

  // A stopped node keeps its files; its ledger is closed as in a process exit.
  void stop(TestNode& node) {
    if (!node.host)
      return;
    network_.detach(node.address);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].get() == &node)
        sync_hub_.detach(str_cat("node-", i));
    }
    node.host->stop();
    node.host.reset();
    node.executor.reset();
  }

  void reopen_ledger(TestNode& node, std::size_t index) {
    node.ledger.reset();
    auto ledger = Ledger::open(directory_ / str_cat("ledger-", index), suite());
    ASSERT_TRUE(ledger.has_value()) << ledger.error().message;
    node.ledger.emplace(std::move(*ledger));
  }

  // Transfers from account 0 (in nonce order) and account 1 to account 2.
  void submit(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t from = i % 2;
      txs_.submit(chain_.transfer(from, nonces_[from]++, chain_.account(2), kAmount));
      ++submitted_;
    }
    for (auto& node : nodes_) {
      if (node->host)
        node->host->post_pending_txs(node->source.pending_count());
    }
  }

  // The sync double: a host behind another is handed that node's next final block.
  void sync_once() {
    for (auto& node : nodes_) {
      if (!node->host)
        continue;
      const std::size_t have = node->committed.size();
      for (auto& peer : nodes_) {
        if (peer->committed.size() > have) {
          node->host->post_synced_block(peer->committed.all()[have]);
          break;
        }
      }
    }
  }

  // Every running node has every submitted tx in its ledger; syncs those behind meanwhile.
  bool all_included() {
    return eventually([this] {
      sync_once();
      for (auto& node : nodes_) {
        if (node->host && node->source.pending_count() != 0)
          return false;
      }
      return true;
    });
  }

  // Stops every host, then reads the ledgers: same heads, blocks, state roots and balances.
  void expect_agreement() {
    for (auto& node : nodes_)
      stop(*node);
    Ledger& reference = *nodes_[0]->ledger;
    ASSERT_TRUE(reference.head().has_value());
    const std::uint64_t head = reference.head()->block_number;
    ASSERT_GT(head, 0u);
    for (auto& node : nodes_) {
      Ledger& ledger = *node->ledger;
      ASSERT_EQ(ledger.head(), reference.head());
      for (std::uint64_t number = 1; number <= head; ++number) {
        const BlockHeader mine = ledger.header_by_number(number).value().value();
        const BlockHeader theirs = reference.header_by_number(number).value().value();
        // Seals may differ between nodes (any quorum finalises); digests and roots may not.
        EXPECT_EQ(block_digest(mine, suite()).value(), block_digest(theirs, suite()).value());
        EXPECT_EQ(mine.state_root, theirs.state_root) << "block " << number;
      }
      const LedgerStore store(ledger);
      WorldState state = test::head_state(ledger, store);
      const u256 balance = state.account(chain_.account(2)).value().value().balance;
      const u256 funded = u256(1'000'000'000'000ULL) * u256(1'000'000'000'000ULL);
      EXPECT_EQ(balance, funded + u256(kAmount) * u256(submitted_));
    }
  }

  TestChain chain_{SuiteId::standard, kValidators, 3};
  tally::test::TempDir directory_;
  SystemClock clock_;
  tally::test::MemoryLogSink sink_;
  Logger logger_{sink_, clock_};
  SharedTxs txs_;
  std::uint64_t nonces_[2] = {0, 0};
  std::uint64_t submitted_ = 0;
  TestConsensusNetwork network_;
  test::TestSyncHub sync_hub_;
  std::vector<std::unique_ptr<TestNode>> nodes_;
};

TEST_F(ConsensusHostCluster, FourHostsFinaliseTheSameBlocks) {
  start_all();
  for (int batch = 0; batch < 4; ++batch) {
    submit(4);
    ASSERT_TRUE(all_included()) << "batch " << batch;
  }
  for (auto& node : nodes_) {
    // The host publishes its status after the batch whose commit it reported: wait for it.
    ASSERT_TRUE(eventually(
        [&] { return node->host->status().host.blocks_committed == node->committed.size(); }));
    const ConsensusStatus status = node->host->status();
    EXPECT_TRUE(status.running);
    EXPECT_FALSE(status.failed);
    EXPECT_EQ(status.role, NodeRole::validator);
    EXPECT_EQ(status.head_block_number, node->committed.size());
    EXPECT_EQ(status.validators, chain_.validators().addresses());
    EXPECT_TRUE(status.last_commit.has_value());
    EXPECT_EQ(status.host.blocks_committed, node->committed.size());
    EXPECT_GT(status.engine.accepted, 0u);
    EXPECT_EQ(status.host.execution_errors, 0u);
  }
  expect_agreement();
}

TEST_F(ConsensusHostCluster, RestartedHostResumesFromItsStoreAndAgrees) {
  start_all();
  submit(4);
  ASSERT_TRUE(all_included());

  // Three of four are a quorum: the chain goes on without the stopped node.
  TestNode& stopped = *nodes_[3];
  stop(stopped);
  reopen_ledger(stopped, 3);
  submit(4);
  ASSERT_TRUE(all_included());
  EXPECT_LT(stopped.committed.size(), nodes_[0]->committed.size());

  // Back from its files: it catches up by sync and takes part again.
  start(stopped, 3);
  ASSERT_TRUE(stopped.store->load().has_value());
  submit(4);
  ASSERT_TRUE(all_included());
  expect_agreement();
}

TEST_F(ConsensusHostCluster, HostBehindCatchesUpThroughBlockSync) {
  use_block_sync();
  start_all();
  TestNode& late = *nodes_[3];
  stop(late);
  reopen_ledger(late, 3);
  for (int batch = 0; batch < 3; ++batch) {
    submit(4);
    ASSERT_TRUE(all_included());
  }
  const std::size_t head = nodes_[0]->committed.size();
  ASSERT_GE(head, 3u);
  EXPECT_EQ(late.committed.size(), 0u);

  // Back up, with no help from the test thread: peers' Status shows it is behind, BlockSync
  // fetches the blocks, the engine commits them, and it takes part in the next block.
  const std::size_t announced_before = sync_hub_.broadcasts("node-3");
  start(late, 3);
  ASSERT_TRUE(eventually([&] { return late.committed.size() >= head; }));
  // The status is published once the host has handled the whole event (after the commits it
  // caused, their announcement and log line).
  ASSERT_TRUE(eventually([&] { return late.host->status().sync.blocks_committed >= head; }));
  const ConsensusStatus status = late.host->status();
  EXPECT_EQ(status.sync.responses_refused, 0u);
  // It announced its head once per commit of synced blocks (and at its first sync tick), not once
  // per block: each announcement draws an answer from every peer ahead.
  EXPECT_LT(sync_hub_.broadcasts("node-3") - announced_before, head);
  // Operators see the progress: the late node logs the block it synced to and the peer.
  const auto lines = sink_.lines();
  EXPECT_TRUE(std::ranges::any_of(lines, [](const std::string& line) {
    return line.find("\"msg\":\"synced to block\"") != std::string::npos &&
           line.find("\"peer\":\"node-") != std::string::npos;
  }));
  submit(4);
  ASSERT_TRUE(eventually([&] {
    for (auto& node : nodes_) {
      if (node->source.pending_count() != 0)
        return false;
    }
    return true;
  }));
  expect_agreement();
}

TEST_F(ConsensusHostCluster, ChainGoesOnWithOneNodeDroppedAndTheNodeCatchesUp) {
  start_all();
  network_.set_dropped(nodes_[1]->address, true);
  submit(3);
  // Without sync the dropped node cannot learn anything: only the three others advance.
  ASSERT_TRUE(eventually([&] {
    for (std::size_t i : {0u, 2u, 3u}) {
      if (nodes_[i]->source.pending_count() != 0)
        return false;
    }
    return true;
  }));
  EXPECT_EQ(nodes_[1]->committed.size(), 0u);
  network_.set_dropped(nodes_[1]->address, false);
  submit(3);
  ASSERT_TRUE(all_included());
  expect_agreement();
}

TEST_F(ConsensusHostCluster, ObserverAppliesOnlyFinalBlocksInOrder) {
  start_all();
  submit(6);
  ASSERT_TRUE(all_included());
  const std::vector<Block> chain = nodes_[0]->committed.all();
  ASSERT_GE(chain.size(), 1u);

  const KeyPair observer_key = validator_key(suite(), 99);
  Ledger ledger = chain_.open_ledger(directory_ / "observer");
  SharedTxs no_txs;
  SharedTxSource source(no_txs, suite());
  BlockExecutor executor(ledger, suite(), chain_.params(), source);
  MemoryConsensusStore store(suite());
  TestTransport transport(network_, suite().address(observer_key.public_key()));
  const BlockHeader genesis = chain_.genesis().block.header;
  CommittedBlocks followed;
  ConsensusHostCallbacks callbacks;
  callbacks.on_committed = [&](const Block& block) { followed.add(block); };
  ConsensusHost observer(config(), observer_key, store, executor, transport, clock_, logger_,
                         std::move(callbacks), genesis);
  EXPECT_EQ(observer.role(), NodeRole::observer);
  observer.start();

  auto unsealed = seal_block(chain[0], 0, {});
  ASSERT_TRUE(unsealed.has_value());
  EXPECT_TRUE(observer.post_message(nodes_[0]->address, Bytes{1, 2, 3}));  // no engine: ignored
  EXPECT_TRUE(observer.post_synced_block(*unsealed));                      // no seals: refused
  if (chain.size() > 1) {
    EXPECT_TRUE(observer.post_synced_block(chain[1]));  // too early: ignored
  }
  for (const Block& block : chain)
    EXPECT_TRUE(observer.post_synced_block(block));
  ASSERT_TRUE(eventually([&] { return followed.size() == chain.size(); }));
  observer.stop();

  EXPECT_EQ(followed.all(), chain);
  const ConsensusStatus status = observer.status();
  EXPECT_FALSE(status.running);
  EXPECT_EQ(status.head_block_number, chain.size());
  EXPECT_EQ(status.host.ignored_messages, 1u);
  EXPECT_EQ(status.host.synced_blocks, chain.size() + (chain.size() > 1 ? 2 : 1));
  EXPECT_EQ(status.engine.accepted, 0u);  // no engine
  EXPECT_FALSE(store.load().has_value());
  EXPECT_EQ(ledger.head()->block_number, chain.size());
}

// Records what a lone validator sends.
class RecordingTransport final : public ConsensusTransport {
 public:
  void broadcast(BytesView) override { ++broadcasts_; }
  void send(const Address&, BytesView) override { ++sends_; }
  std::uint64_t broadcasts() const { return broadcasts_; }

 private:
  std::atomic<std::uint64_t> broadcasts_{0};
  std::atomic<std::uint64_t> sends_{0};
};

class ConsensusHostAlone : public ::testing::Test {
 protected:
  TestChain chain_{SuiteId::standard, 4, 1};
  tally::test::TempDir directory_;
  Ledger ledger_ = chain_.open_ledger(directory_ / "ledger");
  SharedTxs txs_;
  SharedTxSource source_{txs_, chain_.suite()};
  BlockExecutor executor_{ledger_, chain_.suite(), chain_.params(), source_};
  MemoryConsensusStore store_{chain_.suite()};
  RecordingTransport transport_;
  tally::test::MemoryLogSink sink_;
};

TEST_F(ConsensusHostAlone, RoundTimerRunsOnTheInjectedMonotonicClock) {
  const CryptoSuite& suite = chain_.suite();
  const ValidatorSet& validators = chain_.validators();
  // validators[0] is not the proposer of block 1 in round 0 ((1 + 0) % 4 = 1): it waits.
  std::size_t me = 0;
  while (suite.address(validator_key(suite, me).public_key()) != validators.addresses()[0])
    ++me;
  const KeyPair key_pair = validator_key(suite, me);
  txs_.submit(chain_.transfer(0, 0, chain_.account(0), 1));

  ManualClock clock(Instant{std::chrono::seconds(1'800'000'000)});
  ConsensusHost host(ConsensusHostConfig{EngineConfig{suite, validators, 0, 1'000, 8'000, nullptr}},
                     key_pair, store_, executor_, transport_, clock, Logger(sink_, clock), {},
                     chain_.genesis().block.header);
  host.start();
  ASSERT_TRUE(eventually([&] { return host.status().running; }));
  std::this_thread::sleep_for(200ms);  // real time passes; the injected clock does not
  EXPECT_EQ(transport_.broadcasts(), 0u);
  EXPECT_EQ(host.status().host.timers_fired, 0u);

  clock.advance(999ms);
  host.wake();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(transport_.broadcasts(), 0u);

  // The round times out: the validator asks for round 1, having saved that it got there.
  clock.advance(2ms);
  host.wake();
  ASSERT_TRUE(eventually([&] { return transport_.broadcasts() == 1; }));
  EXPECT_TRUE(eventually([&] { return host.status().round == 1; }));
  EXPECT_EQ(host.status().host.timers_fired, 1u);
  EXPECT_EQ(host.status().proposer, validators.proposer(1, 1));
  ASSERT_TRUE(store_.load().has_value());
  EXPECT_EQ(store_.load()->round, 1u);
}

// Records what a host sends on the sync channel.
class RecordingSyncTransport final : public SyncTransport {
 public:
  void broadcast_sync(BytesView) override {}
  void send_sync(const std::string& peer, BytesView message) override {
    std::lock_guard lock(mutex_);
    sent_.emplace_back(peer, Bytes(message.begin(), message.end()));
  }
  std::vector<std::pair<std::string, Bytes>> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, Bytes>> sent_;  // guarded by mutex_
};

// A node (re)starting behind must not wait for the others' periodic announcement (every few
// seconds) to learn their heads: each side tells a peer that connects its head at once.
TEST_F(ConsensusHostAlone, TellsAPeerThatConnectsItsHead) {
  const CryptoSuite& suite = chain_.suite();
  RecordingSyncTransport sync;
  const KeyPair key_pair = validator_key(suite, 0);  // the host keeps a reference
  ManualClock clock(Instant{std::chrono::seconds(1'800'000'000)});
  ConsensusHost host(
      ConsensusHostConfig{EngineConfig{suite, chain_.validators(), 0, 1'000, 8'000, nullptr},
                          kDefaultInboxCapacity, &sync},
      key_pair, store_, executor_, transport_, clock, Logger(sink_, clock), {},
      chain_.genesis().block.header);
  host.start();
  ASSERT_TRUE(eventually([&] { return host.status().running; }));
  EXPECT_TRUE(sync.sent().empty());  // the periodic announcement is a broadcast

  ASSERT_TRUE(host.post_sync_peer_joined("peer-1"));
  ASSERT_TRUE(eventually([&] { return sync.sent().size() == 1; }));
  const auto [peer, message] = sync.sent()[0];
  EXPECT_EQ(peer, "peer-1");
  auto decoded = decode_sync_message(message);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  const auto* status = std::get_if<SyncStatus>(&*decoded);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(*status, (SyncStatus{0, *block_digest(chain_.genesis().block.header, suite)}));
}

// An executor whose commits fail, as a full disk would make them.
class FailingCommitExecutor final : public ConsensusExecutor {
 public:
  explicit FailingCommitExecutor(ConsensusExecutor& inner) : inner_(inner) {}
  std::size_t pending_txs() const override { return inner_.pending_txs(); }
  Result<std::optional<Block>> build(const BuildBlock& request) override {
    return inner_.build(request);
  }
  Result<void> validate(const Block& block, const BlockHeader& parent) override {
    return inner_.validate(block, parent);
  }
  Result<void> commit(const Block&) override { return fail(Errc::io_error, "disk full"); }

 private:
  ConsensusExecutor& inner_;
};

TEST_F(ConsensusHostAlone, FinalBlockThatCannotBeWrittenStopsTheHost) {
  const CryptoSuite& suite = chain_.suite();
  const KeyPair key_pair = validator_key(suite, 0);
  // A single validator is its own quorum: it builds, finalises, then fails to write.
  const ValidatorSet validators =
      ValidatorSet::create({suite.address(key_pair.public_key())}).value();
  txs_.submit(chain_.transfer(0, 0, chain_.account(0), 1));
  FailingCommitExecutor executor(executor_);
  SystemClock clock;
  std::atomic<bool> fatal{false};
  ConsensusHostCallbacks callbacks;
  callbacks.on_fatal = [&](const Error& error) {
    EXPECT_EQ(error.code, Errc::io_error);
    fatal = true;
  };
  ConsensusHost host(ConsensusHostConfig{EngineConfig{suite, validators, 0, 1'000, 8'000, nullptr}},
                     key_pair, store_, executor, transport_, clock, Logger(sink_, clock),
                     std::move(callbacks), chain_.genesis().block.header);
  host.start();
  ASSERT_TRUE(eventually([&] { return fatal.load(); }));
  const ConsensusStatus status = host.status();
  EXPECT_TRUE(status.failed);
  EXPECT_NE(status.failure.find("disk full"), std::string::npos);
  EXPECT_EQ(status.head_block_number, 0u);
  host.stop();
  EXPECT_FALSE(host.post_pending_txs(1));  // stopped: refused
  EXPECT_EQ(ledger_.head()->block_number, 0u);
}

}  // namespace
}  // namespace tally::chain
