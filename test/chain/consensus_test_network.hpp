#pragma once
// Test doubles around the consensus host: an in-memory network connecting hosts in one process
// (each host's inbox is the queue; a node can be cut off), and a tx source per node over one
// shared, growing list of signed txs (a stand-in for the tx pool and its gossip).

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/block_sync.hpp>
#include <tally/chain/block_tx_source.hpp>
#include <tally/chain/consensus_host.hpp>
#include <tally/chain/consensus_transport.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/sync_message.hpp>

namespace tally::chain::test {

class TestConsensusNetwork {
 public:
  // What a node does with a message from `from` (posts it to its host's inbox; must not block).
  using Receiver = std::function<void(const Address& from, Bytes message)>;

  void attach(const Address& node, Receiver receiver) {
    std::lock_guard lock(mutex_);
    hosts_[node] = std::move(receiver);
  }
  void attach(const Address& node, ConsensusHost* host) {
    attach(node, [host](const Address& from, Bytes message) {
      host->post_message(from, std::move(message));
    });
  }
  void detach(const Address& node) {
    std::lock_guard lock(mutex_);
    hosts_.erase(node);
  }
  // A dropped node neither sends nor receives.
  void set_dropped(const Address& node, bool dropped) {
    std::lock_guard lock(mutex_);
    if (dropped)
      dropped_.insert(node);
    else
      dropped_.erase(node);
  }
  // Holds the lock while posting so a host is never destroyed under a sender (posting never
  // blocks).
  void deliver(const Address& from, const Address* to, BytesView message) {
    std::lock_guard lock(mutex_);
    ++sent_;
    if (dropped_.contains(from))
      return;
    for (const auto& [address, receiver] : hosts_) {
      if (address == from || dropped_.contains(address) || (to != nullptr && *to != address))
        continue;
      receiver(from, Bytes(message.begin(), message.end()));
    }
  }
  std::uint64_t sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<Address, Receiver> hosts_;  // guarded by mutex_
  std::set<Address> dropped_;          // guarded by mutex_
  std::uint64_t sent_ = 0;             // guarded by mutex_
};

class TestTransport final : public ConsensusTransport {
 public:
  TestTransport(TestConsensusNetwork& network, Address self) : network_(network), self_(self) {}
  void broadcast(BytesView message) override { network_.deliver(self_, nullptr, message); }
  void send(const Address& validator, BytesView message) override {
    network_.deliver(self_, &validator, message);
  }

 private:
  TestConsensusNetwork& network_;
  Address self_;
};

// The sync channel between hosts in one process. A GetBlocks is answered at once from a read-only
// connection to the asked node's ledger file, as tallyd's sync server does.
class TestSyncHub {
 public:
  void attach(const std::string& peer, ConsensusHost* host, std::filesystem::path ledger) {
    std::lock_guard lock(mutex_);
    nodes_[peer] = Entry{host, std::move(ledger)};
  }
  void detach(const std::string& peer) {
    std::lock_guard lock(mutex_);
    nodes_.erase(peer);
  }
  void broadcast(const std::string& from, BytesView message) {
    std::lock_guard lock(mutex_);
    ++broadcasts_[from];
    for (const auto& [peer, entry] : nodes_) {
      if (peer != from)
        entry.host->post_sync_message(from, Bytes(message.begin(), message.end()));
    }
  }
  // How many sync broadcasts (Status announcements) `peer` has made.
  std::size_t broadcasts(const std::string& peer) const {
    std::lock_guard lock(mutex_);
    const auto found = broadcasts_.find(peer);
    return found == broadcasts_.end() ? 0 : found->second;
  }
  void request(const std::string& from, const std::string& to, BytesView message) {
    std::lock_guard lock(mutex_);
    const auto asker = nodes_.find(from);
    const auto asked = nodes_.find(to);
    if (asker == nodes_.end() || asked == nodes_.end())
      return;
    auto decoded = decode_sync_message(message);
    ASSERT_TRUE(decoded.has_value());
    if (std::holds_alternative<SyncStatus>(*decoded)) {
      asked->second.host->post_sync_message(from, Bytes(message.begin(), message.end()));
      return;
    }
    Ledger::Options options;
    options.read_only = true;
    auto ledger = Ledger::open(asked->second.ledger, suite_, options);
    ASSERT_TRUE(ledger.has_value()) << ledger.error().message;
    auto response = serve_get_blocks(*ledger, std::get<GetBlocks>(*decoded));
    ASSERT_TRUE(response.has_value()) << response.error().message;
    asker->second.host->post_sync_message(to, encode_sync_message(std::move(*response)));
  }

 private:
  struct Entry {
    ConsensusHost* host;
    std::filesystem::path ledger;
  };
  CryptoSuite suite_{SuiteId::standard};
  mutable std::mutex mutex_;
  std::map<std::string, Entry> nodes_;             // guarded by mutex_
  std::map<std::string, std::size_t> broadcasts_;  // guarded by mutex_
};

class TestSyncTransport final : public SyncTransport {
 public:
  TestSyncTransport(TestSyncHub& hub, std::string self) : hub_(hub), self_(std::move(self)) {}
  void broadcast_sync(BytesView message) override { hub_.broadcast(self_, message); }
  void send_sync(const std::string& peer, BytesView message) override {
    hub_.request(self_, peer, message);
  }

 private:
  TestSyncHub& hub_;
  std::string self_;
};

// Every tx submitted so far, in order: the pool every node sees through gossip.
class SharedTxs {
 public:
  void submit(std::shared_ptr<const VerifiedTx> tx) {
    std::lock_guard lock(mutex_);
    txs_.push_back(std::move(tx));
  }
  std::vector<std::shared_ptr<const VerifiedTx>> all() const {
    std::lock_guard lock(mutex_);
    return txs_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const VerifiedTx>> txs_;  // guarded by mutex_
};

// One node's view of the shared txs: those its ledger has not included (or refused) yet. The
// executor calls it on the host thread; the test thread reads pending_count().
class SharedTxSource final : public BlockTxSource {
 public:
  SharedTxSource(const SharedTxs& txs, CryptoSuite suite) : txs_(txs), suite_(suite) {}

  std::size_t pending_count() const override { return pending().size(); }
  std::vector<std::shared_ptr<const VerifiedTx>> select(std::uint64_t,
                                                        std::size_t max_txs) override {
    auto candidates = pending();
    if (candidates.size() > max_txs)
      candidates.resize(max_txs);
    return candidates;
  }
  std::shared_ptr<const VerifiedTx> find(const Hash256& tx_hash) const override {
    for (auto& tx : pending()) {
      if (tx->hash() == tx_hash)
        return tx;
    }
    return nullptr;
  }
  void on_committed(const Block& block) override {
    std::lock_guard lock(mutex_);
    for (const Bytes& raw : block.txs)
      done_.insert(suite_.hash(raw));
  }
  void on_rejected(const Hash256& tx_hash, const Error&) override {
    std::lock_guard lock(mutex_);
    done_.insert(tx_hash);
  }

 private:
  std::vector<std::shared_ptr<const VerifiedTx>> pending() const {
    auto all = txs_.all();
    std::lock_guard lock(mutex_);
    std::erase_if(all, [&](const auto& tx) { return done_.contains(tx->hash()); });
    return all;
  }

  const SharedTxs& txs_;
  CryptoSuite suite_;
  mutable std::mutex mutex_;
  std::set<Hash256> done_;  // guarded by mutex_
};

}  // namespace tally::chain::test
