// The consensus host (consensus_host.hpp): real QBFT engines on their own threads, connected in
// one process, finalising blocks; a host stopped and restarted from its persisted state; an
// observer following synced blocks; timers on an injected clock.

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/consensus_host.hpp>
#include <tally/chain/file_consensus_store.hpp>
#include <tally/core/str_cat.hpp>

#include "chain/consensus_test_network.hpp"
#include "support/memory_log_sink.hpp"
#include "support/temp_dir.hpp"

namespace tally::chain {
namespace {

using namespace std::chrono_literals;
using test::LockedToyExecutor;
using test::SharedTxFeed;
using test::TestConsensusNetwork;
using test::TestTransport;

constexpr auto kPatience = 30s;  // generous for the sanitizer build on a shared machine

KeyPair test_key(const CryptoSuite& suite, std::size_t index) {
  for (std::uint64_t attempt = 0;; ++attempt) {
    const Hash256 secret = suite.hash(as_bytes(str_cat("host test key ", index, " ", attempt)));
    if (auto key_pair = suite.key_pair_from_private_key(secret.view()))
      return std::move(*key_pair);
  }
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

// One node of the cluster: key, persisted consensus store (a file), executor and, while up, host.
struct TestNode {
  explicit TestNode(KeyPair key) : key_pair(std::move(key)) {}
  KeyPair key_pair;
  Address address;
  std::unique_ptr<FileConsensusStore> store;
  std::unique_ptr<LockedToyExecutor> executor;
  std::unique_ptr<TestTransport> transport;
  std::unique_ptr<ConsensusHost> host;
  std::atomic<std::uint64_t> committed{0};
};

class ConsensusHostCluster : public ::testing::Test {
 protected:
  static constexpr std::size_t kValidators = 4;

  void SetUp() override {
    std::vector<Address> addresses;
    for (std::size_t i = 0; i < kValidators; ++i) {
      auto node = std::make_unique<TestNode>(test_key(suite_, i));
      node->address = suite_.address(node->key_pair.public_key());
      addresses.push_back(node->address);
      nodes_.push_back(std::move(node));
    }
    validators_ = *ValidatorSet::create(addresses);
    genesis_ = sim::toy_genesis(validators_->addresses());
    for (std::size_t i = 0; i < kValidators; ++i) {
      TestNode& node = *nodes_[i];
      auto store = FileConsensusStore::open(directory_ / str_cat("consensus-", i), suite_);
      ASSERT_TRUE(store.has_value()) << store.error().message;
      node.store = std::make_unique<FileConsensusStore>(std::move(*store));
      node.executor = std::make_unique<LockedToyExecutor>(suite_, feed_, genesis_);
      node.transport = std::make_unique<TestTransport>(network_, node.address);
    }
  }

  void TearDown() override {
    for (auto& node : nodes_)
      stop(*node);
  }

  ConsensusHostConfig config() const {
    // No block period: blocks follow each other as fast as the hosts agree.
    return ConsensusHostConfig{EngineConfig{suite_, *validators_, 0, 500, 4'000, nullptr}};
  }

  void start(TestNode& node) {
    ConsensusHostCallbacks callbacks;
    callbacks.on_committed = [&node](const Block&) { ++node.committed; };
    node.host = std::make_unique<ConsensusHost>(
        config(), node.key_pair, *node.store, *node.executor, *node.transport, clock_,
        logger_.for_component("consensus"), std::move(callbacks), node.executor->head());
    network_.attach(node.address, node.host.get());
    node.host->start();
  }

  void stop(TestNode& node) {
    if (!node.host)
      return;
    network_.detach(node.address);
    node.host->stop();
    node.host.reset();
  }

  void submit(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
      feed_.submit(to_bytes(str_cat("tx ", submitted_++)));
    for (auto& node : nodes_) {
      if (node->host)
        node->host->post_pending_txs(node->executor->pending_txs());
    }
  }

  // The sync double: a host behind another is handed that node's next final block.
  void sync_once() {
    for (auto& node : nodes_) {
      if (!node->host)
        continue;
      const std::size_t have = node->executor->chain().size();
      for (auto& peer : nodes_) {
        const std::vector<Block> chain = peer->executor->chain();
        if (chain.size() > have) {
          node->host->post_synced_block(chain[have]);
          break;
        }
      }
    }
  }

  // Every running node has committed every submitted tx; syncs the ones behind meanwhile.
  bool all_included() {
    return eventually([this] {
      sync_once();
      for (auto& node : nodes_) {
        if (node->host && node->executor->pending_txs() != 0)
          return false;
      }
      return true;
    });
  }

  void expect_same_chain() {
    const std::vector<Block> reference = nodes_[0]->executor->chain();
    ASSERT_FALSE(reference.empty());
    for (auto& node : nodes_) {
      const std::vector<Block> chain = node->executor->chain();
      ASSERT_EQ(chain.size(), reference.size());
      for (std::size_t i = 0; i < chain.size(); ++i) {
        // Seals may differ between nodes (any quorum finalises); digests and roots may not.
        EXPECT_EQ(*block_digest(chain[i].header, suite_),
                  *block_digest(reference[i].header, suite_))
            << "block " << i + 1;
        EXPECT_EQ(chain[i].header.state_root, reference[i].header.state_root);
      }
    }
  }

  CryptoSuite suite_{SuiteId::standard};
  test::TempDir directory_;
  SystemClock clock_;
  test::MemoryLogSink sink_;
  Logger logger_{sink_, clock_};
  std::optional<ValidatorSet> validators_;
  BlockHeader genesis_;
  SharedTxFeed feed_;
  std::uint64_t submitted_ = 0;
  TestConsensusNetwork network_;
  std::vector<std::unique_ptr<TestNode>> nodes_;
};

TEST_F(ConsensusHostCluster, FourHostsFinaliseTheSameBlocks) {
  for (auto& node : nodes_)
    start(*node);
  for (int batch = 0; batch < 5; ++batch) {
    submit(3);
    ASSERT_TRUE(all_included()) << "batch " << batch;
  }
  expect_same_chain();
  for (auto& node : nodes_) {
    const ConsensusStatus status = node->host->status();
    EXPECT_TRUE(status.running);
    EXPECT_FALSE(status.failed);
    EXPECT_EQ(status.role, NodeRole::validator);
    EXPECT_EQ(status.head_block_number, node->executor->head().block_number);
    EXPECT_EQ(status.validators, validators_->addresses());
    EXPECT_TRUE(status.last_commit.has_value());
    EXPECT_EQ(node->committed.load(), status.host.blocks_committed);
    EXPECT_GT(status.engine.accepted, 0u);
  }
}

TEST_F(ConsensusHostCluster, RestartedHostResumesFromItsStoreAndAgrees) {
  for (auto& node : nodes_)
    start(*node);
  submit(4);
  ASSERT_TRUE(all_included());

  // Three of four are a quorum: the chain goes on without the stopped node.
  TestNode& stopped = *nodes_[3];
  stop(stopped);
  submit(4);
  ASSERT_TRUE(all_included());
  const std::uint64_t head_while_down = nodes_[0]->executor->head().block_number;
  EXPECT_LT(stopped.executor->head().block_number, head_while_down);

  // Back from the same store and executor (its ledger): it catches up and takes part again.
  auto reopened = FileConsensusStore::open(stopped.store->path(), suite_);
  ASSERT_TRUE(reopened.has_value()) << reopened.error().message;
  ASSERT_TRUE(reopened->load().has_value());
  stopped.store = std::make_unique<FileConsensusStore>(std::move(*reopened));
  start(stopped);
  submit(4);
  ASSERT_TRUE(all_included());
  ASSERT_TRUE(eventually([&] {
    sync_once();
    return stopped.executor->head().block_number == nodes_[0]->executor->head().block_number;
  }));
  expect_same_chain();
}

TEST_F(ConsensusHostCluster, ChainGoesOnWithOneNodeDroppedAndTheNodeCatchesUp) {
  for (auto& node : nodes_)
    start(*node);
  network_.set_dropped(nodes_[1]->address, true);
  submit(3);
  // Without sync the dropped node cannot learn anything: only the three others advance.
  ASSERT_TRUE(eventually([&] {
    for (std::size_t i : {0u, 2u, 3u}) {
      if (nodes_[i]->executor->pending_txs() != 0)
        return false;
    }
    return true;
  }));
  EXPECT_EQ(nodes_[1]->executor->head().block_number, 0u);
  network_.set_dropped(nodes_[1]->address, false);
  submit(3);
  ASSERT_TRUE(all_included());
  expect_same_chain();
}

TEST_F(ConsensusHostCluster, ObserverAppliesOnlyFinalBlocksInOrder) {
  for (auto& node : nodes_)
    start(*node);
  submit(6);
  ASSERT_TRUE(all_included());
  const std::vector<Block> chain = nodes_[0]->executor->chain();
  ASSERT_GE(chain.size(), 1u);

  const KeyPair observer_key = test_key(suite_, 99);
  MemoryConsensusStore store(suite_);
  LockedToyExecutor executor(suite_, feed_, genesis_);
  TestTransport transport(network_, suite_.address(observer_key.public_key()));
  std::vector<std::uint64_t> followed;
  std::mutex followed_mutex;
  ConsensusHostCallbacks callbacks;
  callbacks.on_committed = [&](const Block& block) {
    std::lock_guard lock(followed_mutex);
    followed.push_back(block.header.block_number);
  };
  ConsensusHost observer(config(), observer_key, store, executor, transport, clock_, logger_,
                         std::move(callbacks), genesis_);
  EXPECT_EQ(observer.role(), NodeRole::observer);
  observer.start();

  auto unsealed = seal_block(chain[0], 0, {});
  ASSERT_TRUE(unsealed.has_value());
  EXPECT_TRUE(observer.post_message(nodes_[0]->address, Bytes{1, 2, 3}));
  EXPECT_TRUE(observer.post_synced_block(*unsealed));  // no seals: refused
  if (chain.size() > 1) {
    EXPECT_TRUE(observer.post_synced_block(chain[1]));
  }  // too early: ignored
  for (const Block& block : chain)
    EXPECT_TRUE(observer.post_synced_block(block));
  ASSERT_TRUE(eventually([&] { return executor.head().block_number == chain.size(); }));
  observer.stop();

  std::vector<std::uint64_t> expected;
  for (const Block& block : chain)
    expected.push_back(block.header.block_number);
  EXPECT_EQ(followed, expected);
  const ConsensusStatus status = observer.status();
  EXPECT_FALSE(status.running);
  EXPECT_EQ(status.head_block_number, chain.size());
  EXPECT_EQ(status.host.ignored_messages, 1u);
  EXPECT_EQ(status.engine.accepted, 0u);  // no engine
  EXPECT_FALSE(store.load().has_value());
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

TEST(ConsensusHost, RoundTimerRunsOnTheInjectedMonotonicClock) {
  const CryptoSuite suite(SuiteId::standard);
  std::vector<KeyPair> keys;
  std::vector<Address> addresses;
  for (std::size_t i = 0; i < 4; ++i) {
    keys.push_back(test_key(suite, i));
    addresses.push_back(suite.address(keys.back().public_key()));
  }
  const ValidatorSet validators = *ValidatorSet::create(addresses);
  // validators[0] is not the proposer of block 1 in round 0 ((1 + 0) % 4 = 1): it waits.
  const auto me = std::ranges::find(addresses, validators.addresses()[0]) - addresses.begin();
  const KeyPair& key_pair = keys[static_cast<std::size_t>(me)];

  ManualClock clock(Instant{std::chrono::seconds(1'800'000'000)});
  test::MemoryLogSink sink;
  SharedTxFeed feed;
  feed.submit(to_bytes("tx"));
  const BlockHeader genesis = sim::toy_genesis(validators.addresses());
  LockedToyExecutor executor(suite, feed, genesis);
  MemoryConsensusStore store(suite);
  RecordingTransport transport;
  ConsensusHost host(ConsensusHostConfig{EngineConfig{suite, validators, 0, 1'000, 8'000, nullptr}},
                     key_pair, store, executor, transport, clock, Logger(sink, clock), {}, genesis);
  host.start();
  ASSERT_TRUE(eventually([&] { return host.status().running; }));
  std::this_thread::sleep_for(200ms);  // real time passes; the injected clock does not
  EXPECT_EQ(transport.broadcasts(), 0u);
  EXPECT_EQ(host.status().host.timers_fired, 0u);

  clock.advance(999ms);
  host.wake();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(transport.broadcasts(), 0u);

  // The round times out: the validator asks for round 1 and saves that it got there.
  clock.advance(2ms);
  host.wake();
  ASSERT_TRUE(eventually([&] { return transport.broadcasts() == 1; }));
  EXPECT_TRUE(eventually([&] { return host.status().round == 1; }));
  EXPECT_EQ(host.status().host.timers_fired, 1u);
  EXPECT_EQ(host.status().proposer, validators.proposer(1, 1));
  ASSERT_TRUE(store.load().has_value());
  EXPECT_EQ(store.load()->round, 1u);
}

// An executor whose commits fail, as a full disk would make them.
class FailingCommitExecutor final : public ConsensusExecutor {
 public:
  FailingCommitExecutor(CryptoSuite suite, const SharedTxFeed& feed, BlockHeader genesis)
      : inner_(suite, feed, std::move(genesis)) {}
  std::size_t pending_txs() const override { return inner_.pending_txs(); }
  Result<std::optional<Block>> build(const BuildBlock& request) override {
    return inner_.build(request);
  }
  Result<void> validate(const Block& block, const BlockHeader& parent) override {
    return inner_.validate(block, parent);
  }
  Result<void> commit(const Block&) override { return fail(Errc::io_error, "disk full"); }

 private:
  LockedToyExecutor inner_;
};

TEST(ConsensusHost, FinalBlockThatCannotBeWrittenStopsTheHost) {
  const CryptoSuite suite(SuiteId::standard);
  const KeyPair key_pair = test_key(suite, 0);
  const ValidatorSet validators = *ValidatorSet::create({suite.address(key_pair.public_key())});
  SharedTxFeed feed;
  feed.submit(to_bytes("tx"));
  const BlockHeader genesis = sim::toy_genesis(validators.addresses());
  FailingCommitExecutor executor(suite, feed, genesis);
  MemoryConsensusStore store(suite);
  RecordingTransport transport;
  SystemClock clock;
  test::MemoryLogSink sink;
  std::atomic<bool> fatal{false};
  ConsensusHostCallbacks callbacks;
  callbacks.on_fatal = [&](const Error& error) {
    EXPECT_EQ(error.code, Errc::io_error);
    fatal = true;
  };
  // A single validator is its own quorum: it builds, commits and then fails to write.
  ConsensusHost host(ConsensusHostConfig{EngineConfig{suite, validators, 0, 1'000, 8'000, nullptr}},
                     key_pair, store, executor, transport, clock, Logger(sink, clock),
                     std::move(callbacks), genesis);
  host.start();
  ASSERT_TRUE(eventually([&] { return fatal.load(); }));
  const ConsensusStatus status = host.status();
  EXPECT_TRUE(status.failed);
  EXPECT_NE(status.failure.find("disk full"), std::string::npos);
  EXPECT_EQ(status.head_block_number, 0u);
  host.stop();
  EXPECT_FALSE(host.post_pending_txs(1));  // stopped: refused
}

}  // namespace
}  // namespace tally::chain
