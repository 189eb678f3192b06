#pragma once
// The consensus host's inbox: what other threads hand to the host thread (consensus messages from
// the network, the tx pool's size, blocks fetched by sync), bounded so a flood from the network
// cannot grow memory. Producers never block: a full inbox refuses and counts the refusal (a lost
// consensus message is recovered by the protocol's round changes; sync asks again). The pool's
// size is not queued but kept as the latest value, so it is never lost and never queues up.
// After close() everything is refused and the consumer wakes.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include <tally/chain/block.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

inline constexpr std::size_t kDefaultInboxCapacity = 4096;

// A consensus message and the chain account of the peer that delivered it (from its
// certificate). The message's signer, not the sender, is what the engine trusts.
struct InboundMessage {
  Address sender;
  Bytes message;
};
// A sealed block fetched by sync, for the next block_number.
struct SyncedBlock {
  Block block;
};

// A sync message (Status or Blocks; sync_message.hpp) from a peer, named by its node id. GetBlocks
// is answered outside the host, from a read-only ledger.
struct InboundSync {
  std::string peer;
  Bytes message;
};
// A peer disconnected: sync stops asking it.
struct SyncPeerLeft {
  std::string peer;
};
// A peer connected: it is told our head at once, so a node that (re)starts behind learns from
// the others' answers without waiting for their next periodic announcement.
struct SyncPeerJoined {
  std::string peer;
};

using InboxItem =
    std::variant<InboundMessage, SyncedBlock, InboundSync, SyncPeerLeft, SyncPeerJoined>;

struct InboxCounters {
  std::uint64_t accepted = 0;
  std::uint64_t refused_full = 0;
  std::uint64_t refused_closed = 0;
};

// What one wait brings: queued items (oldest first), the pool's latest size if it changed, and
// whether the inbox is closed.
struct InboxBatch {
  std::deque<InboxItem> items;
  std::optional<std::size_t> pending_txs;
  bool closed = false;
};

class ConsensusInbox {
 public:
  explicit ConsensusInbox(std::size_t capacity = kDefaultInboxCapacity);

  // False when full or closed.
  bool push(InboxItem item);
  // Always kept unless closed: the newest value replaces an unread older one.
  bool set_pending_txs(std::size_t pending);
  void close();
  // Wakes a consumer waiting in wait_for (a test that moved a ManualClock).
  void wake();

  // Waits up to `timeout` for something, then takes everything there is.
  InboxBatch wait_for(std::chrono::nanoseconds timeout);

  InboxCounters counters() const;
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  bool ready() const { return !items_.empty() || pending_txs_ || closed_ || woken_; }

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<InboxItem> items_;             // guarded by mutex_
  std::optional<std::size_t> pending_txs_;  // guarded by mutex_
  bool closed_ = false;                     // guarded by mutex_
  bool woken_ = false;                      // guarded by mutex_
  InboxCounters counters_;                  // guarded by mutex_
};

}  // namespace tally::chain
