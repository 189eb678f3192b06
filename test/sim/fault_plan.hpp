#pragma once
// A seeded schedule of faults for one run: during [0, heal_ms) the links lose, duplicate, delay
// and reorder messages, partitions and one-way link cuts come and go, honest nodes crash and
// restart from their persisted state, and up to f validators are byzantine. At heal_ms every link
// is reliable again, every partition and cut heals and every crashed node restarts; byzantine
// nodes keep misbehaving.

#include <cstdint>
#include <random>
#include <vector>

#include "sim/sim_network.hpp"

namespace tally::sim {

struct PartitionEpisode {
  std::uint64_t start_ms = 0;
  std::uint64_t end_ms = 0;
  std::vector<std::uint32_t> group_of_node;
};

// Some directed links drop everything: one node hears another that does not hear it back.
struct CutEpisode {
  std::uint64_t start_ms = 0;
  std::uint64_t end_ms = 0;
  std::vector<std::pair<std::size_t, std::size_t>> links;
};

struct CrashEpisode {
  std::size_t node = 0;
  std::uint64_t crash_ms = 0;
  std::uint64_t restart_ms = 0;  // at or before heal_ms
};

struct FaultPlan {
  std::uint64_t heal_ms = 0;
  LinkFaults faulty_links;
  LinkFaults healed_links;
  std::vector<PartitionEpisode> partitions;
  std::vector<CutEpisode> cuts;
  std::vector<CrashEpisode> crashes;
  std::vector<std::size_t> byzantine;        // node indices
  std::vector<std::uint32_t> misbehaviours;  // per byzantine node
};

// For n nodes: up to f byzantine, some honest nodes crashing (any number at a time, all back by
// the heal), partitions of any shape, one-way link cuts.
FaultPlan make_fault_plan(std::size_t nodes, std::uint64_t heal_ms, std::mt19937_64& rng);

}  // namespace tally::sim
