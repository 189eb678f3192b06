#include "support/seed.hpp"

#include <cstdlib>
#include <random>
#include <string>

namespace tally::test {

std::uint64_t test_seed() {
  if (const char* env = std::getenv("TALLY_SEED"))
    return std::stoull(env);
  std::random_device device;
  return (std::uint64_t{device()} << 32) | device();
}

std::string seed_trace(std::uint64_t seed) {
  return "seed " + std::to_string(seed) + " (replay: TALLY_SEED=" + std::to_string(seed) + ")";
}

std::uint64_t property_iterations(std::uint64_t base) {
  if (const char* env = std::getenv("TALLY_PROPERTY_SCALE"))
    return base * std::stoull(env);
  return base;
}

}  // namespace tally::test
