#include "sim/sim_network.hpp"

#include <algorithm>

namespace tally::sim {

SimNetwork::SimNetwork(std::size_t nodes, EventQueue& queue, std::mt19937_64& rng, Deliver deliver)
    : queue_(queue), rng_(rng), deliver_(std::move(deliver)), group_(nodes, 0) {}

std::uint64_t SimNetwork::delay() {
  const std::uint64_t span = faults_.max_delay_ms - faults_.min_delay_ms + 1;
  return faults_.min_delay_ms + rng_() % span;
}

bool SimNetwork::open(std::size_t from, std::size_t to) const {
  return connected(from, to) && std::ranges::find(cut_, std::make_pair(from, to)) == cut_.end();
}

void SimNetwork::send(std::size_t from, std::size_t to, const Bytes& message) {
  ++sent_;
  if (!open(from, to) || rng_() % 1000 < faults_.loss_per_mille)
    return;
  const std::size_t copies = rng_() % 1000 < faults_.duplicate_per_mille ? 2 : 1;
  for (std::size_t copy = 0; copy < copies; ++copy) {
    // The link is checked again on arrival: a partition cuts messages in flight too.
    queue_.after(delay(), [this, from, to, message] {
      if (open(from, to))
        deliver_(from, to, message);
    });
  }
}

}  // namespace tally::sim
