#pragma once
// One seeded run of n validators in one process: real QBFT engines (tally::chain::QbftEngine), a
// toy executor each, the virtual network and clock, a fault plan, and a test double of block sync
// (a node behind a connected honest peer is handed that peer's next final block). The run lasts
// through the fault phase, then until every honest node has finalised a block beyond the highest
// final at the heal, or the liveness bound passes (a violation).

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <tally/chain/consensus_store.hpp>
#include <tally/chain/qbft_engine.hpp>
#include <tally/core/crypto_suite.hpp>

#include "sim/byzantine.hpp"
#include "sim/event_queue.hpp"
#include "sim/fault_plan.hpp"
#include "sim/invariants.hpp"
#include "sim/sim_network.hpp"
#include "sim/toy_executor.hpp"

namespace tally::sim {

struct ScenarioConfig {
  std::size_t validators = 4;
  SuiteId suite = SuiteId::standard;
  std::uint64_t heal_ms = 20'000;             // length of the fault phase
  std::uint64_t liveness_bound_ms = 120'000;  // after the heal
  bool faults = true;
  bool submit_txs = true;
};

struct ScenarioResult {
  std::vector<std::string> violations;
  std::uint64_t final_blocks = 0;      // highest block_number finalised
  std::uint64_t heal_to_final_ms = 0;  // heal until every honest node has a new final block
  std::uint64_t messages = 0;
  std::size_t byzantine = 0;
  std::size_t crashes = 0;
};

ScenarioResult run_scenario(const ScenarioConfig& config, std::uint64_t seed);

class Simulation {
 public:
  Simulation(const ScenarioConfig& config, std::uint64_t seed);
  ~Simulation();
  ScenarioResult run();

 private:
  struct Node;

  bool honest(std::size_t node) const;
  bool up(std::size_t node) const;
  void feed(std::size_t node, chain::Event event);
  void feed_later(std::size_t node, std::uint64_t delay_ms, chain::Event event);
  void perform(std::size_t node, std::vector<chain::Action> actions);
  void perform_one(std::size_t node, chain::Action& action);
  void send(std::size_t from, std::size_t to, const Bytes& message);
  void crash(std::size_t node);
  void restart(std::size_t node);
  void submit_tx();
  void sync_tick();
  void byzantine_tick();
  void schedule_plan();
  bool everyone_past(std::uint64_t block_number) const;

  ScenarioConfig config_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
  CryptoSuite suite_;
  EventQueue queue_;
  FaultPlan plan_;
  TxFeed feed_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::unique_ptr<chain::ValidatorSet> validators_;
  std::unique_ptr<InvariantChecker> checker_;
  std::unique_ptr<SimNetwork> network_;
  std::shared_ptr<chain::SignerCache> signers_ = std::make_shared<chain::SignerCache>();
};

}  // namespace tally::sim
