#pragma once
// Block sync: how a node that fell behind (restarted, cut off, new) fetches the final blocks it
// lacks from its peers. A pure deterministic state machine like the consensus engine: handle()
// takes an event (with the host's monotonic time) and returns actions; no I/O, threads or clock.
//
// Protocol (sync_message.hpp): peers announce Status{head}; when some peer is ahead, BlockSync
// asks GetBlocks for consecutive ranges of at most kMaxBlocksPerResponse blocks above the local
// head, from peers whose head covers them: at most `max_outstanding` requests at once, one per
// peer, and nothing beyond a window of max_outstanding * blocks_per_request blocks above the
// head. Each Blocks response is checked before any block of it is handed on:
//   - it answers the peer's outstanding request (same first block_number, no more blocks than
//     asked): anything else is refused;
//   - every block is final for the genesis validator set (verify_finality) and links to the one
//     before it (parent_hash = the previous block's digest), the first to the local head when it
//     is the next block;
// a refused response penalises the peer (not asked again for penalty_ms) and its range is asked of
// another peer. A request unanswered after request_timeout_ms does the same.
//
// Verified blocks are handed on in order by SyncCommit. The host executes and writes each one
// (BlockExecutor::commit re-executes it and checks every root against the header before writing)
// and reports every new head with SyncLocalHead (also for blocks consensus commits), or the
// first block that failed with SyncCommitFailed: its peer is penalised and the range fetched
// again elsewhere. Only one SyncCommit is outstanding at a time.
//
// With the engine: the host feeds each block of a SyncCommit to QbftEngine as a BlockSynced event
// (the engine checks it is its block_number and final, answers CommitBlock and moves to the next
// block_number), performs that CommitBlock with BlockExecutor::commit and reports the result
// here. If that commit fails (the block does not execute to its roots, or the ledger cannot write
// it), the engine has moved past a block that was not written: the host stops the node with a
// fatal error rather than go on from a state it cannot vouch for (a block sealed by a quorum that
// does not execute means a byzantine quorum or a local fault, and deserves the loud path). A block
// the engine does not take (not its block_number, not final) is reported as SyncCommitFailed.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/sync_message.hpp>
#include <tally/chain/validator_set.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

// A peer as the host names it (the network's node id).
using PeerId = std::string;

// Peers tracked at once; statuses from more are ignored until one goes.
inline constexpr std::size_t kMaxSyncPeers = 64;

struct SyncConfig {
  CryptoSuite suite{SuiteId::standard};
  ValidatorSet validators;  // the genesis set: the set is fixed at genesis
  std::uint64_t request_timeout_ms = 5'000;
  std::uint64_t penalty_ms = 30'000;
  std::size_t max_outstanding = 4;
  std::uint64_t blocks_per_request = kMaxBlocksPerResponse;  // 1..kMaxBlocksPerResponse
};

// ---- Events
struct SyncPeerStatus {
  PeerId peer;
  SyncStatus status;
};
struct SyncPeerGone {
  PeerId peer;
};
struct SyncBlocksReceived {
  PeerId peer;
  BlocksResponse response;
};
// Time passes (time-outs); the host ticks about every second.
struct SyncTick {};
// The ledger's head moved (sync or consensus committed a block).
struct SyncLocalHead {
  std::uint64_t block_number = 0;
  Hash256 digest;
};
// Executing or writing block `block_number` of a SyncCommit failed; nothing from it on was written.
struct SyncCommitFailed {
  std::uint64_t block_number = 0;
  Error error;
};

struct SyncEvent {
  std::uint64_t now_ms = 0;
  std::variant<SyncPeerStatus,
               SyncPeerGone,
               SyncBlocksReceived,
               SyncTick,
               SyncLocalHead,
               SyncCommitFailed>
      what;
};

// ---- Actions
// Send encode_sync_message(request) to `peer` on the sync channel.
struct SyncSendRequest {
  PeerId peer;
  GetBlocks request;
};
// Commit these blocks in order; the first extends the local head. `peer` sent the last of them
// (operators' logs name it).
struct SyncCommit {
  std::vector<Block> blocks;
  PeerId peer;
};
using SyncAction = std::variant<SyncSendRequest, SyncCommit>;

struct SyncCounters {
  std::uint64_t requests = 0;
  std::uint64_t responses_accepted = 0;
  std::uint64_t responses_refused = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t commits_failed = 0;
  std::uint64_t blocks_committed = 0;
};

class BlockSync {
 public:
  BlockSync(SyncConfig config, std::uint64_t head_block_number, const Hash256& head_digest);

  std::vector<SyncAction> handle(const SyncEvent& event);

  std::uint64_t head_block_number() const noexcept { return head_number_; }
  // The highest head a peer announced (the local head if none is higher).
  std::uint64_t best_known_block_number() const noexcept;
  bool behind() const noexcept { return best_known_block_number() > head_number_; }
  const SyncCounters& counters() const noexcept { return counters_; }
  // Why the last response or commit was refused (tests and logs).
  const std::optional<Error>& last_refusal() const noexcept { return last_refusal_; }

 private:
  struct Request {
    GetBlocks range;
    std::uint64_t sent_ms = 0;
  };
  struct Peer {
    SyncStatus status;
    std::optional<Request> outstanding;
    std::uint64_t penalised_until_ms = 0;
  };
  struct Ready {
    PeerId peer;
    Block block;
    Hash256 digest;
  };

  void on_status(const SyncPeerStatus& status);
  void on_blocks(const SyncBlocksReceived& received);
  Result<std::vector<Ready>> check_response(const PeerId& peer,
                                            const Request& request,
                                            BlocksResponse response) const;
  void on_local_head(const SyncLocalHead& head);
  void on_commit_failed(const SyncCommitFailed& failed);
  void penalise(const PeerId& peer, const Error& reason);
  void expire_requests();
  void request_more();
  bool covered(std::uint64_t block_number) const;
  const PeerId* pick_peer(std::uint64_t from) const;
  void deliver();

  SyncConfig config_;
  std::uint64_t now_ms_ = 0;
  std::uint64_t head_number_;
  Hash256 head_digest_;
  std::map<PeerId, Peer> peers_;
  std::map<std::uint64_t, Ready> ready_;        // verified, waiting to extend the head
  std::map<std::uint64_t, PeerId> committing_;  // handed on by the SyncCommit in flight
  std::vector<SyncAction> out_;
  SyncCounters counters_;
  std::optional<Error> last_refusal_;
};

// The answer to `request` from `ledger`: the blocks it has from request.from_block_number on, at
// most request.count and as many as fit in `max_bytes` (at least one if it has any; a block alone
// above the bound is limit_exceeded).
Result<BlocksResponse> serve_get_blocks(Ledger& ledger,
                                        const GetBlocks& request,
                                        std::size_t max_bytes = kMaxSyncMessageBytes);

}  // namespace tally::chain
