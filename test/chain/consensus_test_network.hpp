#pragma once
// Test doubles around the consensus host: an in-memory network connecting hosts in one process
// (each host's inbox is the queue; a node can be cut off), and a thread-safe wrapper of the
// simulator's toy executor fed from one shared, growing list of txs (the pool every node sees).

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/consensus_host.hpp>
#include <tally/chain/consensus_transport.hpp>

#include "sim/toy_executor.hpp"

namespace tally::test {

class TestConsensusNetwork {
 public:
  void attach(const Address& node, chain::ConsensusHost* host) {
    std::lock_guard lock(mutex_);
    hosts_[node] = host;
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
    for (const auto& [address, host] : hosts_) {
      if (address == from || dropped_.contains(address) || (to != nullptr && *to != address))
        continue;
      host->post_message(from, Bytes(message.begin(), message.end()));
    }
  }
  std::uint64_t sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<Address, chain::ConsensusHost*> hosts_;  // guarded by mutex_
  std::set<Address> dropped_;                       // guarded by mutex_
  std::uint64_t sent_ = 0;                          // guarded by mutex_
};

class TestTransport final : public chain::ConsensusTransport {
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

// Every tx submitted so far, shared by all nodes.
class SharedTxFeed {
 public:
  void submit(Bytes tx) {
    std::lock_guard lock(mutex_);
    txs_.push_back(std::move(tx));
  }
  // Appends the txs `feed` lacks.
  void copy_into(sim::TxFeed& feed) const {
    std::lock_guard lock(mutex_);
    feed.txs.insert(feed.txs.end(), txs_.begin() + static_cast<std::ptrdiff_t>(feed.txs.size()),
                    txs_.end());
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Bytes> txs_;  // guarded by mutex_
};

// The toy executor behind a lock, reading the shared feed: the host thread executes, the test
// thread reads the chain.
class LockedToyExecutor final : public chain::ConsensusExecutor {
 public:
  LockedToyExecutor(CryptoSuite suite, const SharedTxFeed& shared, chain::BlockHeader genesis)
      : shared_(shared), inner_(suite, local_, std::move(genesis)) {}

  std::size_t pending_txs() const override {
    std::lock_guard lock(mutex_);
    shared_.copy_into(local_);
    return inner_.pending_txs();
  }
  Result<std::optional<chain::Block>> build(const chain::BuildBlock& request) override {
    std::lock_guard lock(mutex_);
    shared_.copy_into(local_);
    return inner_.build(request);
  }
  Result<void> validate(const chain::Block& block, const chain::BlockHeader& parent) override {
    std::lock_guard lock(mutex_);
    shared_.copy_into(local_);
    return inner_.validate(block, parent);
  }
  Result<void> commit(const chain::Block& sealed) override {
    std::lock_guard lock(mutex_);
    shared_.copy_into(local_);
    return inner_.commit(sealed);
  }
  chain::BlockHeader head() const {
    std::lock_guard lock(mutex_);
    return inner_.head();
  }
  std::vector<chain::Block> chain() const {
    std::lock_guard lock(mutex_);
    return inner_.chain();
  }

 private:
  const SharedTxFeed& shared_;
  mutable std::mutex mutex_;
  mutable sim::TxFeed local_;  // guarded by mutex_; the toy executor reads it
  sim::ToyExecutor inner_;     // guarded by mutex_
};

}  // namespace tally::test
