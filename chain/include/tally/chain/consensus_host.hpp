#pragma once
// The consensus host: runs a node's QBFT engine (qbft_engine.hpp) on one thread of its own and
// turns the engine's actions into effects. Other threads only post to its inbox
// (consensus_inbox.hpp) and read its status snapshot; everything else (the engine, the timers,
// execution and the executor's ledger) belongs to the host thread.
//
// - Time: events carry wall-clock milliseconds (block timestamps are wall-clock seconds, and the
//   engine compares them with now); timers run on the monotonic clock, so a wall clock step does
//   not fire or stall them. Both come from the injected Clock.
// - Actions: Broadcast and SendTo go to the ConsensusTransport; SetTimer replaces the timer of its
//   kind; BuildBlock and ValidateBlock run on the executor synchronously and their results go
//   back to the engine before the next inbox item; CommitBlock writes through the executor, then
//   calls on_committed and tells the engine the pool's new size.
// - Observers (not in the validator set) run no engine: they apply the sealed blocks sync hands
//   them, in order, after verify_finality. Validators also take synced blocks, through the
//   engine, which commits the one it is deciding.
// - Sync (with a SyncTransport): the host runs BlockSync on its thread. Peers' Status and Blocks
//   messages arrive through the inbox; the host announces its head to a peer when it connects,
//   to every peer after each commit (once per SyncCommit while catching up, not per block) and
//   every few seconds, sends BlockSync's requests, and commits the blocks it hands on through the
//   engine (validators) or directly (observers), reporting each new head back and logging
//   "synced to block" per SyncCommit. GetBlocks is served outside the host (it needs only a
//   read-only ledger).
// - A final block that the executor cannot write is fatal: the host stops deciding, marks its
//   status failed and calls on_fatal (tallyd exits non-zero; the node must not go on from a ledger
//   that disagrees with the chain).
// - stop(): the inbox refuses new events, a block being executed finishes (the executor's ledger
//   commit is atomic anyway), then the thread ends and is joined. Consensus state is saved by the
//   engine before any message that depends on it leaves, so a restart resumes safely.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <tally/chain/block_sync.hpp>
#include <tally/chain/consensus_executor.hpp>
#include <tally/chain/consensus_inbox.hpp>
#include <tally/chain/consensus_store.hpp>
#include <tally/chain/consensus_transport.hpp>
#include <tally/chain/qbft_engine.hpp>
#include <tally/core/clock.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/log.hpp>

namespace tally::chain {

// How long the host thread sleeps at most without an event or a due timer. Bounds the delay with
// which a ManualClock moved by a test is noticed; costs nothing in a node.
inline constexpr std::chrono::milliseconds kHostMaxWait{50};
// BlockSync's clock tick, and how often the host announces its head to every peer (besides after
// each commit), so a peer that connected since learns it.
inline constexpr std::chrono::milliseconds kSyncTickEvery{1000};
inline constexpr std::uint64_t kSyncStatusEveryTicks = 5;

enum class NodeRole : std::uint8_t { validator, observer };

struct HostCounters {
  std::uint64_t messages = 0;          // consensus messages handed to the engine
  std::uint64_t ignored_messages = 0;  // from a non-validator peer, or on an observer
  std::uint64_t timers_fired = 0;
  std::uint64_t blocks_built = 0;      // non-empty builds
  std::uint64_t blocks_validated = 0;  // validations that passed
  std::uint64_t blocks_refused = 0;    // validations that failed
  std::uint64_t blocks_committed = 0;
  std::uint64_t synced_blocks = 0;          // synced blocks received
  std::uint64_t execution_errors = 0;       // build failures
  std::uint64_t sync_messages_refused = 0;  // undecodable, or a kind the host does not take
};

// A consistent picture for tally_consensusStatus, taken after each event the host handled.
struct ConsensusStatus {
  NodeRole role = NodeRole::validator;
  bool running = false;
  bool failed = false;
  std::string failure;
  std::uint64_t head_block_number = 0;  // the last final block written
  std::uint64_t block_number = 0;       // being decided (validators); head + 1 for observers
  std::uint32_t round = 0;
  Address proposer;  // of block_number in round (validators)
  std::vector<Address> validators;
  std::optional<Instant> last_commit;  // wall-clock time of the last commit by this host
  EngineCounters engine;
  HostCounters host;
  InboxCounters inbox;
  bool syncing = false;  // a peer announced a head above ours
  std::uint64_t best_known_block_number = 0;
  SyncCounters sync;
};

struct ConsensusHostConfig {
  EngineConfig engine;  // suite, validators, timing
  std::size_t inbox_capacity = kDefaultInboxCapacity;
  // Block sync (block_sync.hpp) runs on the host thread when given; outlives the host.
  SyncTransport* sync_transport = nullptr;
};

struct ConsensusHostCallbacks {
  // On the host thread after a final block is written; keep it short (hand work to other threads).
  std::function<void(const Block&)> on_committed;
  // On the host thread when the host stops deciding because a final block could not be written.
  std::function<void(const Error&)> on_fatal;
};

class ConsensusHost {
 public:
  using EngineInput = decltype(Event::what);

  // `head` is the executor's last final block. Everything referenced outlives the host. The role
  // follows from whether the key's address is in the validator set.
  ConsensusHost(ConsensusHostConfig config,
                const KeyPair& key_pair,
                ConsensusStore& store,
                ConsensusExecutor& executor,
                ConsensusTransport& transport,
                const Clock& clock,
                Logger logger,
                ConsensusHostCallbacks callbacks,
                const BlockHeader& head);
  ~ConsensusHost();  // stops
  ConsensusHost(const ConsensusHost&) = delete;
  ConsensusHost& operator=(const ConsensusHost&) = delete;

  void start();
  void stop();

  // Thread-safe; false when the inbox is full or stopped.
  bool post_message(const Address& sender, Bytes message);
  bool post_pending_txs(std::size_t pending);
  bool post_synced_block(Block block);
  bool post_sync_message(std::string peer, Bytes message);
  bool post_sync_peer_left(std::string peer);
  bool post_sync_peer_joined(std::string peer);
  // Wakes the host thread now (after a test moved a ManualClock).
  void wake() { inbox_.wake(); }

  ConsensusStatus status() const;
  NodeRole role() const noexcept { return role_; }
  const Address& address() const noexcept { return address_; }

 private:
  struct Timer {
    std::uint64_t token = 0;
    MonotonicTime due{0};
  };

  void run();
  void handle(InboxBatch& batch);
  void fire_due_timers();
  std::chrono::nanoseconds time_to_next_timer() const;
  void feed(EngineInput what);
  void perform(const Action& action, std::vector<EngineInput>& results);
  void build(const BuildBlock& request, std::vector<EngineInput>& results);
  void validate(const ValidateBlock& request, std::vector<EngineInput>& results);
  void commit(const Block& block, std::vector<EngineInput>& results);
  void follow(const Block& block);
  void on_message(const InboundMessage& message);
  void on_sync_message(const InboundSync& message);
  void sync_event(decltype(SyncEvent::what) what);
  void drain_sync();
  void sync_commit(const SyncCommit& commit);
  void commit_synced_blocks(const std::vector<Block>& blocks);
  void announce_head();
  void fatal(const Error& error);
  std::uint64_t now_ms() const;
  void publish_status();

  ConsensusHostConfig config_;
  const KeyPair& key_pair_;
  Address address_;
  NodeRole role_;
  ConsensusStore& store_;
  ConsensusExecutor& executor_;
  ConsensusTransport& transport_;
  const Clock& clock_;
  Logger logger_;
  ConsensusHostCallbacks callbacks_;
  ConsensusInbox inbox_;

  // Host thread only.
  BlockHeader head_;
  Hash256 head_digest_;
  std::unique_ptr<QbftEngine> engine_;  // validators
  std::map<TimerKind, Timer> timers_;
  std::optional<BlockSync> sync_;
  std::deque<SyncAction> sync_actions_;
  MonotonicTime next_sync_tick_{0};
  std::uint64_t sync_ticks_ = 0;
  bool committing_synced_ = false;  // in sync_commit: announce once at its end
  HostCounters counters_;
  std::optional<Instant> last_commit_;
  bool failed_ = false;
  std::string failure_;

  mutable std::mutex status_mutex_;
  ConsensusStatus status_;  // guarded by status_mutex_

  std::mutex lifecycle_mutex_;
  std::thread thread_;  // guarded by lifecycle_mutex_
};

}  // namespace tally::chain
