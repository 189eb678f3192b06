#include "sim/fault_plan.hpp"

#include <algorithm>

#include "sim/byzantine.hpp"

namespace tally::sim {
namespace {

std::uint64_t pick(std::mt19937_64& rng, std::uint64_t low, std::uint64_t high) {
  return low + rng() % (high - low + 1);
}

}  // namespace

FaultPlan make_fault_plan(std::size_t nodes, std::uint64_t heal_ms, std::mt19937_64& rng) {
  FaultPlan plan;
  plan.heal_ms = heal_ms;
  plan.faulty_links.loss_per_mille = static_cast<std::uint32_t>(pick(rng, 0, 300));
  plan.faulty_links.duplicate_per_mille = static_cast<std::uint32_t>(pick(rng, 0, 200));
  plan.faulty_links.min_delay_ms = pick(rng, 1, 20);
  plan.faulty_links.max_delay_ms = plan.faulty_links.min_delay_ms + pick(rng, 0, 800);
  plan.healed_links = LinkFaults{0, 0, 5, 50};

  std::vector<std::size_t> order(nodes);
  for (std::size_t i = 0; i < nodes; ++i)
    order[i] = i;
  std::ranges::shuffle(order, rng);
  const std::size_t f = (nodes - 1) / 3;
  const std::size_t byzantine = pick(rng, 0, f);
  for (std::size_t i = 0; i < byzantine; ++i) {
    plan.byzantine.push_back(order[i]);
    plan.misbehaviours.push_back(static_cast<std::uint32_t>(pick(rng, 1, kAllMisbehaviours)));
  }

  const std::size_t crashes = pick(rng, 0, nodes - byzantine);
  for (std::size_t i = 0; i < crashes; ++i) {
    const std::uint64_t crash_ms = pick(rng, 0, heal_ms - 1);
    plan.crashes.push_back({order[byzantine + i], crash_ms, pick(rng, crash_ms, heal_ms)});
  }

  const std::size_t partitions = pick(rng, 0, 3);
  for (std::size_t i = 0; i < partitions; ++i) {
    PartitionEpisode episode;
    episode.start_ms = pick(rng, 0, heal_ms - 1);
    episode.end_ms = pick(rng, episode.start_ms, heal_ms);
    const std::uint64_t groups = pick(rng, 2, 3);
    for (std::size_t node = 0; node < nodes; ++node)
      episode.group_of_node.push_back(static_cast<std::uint32_t>(rng() % groups));
    plan.partitions.push_back(std::move(episode));
  }
  const std::size_t cuts = pick(rng, 0, 3);
  for (std::size_t i = 0; i < cuts; ++i) {
    CutEpisode episode;
    episode.start_ms = pick(rng, 0, heal_ms - 1);
    episode.end_ms = pick(rng, episode.start_ms, heal_ms);
    const std::uint64_t links = pick(rng, 1, nodes * 2);
    for (std::uint64_t link = 0; link < links; ++link) {
      const std::size_t from = rng() % nodes;
      const std::size_t to = rng() % nodes;
      if (from != to)
        episode.links.emplace_back(from, to);
    }
    plan.cuts.push_back(std::move(episode));
  }
  return plan;
}

}  // namespace tally::sim
