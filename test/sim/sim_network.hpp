#pragma once
// The virtual network: every send is delivered after a seeded delay, or lost, or duplicated; the
// delay's jitter reorders messages. Partitions cut links until healed. Who is up is the
// simulation's business; the network only asks whether a link is open.

#include <cstdint>
#include <functional>
#include <random>
#include <utility>
#include <vector>

#include <tally/core/bytes.hpp>

#include "sim/event_queue.hpp"

namespace tally::sim {

struct LinkFaults {
  std::uint32_t loss_per_mille = 0;
  std::uint32_t duplicate_per_mille = 0;
  std::uint64_t min_delay_ms = 5;
  std::uint64_t max_delay_ms = 40;
};

class SimNetwork {
 public:
  using Deliver = std::function<void(std::size_t from, std::size_t to, const Bytes& message)>;

  SimNetwork(std::size_t nodes, EventQueue& queue, std::mt19937_64& rng, Deliver deliver);

  void set_faults(const LinkFaults& faults) { faults_ = faults; }
  // Nodes in different groups cannot talk; group 0 for every node is a healed network.
  void partition(std::vector<std::uint32_t> group_of_node) { group_ = std::move(group_of_node); }
  // One-way cuts: a message from `from` to `to` is lost while its link is cut.
  void cut(std::vector<std::pair<std::size_t, std::size_t>> links) { cut_ = std::move(links); }
  void heal() {
    group_.assign(group_.size(), 0);
    cut_.clear();
  }
  bool connected(std::size_t a, std::size_t b) const { return group_[a] == group_[b]; }
  bool open(std::size_t from, std::size_t to) const;

  void send(std::size_t from, std::size_t to, const Bytes& message);
  std::uint64_t sent() const noexcept { return sent_; }

 private:
  std::uint64_t delay();

  EventQueue& queue_;
  std::mt19937_64& rng_;
  Deliver deliver_;
  LinkFaults faults_;
  std::vector<std::uint32_t> group_;
  std::vector<std::pair<std::size_t, std::size_t>> cut_;
  std::uint64_t sent_ = 0;
};

}  // namespace tally::sim
