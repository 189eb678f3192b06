#pragma once
// The QBFT consensus engine of one validator, a pure deterministic state machine: handle() takes
// an event (qbft_io.hpp) and returns the actions it causes. No I/O, threads or clock inside; the
// same engine runs in a node and in the seeded simulator (test/sim/).
//
// The protocol, per block_number (after the EEA QBFT specification and PBFT):
// - Round r's proposer, validators[(block_number + r) % n], proposes a block it built and
//   executed; validators check it (qbft_checks.hpp), execute it (ValidateBlock) and PREPARE;
//   on a quorum of prepares a validator is prepared (it keeps the certificate) and COMMITs with a
//   seal; a quorum of commits of any round finalises the block, sealed with them.
// - A round that times out (base * 2^round, capped) ends with a ROUND-CHANGE carrying the
//   highest prepared certificate. The next proposer, holding a quorum of round changes, must
//   re-propose the highest prepared block, and validators accept a proposal above round 0 only
//   with that justification: two quorums share an honest validator, so a block that may have been
//   committed is never replaced.
// - Rounds converge: f + 1 round changes above a node's round move it to the (f+1)-th highest
//   (one of them honest). A time-out moves a node on only when a quorum is known to be in its
//   round or later (round 0 always counts); otherwise it sends its round change again. So a cut
//   off node never runs ahead of the others by more than one round, and after a heal the
//   lowest honest nodes always have a quorum at or above them and catch up.
// - No empty blocks: a proposer builds only when txs are pending, in any round, and validators
//   refuse empty proposals. An idle node sets no round timer, so an idle chain is silent. It
//   starts the timer when txs arrive or any message of the current block_number does, so a
//   missing proposer is replaced: txs reach every pool (tx gossip), every honest validator
//   times out, and the rounds move on to a proposer that is up.
// - Messages for later block_numbers (up to kMaxFutureBlocks ahead) wait in a buffer bounded per
//   sender; later rounds (up to kMaxFutureRounds ahead) are kept in their round state; earlier
//   block_numbers and rounds older than kKeptPastRounds are dropped. Sync (BlockSynced) brings a
//   node that fell behind.
// - Before any message that depends on it leaves, the round and prepared certificate are saved
//   (consensus_store.hpp); a restarted engine resumes in the round after the saved one.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/chain/consensus_store.hpp>
#include <tally/chain/qbft_checks.hpp>
#include <tally/chain/qbft_io.hpp>
#include <tally/chain/qbft_message.hpp>
#include <tally/chain/qbft_round_state.hpp>
#include <tally/chain/validator_set.hpp>
#include <tally/core/crypto_suite.hpp>

namespace tally::chain {

inline constexpr std::uint64_t kMaxFutureBlocks = 4;
inline constexpr std::uint32_t kMaxFutureRounds = 10;
inline constexpr std::uint32_t kKeptPastRounds = 2;
inline constexpr std::size_t kMaxFutureMessagesPerSender = 64;

struct EngineConfig {
  CryptoSuite suite{SuiteId::standard};
  ValidatorSet validators;
  std::uint64_t block_period_s = 1;
  std::uint64_t base_timeout_ms = 2'000;
  std::uint64_t max_timeout_ms = 32'000;
  // Shared by engines that share a process (the simulator); the engine makes its own if null.
  std::shared_ptr<SignerCache> signers;
};

// What the engine did with messages, for tests and metrics.
struct EngineCounters {
  std::uint64_t accepted = 0;
  std::uint64_t undecodable = 0;  // bad encoding or signature
  std::uint64_t refused = 0;      // a check of qbft_checks.hpp failed
  std::uint64_t stale = 0;        // earlier block_number or round
  std::uint64_t duplicate = 0;    // a second message of a kind from one signer in one round
  std::uint64_t buffered = 0;
  std::uint64_t over_limit = 0;  // too far ahead, or the sender's buffer is full
};

class QbftEngine {
 public:
  // `head` is the last final block's header. The key pair and store outlive the engine.
  QbftEngine(EngineConfig config,
             const KeyPair& key_pair,
             ConsensusStore& store,
             const BlockHeader& head);

  // Resumes from the store (see above) or starts round 0 of head + 1.
  std::vector<Action> start(std::uint64_t now_ms);
  std::vector<Action> handle(const Event& event);

  std::uint64_t block_number() const noexcept { return block_number_; }
  std::uint32_t round() const noexcept { return round_; }
  const Address& address() const noexcept { return self_; }
  const std::optional<PreparedCertificate>& prepared() const noexcept { return prepared_; }
  const EngineCounters& counters() const noexcept { return counters_; }
  std::uint64_t timeout_ms(std::uint32_t round) const noexcept;

 private:
  CheckContext context() const;
  void enter_block_number(const BlockHeader& parent);
  void save();
  void emit(Action action) { out_.push_back(std::move(action)); }
  void broadcast(Message message);
  Message sign(Payload payload) const;

  // Messages (qbft_engine.cpp).
  void on_message(const Bytes& bytes);
  void dispatch(Message message);
  void buffer_future(Message message);
  void on_proposal(Message proposal);
  void on_vote(const Message& vote);
  void on_round_change(Message change);
  void on_block_built(std::optional<Block> block);
  void on_block_validated(const Hash256& digest, bool valid);
  void on_block_synced(const Block& block);
  void remember_block(const Block& block, const Hash256& digest);
  void forget_old_rounds();
  const Block* known_block(const Hash256& digest) const;

  // Voting (qbft_engine_votes.cpp).
  void consider_prepare();
  void check_prepared();
  void check_committed(std::uint32_t round);
  void commit_block(const Block& block,
                    std::uint32_t round,
                    const std::vector<SignedPayload>& commits);

  // Rounds and proposing (qbft_engine_rounds.cpp).
  void note_activity();
  void start_round_timer();
  void on_round_timeout();
  bool quorum_reached_round(std::uint32_t round) const;
  void move_to_round(std::uint32_t round);
  void maybe_jump_round();
  Message round_change_message() const;
  // Sends our round change to a validator behind us in this block_number.
  void answer_lagging(const Address& validator);
  void consider_proposing();
  void propose_round0();
  void propose(const Block& block);

  EngineConfig config_;
  const KeyPair& key_pair_;
  Address self_;
  ConsensusStore& store_;
  EngineCounters counters_;
  std::vector<Action> out_;
  std::uint64_t now_ms_ = 0;
  std::size_t pending_txs_ = 0;

  // The block_number being decided and its round.
  BlockHeader parent_;
  Hash256 parent_digest_;
  std::uint64_t block_number_ = 0;
  std::uint32_t round_ = 0;
  std::optional<PreparedCertificate> prepared_;
  std::map<std::uint32_t, RoundState> rounds_;
  std::map<Address, std::uint32_t> latest_round_;  // highest round change seen per validator
  std::map<Hash256, Block> blocks_;
  std::set<Hash256> valid_, invalid_, validating_;
  std::set<std::pair<Address, std::uint32_t>> answered_;
  std::optional<std::uint32_t> building_round_;
  bool round_timer_running_ = false;
  std::uint64_t round_timer_token_ = 0;
  std::uint64_t period_timer_token_ = 0;

  std::map<std::uint64_t, std::vector<Message>> future_;
  std::map<Address, std::size_t> future_per_sender_;
};

}  // namespace tally::chain
