// The consensus simulator's campaigns (see simulation.hpp). Each test runs seeds first..first+k:
//   TALLY_SEED=<n>            replay one seed (a failure prints the whole command)
//   TALLY_SIM_SEEDS=<k>       seeds per scenario (defaults below; a twentieth under sanitizers)
//   TALLY_SIM_FIRST_SEED=<n>  where a campaign starts (default 1)
// packaging/sim.sh runs a long campaign.
#include "sim/simulation.hpp"

#include <cstdlib>
#include <iostream>
#include <string>

#include <gtest/gtest.h>

namespace tally::sim {
namespace {

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::stoull(value) : fallback;
}

std::uint64_t default_seeds(std::uint64_t release_seeds) {
#ifdef TALLY_SIM_SANITIZED
  return std::max<std::uint64_t>(release_seeds / 20, 5);
#else
  return release_seeds;
#endif
}

void campaign(std::size_t validators, std::uint64_t release_seeds, const std::string& test) {
  std::uint64_t first = env_or("TALLY_SIM_FIRST_SEED", 1);
  std::uint64_t count = env_or("TALLY_SIM_SEEDS", default_seeds(release_seeds));
  if (std::getenv("TALLY_SEED") != nullptr) {
    first = env_or("TALLY_SEED", 0);
    count = 1;
  }
  std::uint64_t worst_ms = 0, worst_seed = first, blocks = 0, failures = 0;
  for (std::uint64_t seed = first; seed < first + count && failures < 3; ++seed) {
    ScenarioConfig config;
    config.validators = validators;
    config.suite = seed % 10 == 0 ? SuiteId::guomi : SuiteId::standard;
    const ScenarioResult result = run_scenario(config, seed);
    blocks += result.final_blocks;
    if (result.heal_to_final_ms > worst_ms) {
      worst_ms = result.heal_to_final_ms;
      worst_seed = seed;
    }
    if (!result.violations.empty()) {
      ++failures;
      std::string all;
      for (const std::string& violation : result.violations)
        all += "\n  " + violation;
      ADD_FAILURE() << "seed " << seed << " (n=" << validators << ", " << result.byzantine
                    << " byzantine, " << result.crashes << " crashes):" << all
                    << "\nreplay: TALLY_SEED=" << seed
                    << " ./build/release/test/tally_sim --gtest_filter=Simulation." << test;
    }
  }
  std::cout << "[sim] n=" << validators << ": " << count << " seeds from " << first << ", "
            << blocks << " blocks final, worst time to finality after the heal " << worst_ms
            << " ms (seed " << worst_seed << ")\n";
}

TEST(Simulation, FourValidatorsUnderFaults) {
  campaign(4, 1200, "FourValidatorsUnderFaults");
}

TEST(Simulation, SevenValidatorsUnderFaults) {
  campaign(7, 500, "SevenValidatorsUnderFaults");
}

TEST(Simulation, TenValidatorsUnderFaults) {
  campaign(10, 300, "TenValidatorsUnderFaults");
}

TEST(Simulation, CalmNetworkFinalisesBlocksInBothSuites) {
  for (const SuiteId suite : {SuiteId::standard, SuiteId::guomi}) {
    ScenarioConfig config;
    config.suite = suite;
    config.faults = false;
    const ScenarioResult result = run_scenario(config, 7);
    EXPECT_TRUE(result.violations.empty()) << result.violations.front();
    // A tx every 0.3-1.5 s for 20 s and a 1 s block period: blocks keep coming.
    EXPECT_GE(result.final_blocks, 8u) << suite;
    EXPECT_LT(result.heal_to_final_ms, 5'000u) << suite;
  }
}

TEST(Simulation, IdleChainStaysSilentAndMakesNoBlocks) {
  ScenarioConfig config;
  config.faults = false;
  config.submit_txs = false;
  const ScenarioResult result = run_scenario(config, 3);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_EQ(result.final_blocks, 0u);
  EXPECT_EQ(result.messages, 0u);
}

}  // namespace
}  // namespace tally::sim
