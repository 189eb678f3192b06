// tallyd's node core (node.hpp) four times in one process: genesis into fresh ledgers, raw signed
// txs submitted by a client to one node and gossiped to the others, blocks finalised by the
// consensus hosts over the EVM executor; every ledger ends with the same head and state root.
// A restarted node reopens its ledger and consensus snapshot and keeps agreeing.

#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include <tally/chain/ledger_store.hpp>
#include <tally/chain/world_state.hpp>

#include "chain/chain_fixture.hpp"
#include "chain/consensus_test_network.hpp"
#include "node.hpp"
#include "support/memory_log_sink.hpp"
#include "support/temp_dir.hpp"

namespace tally::tallyd {
namespace {

using namespace std::chrono_literals;
using chain::test::TestChain;

constexpr std::size_t kNodes = 4;

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition())
      return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

class NodeCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    genesis_.consortium = "node test";
    genesis_.chain_id = chain::test::kChainId;
    genesis_.suite = SuiteId::standard;
    genesis_.block_gas_limit = chain::test::kBlockGasLimit;
    genesis_.timestamp = 1'700'000'000;
    genesis_.consensus = chain::ConsensusTiming{1, 500, 4'000};  // no block period
    genesis_.validators = chain_.validators().addresses();
    for (std::size_t i = 0; i < 2; ++i)
      genesis_.accounts.push_back({chain_.account(i), u256(1'000'000'000)});
    ASSERT_TRUE(chain::check_genesis(genesis_).has_value());
    for (std::size_t i = 0; i < kNodes; ++i) {
      keys_.push_back(chain_.suite()
                          .key_pair_from_private_key(
                              chain_.suite().hash(to_bytes(str_cat("validator ", i))).view())
                          .value());
      addresses_.push_back(chain_.suite().address(keys_.back().public_key()));
      transports_.push_back(
          std::make_unique<chain::test::TestTransport>(network_, addresses_.back()));
      nodes_.emplace_back();
    }
  }

  void TearDown() override {
    for (std::size_t i = 0; i < kNodes; ++i)
      close(i);
  }

  void open(std::size_t index) {
    NodeCallbacks callbacks;
    callbacks.on_accepted_from_client = [this, index](std::span<const Bytes> txs) {
      std::lock_guard lock(gossip_mutex_);
      for (std::size_t peer = 0; peer < kNodes; ++peer) {
        if (peer != index && nodes_[peer])
          nodes_[peer]->submit_txs(txs, false);
      }
    };
    callbacks.on_fatal = [](const Error& error) { ADD_FAILURE() << error.message; };
    NodeSettings settings{directory_ / str_cat("node-", index), genesis_,
                          sqlite::Durability::normal, 1};
    auto node = Node::open(std::move(settings), keys_[index], *transports_[index], nullptr, clock_,
                           Logger(sink_, clock_), std::move(callbacks));
    ASSERT_TRUE(node.has_value()) << node.error().message;
    Node* raw = node->get();
    {
      std::lock_guard lock(gossip_mutex_);
      nodes_[index] = std::move(*node);
    }
    network_.attach(addresses_[index], [raw](const Address& from, Bytes message) {
      raw->on_consensus_message(from, std::move(message));
    });
    raw->start();
  }

  void close(std::size_t index) {
    if (!nodes_[index])
      return;
    network_.detach(addresses_[index]);
    nodes_[index]->stop();
    std::lock_guard lock(gossip_mutex_);
    nodes_[index].reset();
  }

  // A client sends `count` transfers from account `from` to node `to`.
  void send(std::size_t to, std::size_t from, std::size_t count) {
    std::vector<Bytes> raw;
    for (std::size_t i = 0; i < count; ++i) {
      const auto tx = chain_.transfer(from, nonces_[from]++, chain_.account(2), 7);
      raw.emplace_back(tx->tx().encoded().begin(), tx->tx().encoded().end());
    }
    for (const auto& result : nodes_[to]->submit_txs(raw, true))
      ASSERT_TRUE(result.has_value()) << result.error().message;
  }

  // Every open node's head state has every tx sent.
  bool all_final() {
    return eventually([this] {
      for (const auto& node : nodes_) {
        if (!node)
          continue;
        for (std::size_t from = 0; from < 2; ++from) {
          if (node->head_state().nonce(chain_.account(from)) != nonces_[from])
            return false;
        }
      }
      return true;
    });
  }

  struct Snapshot {
    chain::Head head;
    Hash256 state_root;
  };
  Snapshot read(std::size_t index) {
    chain::Ledger::Options options;
    options.read_only = true;
    auto ledger = chain::Ledger::open(directory_ / str_cat("node-", index) / kLedgerFileName,
                                      chain_.suite(), options)
                      .value();
    const auto header = ledger.header_by_number(ledger.head()->block_number).value().value();
    return Snapshot{*ledger.head(), header.state_root};
  }

  TestChain chain_{SuiteId::standard, kNodes, 3};
  tally::test::TempDir directory_;
  SystemClock clock_;
  tally::test::MemoryLogSink sink_;
  chain::Genesis genesis_;
  std::vector<KeyPair> keys_;
  std::vector<Address> addresses_;
  chain::test::TestConsensusNetwork network_;
  std::vector<std::unique_ptr<chain::test::TestTransport>> transports_;
  std::mutex gossip_mutex_;
  std::vector<std::unique_ptr<Node>> nodes_;  // guarded by gossip_mutex_ while running
  std::uint64_t nonces_[2] = {0, 0};
};

TEST_F(NodeCluster, ClientTxsOnOneNodeBecomeFinalOnAll) {
  for (std::size_t i = 0; i < kNodes; ++i)
    open(i);
  send(0, 0, 5);
  send(2, 1, 5);
  ASSERT_TRUE(all_final());
  for (std::size_t i = 0; i < kNodes; ++i) {
    // Account 2 is not in genesis: it holds what it was sent, 10 transfers of 7.
    EXPECT_EQ(nodes_[i]->head_state().balance(chain_.account(2)), u256(70));
  }
  // A commit refreshes the head view before it drops the block's txs from the pool, so the
  // pool may lag the state just read by a moment; it must drain.
  EXPECT_TRUE(eventually([&] {
    return std::ranges::all_of(nodes_, [](const auto& node) { return node->pool().size() == 0; });
  }));
  const std::uint64_t head = nodes_[0]->head_state().head_block_number();
  ASSERT_TRUE(eventually([&] {
    for (const auto& node : nodes_) {
      if (node->head_state().head_block_number() != head)
        return false;
    }
    return true;
  }));
  for (std::size_t i = 0; i < kNodes; ++i)
    close(i);
  const Snapshot reference = read(0);
  EXPECT_GT(reference.head.block_number, 0u);
  for (std::size_t i = 1; i < kNodes; ++i) {
    const Snapshot other = read(i);
    EXPECT_EQ(other.head, reference.head);
    EXPECT_EQ(other.state_root, reference.state_root);
  }
}

TEST_F(NodeCluster, RestartedNodeReopensItsFilesAndKeepsAgreeing) {
  for (std::size_t i = 0; i < kNodes; ++i)
    open(i);
  send(1, 0, 3);
  ASSERT_TRUE(all_final());
  close(3);
  open(3);  // same files: the ledger holds the same genesis, the snapshot decodes
  send(3, 1, 3);
  ASSERT_TRUE(all_final());
  for (std::size_t i = 0; i < kNodes; ++i)
    close(i);
  const Snapshot reference = read(0);
  for (std::size_t i = 1; i < kNodes; ++i)
    EXPECT_EQ(read(i).state_root, reference.state_root);
}

TEST_F(NodeCluster, LedgerOfAnotherChainIsRefused) {
  open(0);
  close(0);
  genesis_.chain_id += 1;
  NodeSettings settings{directory_ / "node-0", genesis_, sqlite::Durability::normal, 1};
  auto node = Node::open(std::move(settings), keys_[0], *transports_[0], nullptr, clock_,
                         Logger(sink_, clock_), {});
  ASSERT_FALSE(node.has_value());
  EXPECT_EQ(node.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace tally::tallyd
