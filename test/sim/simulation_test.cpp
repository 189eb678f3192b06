// The consensus simulator's campaigns (see simulation.hpp). Each test runs seeds first..first+k:
//   TALLY_SEED=<n>            replay one seed (a failure prints the whole command)
//   TALLY_SIM_SEEDS=<k>       seeds per validator count, split over its shards (defaults
//                             below: 2,000 in all; a twentieth under sanitizers)
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

// Runs shard `shard` of `shards` of a campaign of `release_seeds` seeds for n validators.
void campaign(std::size_t validators,
              std::uint64_t release_seeds,
              std::uint64_t shard,
              std::uint64_t shards) {
  const std::uint64_t total = env_or("TALLY_SIM_SEEDS", default_seeds(release_seeds));
  std::uint64_t first = env_or("TALLY_SIM_FIRST_SEED", 1) + shard * (total / shards);
  std::uint64_t count = shard + 1 == shards ? total - shard * (total / shards) : total / shards;
  if (std::getenv("TALLY_SEED") != nullptr) {
    first = env_or("TALLY_SEED", 0);
    count = 1;
  }
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string name = std::string(test->test_suite_name()) + "." + test->name();
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
                    << " ./build/release/test/tally_sim --gtest_filter='" << name << "'";
    }
  }
  std::cout << "[sim] n=" << validators << ": seeds " << first << ".." << first + count - 1 << ", "
            << blocks << " blocks final, worst time to finality after the heal " << worst_ms
            << " ms (seed " << worst_seed << ")\n";
}

// 2,000 seeds in all, in shards of at most 300 so each test stays short.
class FourValidators : public ::testing::TestWithParam<std::uint64_t> {};
class SevenValidators : public ::testing::TestWithParam<std::uint64_t> {};
class TenValidators : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(FourValidators, KeepAgreementValidityAndLivenessUnderFaults) {
  campaign(4, 1200, GetParam(), 4);
}
TEST_P(SevenValidators, KeepAgreementValidityAndLivenessUnderFaults) {
  campaign(7, 500, GetParam(), 2);
}
TEST_P(TenValidators, KeepAgreementValidityAndLivenessUnderFaults) {
  campaign(10, 300, GetParam(), 2);
}
INSTANTIATE_TEST_SUITE_P(Shard, FourValidators, ::testing::Range<std::uint64_t>(0, 4));
INSTANTIATE_TEST_SUITE_P(Shard, SevenValidators, ::testing::Range<std::uint64_t>(0, 2));
INSTANTIATE_TEST_SUITE_P(Shard, TenValidators, ::testing::Range<std::uint64_t>(0, 2));

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
