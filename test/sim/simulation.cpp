#include "sim/simulation.hpp"

#include <tally/chain/block_seal.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::sim {

namespace {

constexpr std::uint64_t kStartMs = 1'000'000'000;  // about 1970-01-12: any fixed time will do
constexpr std::uint64_t kExecutionMs = 10;
constexpr std::uint64_t kSyncEveryMs = 500;
constexpr std::uint64_t kForgeEveryMs = 1000;

KeyPair deterministic_key(const CryptoSuite& suite, std::uint64_t seed, std::size_t index) {
  for (std::uint64_t attempt = 0;; ++attempt) {
    const Hash256 secret =
        suite.hash(as_bytes(str_cat("sim key ", seed, " ", index, " ", attempt)));
    if (auto key_pair = suite.key_pair_from_private_key(secret.view()))
      return std::move(*key_pair);
  }
}

}  // namespace

struct Simulation::Node {
  KeyPair key_pair;
  Address address;
  std::unique_ptr<chain::MemoryConsensusStore> store;
  std::unique_ptr<ToyExecutor> executor;
  std::unique_ptr<chain::QbftEngine> engine;  // null while crashed
  std::uint64_t incarnation = 0;
  std::unique_ptr<ByzantineBehaviour> byzantine;
};

Simulation::Simulation(const ScenarioConfig& config, std::uint64_t seed)
    : config_(config), seed_(seed), rng_(seed), suite_(config.suite), queue_(kStartMs) {
  std::vector<Address> addresses;
  for (std::size_t i = 0; i < config_.validators; ++i) {
    KeyPair key_pair = deterministic_key(suite_, seed, i);
    const Address address = suite_.address(key_pair.public_key());
    addresses.push_back(address);
    nodes_.push_back(std::make_unique<Node>(
        Node{std::move(key_pair), address, nullptr, nullptr, nullptr, 0, nullptr}));
  }
  validators_ = std::make_unique<chain::ValidatorSet>(*chain::ValidatorSet::create(addresses));
  checker_ = std::make_unique<InvariantChecker>(*validators_, suite_);
  const chain::BlockHeader genesis = toy_genesis(validators_->addresses());
  for (auto& node : nodes_) {
    node->store = std::make_unique<chain::MemoryConsensusStore>(suite_);
    node->executor = std::make_unique<ToyExecutor>(suite_, feed_, genesis);
  }
  network_ = std::make_unique<SimNetwork>(
      nodes_.size(), queue_, rng_, [this](std::size_t, std::size_t to, const Bytes& message) {
        feed(to, chain::Event{0, chain::MessageReceived{message}});
      });
  if (config_.faults)
    plan_ = make_fault_plan(nodes_.size(), config_.heal_ms, rng_);
  else
    plan_.heal_ms = config_.heal_ms;
  for (std::size_t i = 0; i < plan_.byzantine.size(); ++i) {
    Node& node = *nodes_[plan_.byzantine[i]];
    node.byzantine = std::make_unique<ByzantineBehaviour>(plan_.misbehaviours[i], node.key_pair,
                                                          suite_, rng_, *checker_);
  }
}

Simulation::~Simulation() = default;

bool Simulation::honest(std::size_t node) const {
  return nodes_[node]->byzantine == nullptr;
}

bool Simulation::up(std::size_t node) const {
  return nodes_[node]->engine != nullptr;
}

void Simulation::feed(std::size_t node, chain::Event event) {
  if (!up(node))
    return;
  event.now_ms = queue_.now_ms();
  perform(node, nodes_[node]->engine->handle(event));
}

void Simulation::feed_later(std::size_t node, std::uint64_t delay_ms, chain::Event event) {
  const std::uint64_t incarnation = nodes_[node]->incarnation;
  queue_.after(delay_ms, [this, node, incarnation, event = std::move(event)] {
    if (nodes_[node]->incarnation == incarnation)
      feed(node, event);
  });
}

void Simulation::perform(std::size_t node, std::vector<chain::Action> actions) {
  for (chain::Action& action : actions)
    perform_one(node, action);
}

void Simulation::perform_one(std::size_t node, chain::Action& action) {
  Node& self = *nodes_[node];
  if (auto* broadcast = std::get_if<chain::Broadcast>(&action)) {
    for (std::size_t to = 0; to < nodes_.size(); ++to) {
      if (to != node)
        send(node, to, broadcast->message);
    }
  } else if (auto* send_to = std::get_if<chain::SendTo>(&action)) {
    for (std::size_t to = 0; to < nodes_.size(); ++to) {
      if (nodes_[to]->address == send_to->validator)
        send(node, to, send_to->message);
    }
  } else if (auto* timer = std::get_if<chain::SetTimer>(&action)) {
    feed_later(node, timer->delay_ms,
               chain::Event{0, chain::TimerFired{timer->kind, timer->token}});
  } else if (auto* build = std::get_if<chain::BuildBlock>(&action)) {
    auto built = self.executor->build(*build);
    if (!built) {
      checker_->violation(str_cat("node ", node, ": build failed: ", built.error().message));
      return;
    }
    if (*built) {
      checker_->on_proposed(**built);
      if (honest(node))
        checker_->on_validated_by_honest(*chain::block_digest((*built)->header, suite_));
    }
    feed_later(node, kExecutionMs, chain::Event{0, chain::BlockBuilt{std::move(*built)}});
  } else if (auto* validate = std::get_if<chain::ValidateBlock>(&action)) {
    const bool valid = self.executor->validate(validate->block, validate->parent).has_value();
    const Hash256 digest = *chain::block_digest(validate->block.header, suite_);
    if (valid && honest(node))
      checker_->on_validated_by_honest(digest);
    feed_later(node, kExecutionMs, chain::Event{0, chain::BlockValidated{digest, valid}});
  } else if (auto* commit = std::get_if<chain::CommitBlock>(&action)) {
    if (auto written = self.executor->commit(commit->block); !written) {
      checker_->violation(
          str_cat("node ", node, ": a final block does not execute: ", written.error().message));
      return;
    }
    if (honest(node))
      checker_->on_commit(node, commit->block, queue_.now_ms());
    feed_later(node, 0, chain::Event{0, chain::TxsAvailable{self.executor->pending_txs()}});
  }
}

void Simulation::send(std::size_t from, std::size_t to, const Bytes& message) {
  if (nodes_[from]->byzantine)
    network_->send(from, to, nodes_[from]->byzantine->tamper(message, to));
  else
    network_->send(from, to, message);
}

void Simulation::crash(std::size_t node) {
  nodes_[node]->engine.reset();
  ++nodes_[node]->incarnation;
}

void Simulation::restart(std::size_t node) {
  Node& self = *nodes_[node];
  ++self.incarnation;
  chain::EngineConfig engine_config{suite_, *validators_, 1, 1'000, 16'000, signers_};
  self.engine = std::make_unique<chain::QbftEngine>(std::move(engine_config), self.key_pair,
                                                    *self.store, self.executor->head());
  perform(node, self.engine->start(queue_.now_ms()));
  feed(node, chain::Event{0, chain::TxsAvailable{self.executor->pending_txs()}});
}

void Simulation::submit_tx() {
  feed_.txs.push_back(to_bytes(str_cat("tx ", seed_, " ", feed_.txs.size())));
  for (std::size_t node = 0; node < nodes_.size(); ++node) {
    if (up(node))
      feed(node, chain::Event{0, chain::TxsAvailable{nodes_[node]->executor->pending_txs()}});
  }
}

void Simulation::sync_tick() {
  for (std::size_t node = 0; node < nodes_.size(); ++node) {
    if (!up(node))
      continue;
    const std::size_t have = nodes_[node]->executor->chain().size();
    for (std::size_t peer = 0; peer < nodes_.size(); ++peer) {
      const auto& chain = nodes_[peer]->executor->chain();
      if (peer == node || !up(peer) || !honest(peer) || !network_->connected(node, peer) ||
          chain.size() <= have)
        continue;
      feed_later(node, 20, chain::Event{0, chain::BlockSynced{chain[have]}});
      break;
    }
  }
  queue_.after(kSyncEveryMs, [this] { sync_tick(); });
}

void Simulation::byzantine_tick() {
  for (std::size_t node = 0; node < nodes_.size(); ++node) {
    if (!up(node) || honest(node))
      continue;
    const chain::QbftEngine& engine = *nodes_[node]->engine;
    for (const Bytes& message :
         nodes_[node]->byzantine->forge(engine.block_number(), engine.round())) {
      for (std::size_t to = 0; to < nodes_.size(); ++to) {
        if (to != node)
          network_->send(node, to, message);
      }
    }
  }
  queue_.after(kForgeEveryMs, [this] { byzantine_tick(); });
}

void Simulation::schedule_plan() {
  const std::uint64_t heal_at = kStartMs + plan_.heal_ms;
  network_->set_faults(plan_.faulty_links);
  for (const PartitionEpisode& episode : plan_.partitions) {
    queue_.at(kStartMs + episode.start_ms,
              [this, groups = episode.group_of_node] { network_->partition(groups); });
    queue_.at(kStartMs + episode.end_ms, [this] { network_->heal(); });
  }
  for (const CutEpisode& episode : plan_.cuts) {
    queue_.at(kStartMs + episode.start_ms, [this, links = episode.links] { network_->cut(links); });
    queue_.at(kStartMs + episode.end_ms, [this] { network_->cut({}); });
  }
  for (const CrashEpisode& episode : plan_.crashes) {
    queue_.at(kStartMs + episode.crash_ms, [this, node = episode.node] { crash(node); });
    queue_.at(kStartMs + episode.restart_ms, [this, node = episode.node] {
      if (!up(node))
        restart(node);
    });
  }
  queue_.at(heal_at, [this] {
    network_->heal();
    network_->set_faults(plan_.healed_links);
    for (std::size_t node = 0; node < nodes_.size(); ++node) {
      if (!up(node))
        restart(node);
    }
  });
}

bool Simulation::everyone_past(std::uint64_t block_number) const {
  for (std::size_t node = 0; node < nodes_.size(); ++node) {
    if (honest(node) && nodes_[node]->executor->head().block_number <= block_number)
      return false;
  }
  return true;
}

ScenarioResult Simulation::run() {
  for (std::size_t node = 0; node < nodes_.size(); ++node)
    restart(node);
  schedule_plan();
  queue_.after(kSyncEveryMs, [this] { sync_tick(); });
  queue_.after(kForgeEveryMs, [this] { byzantine_tick(); });
  if (config_.submit_txs) {
    for (std::uint64_t at = 0; at < plan_.heal_ms; at += 300 + rng_() % 1200)
      queue_.at(kStartMs + at, [this] { submit_tx(); });
  }
  const std::uint64_t heal_at = kStartMs + plan_.heal_ms;
  while (queue_.step(heal_at)) {
  }
  queue_.advance_to(heal_at);

  ScenarioResult result;
  const std::uint64_t final_at_heal = checker_->highest_final();
  if (config_.submit_txs)
    submit_tx();
  const std::uint64_t bound = heal_at + config_.liveness_bound_ms;
  while (!everyone_past(final_at_heal) && queue_.step(bound)) {
  }
  if (config_.submit_txs && !everyone_past(final_at_heal)) {
    checker_->violation(str_cat("liveness: no new final block on every honest node within ",
                                config_.liveness_bound_ms, " ms of the heal"));
  }
  result.heal_to_final_ms = queue_.now_ms() - heal_at;
  result.violations = checker_->violations();
  result.final_blocks = checker_->highest_final();
  result.messages = network_->sent();
  result.byzantine = plan_.byzantine.size();
  result.crashes = plan_.crashes.size();
  return result;
}

ScenarioResult run_scenario(const ScenarioConfig& config, std::uint64_t seed) {
  return Simulation(config, seed).run();
}

}  // namespace tally::sim
