#pragma once
// What goes into and comes out of the consensus engine (qbft_engine.hpp). Every event carries
// the time (milliseconds on the host's monotonic clock): the engine has no clock of its own. The
// host turns actions into effects: network sends, timers, execution and the ledger, and feeds
// back their results (a built or validated block) as events.

#include <cstdint>
#include <optional>
#include <variant>

#include <tally/chain/block.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

enum class TimerKind : std::uint8_t {
  round,         // the round's time-out
  block_period,  // the earliest moment the next block may be proposed
};

struct MessageReceived {
  Bytes message;  // a consensus message as peers send it (qbft_message.hpp)
};
// A timer the engine set; `token` tells a current timer from a superseded one.
struct TimerFired {
  TimerKind kind = TimerKind::round;
  std::uint64_t token = 0;
};
// The tx pool's size changed; 0 means idle, and no block will be proposed.
struct TxsAvailable {
  std::size_t pending = 0;
};
// The answer to BuildBlock: the executed block, or nothing when there was nothing to build.
struct BlockBuilt {
  std::optional<Block> block;
};
// The answer to ValidateBlock.
struct BlockValidated {
  Hash256 digest;
  bool valid = false;
};
// A sealed block fetched by sync, for the block_number the engine is deciding.
struct BlockSynced {
  Block block;
};

struct Event {
  std::uint64_t now_ms = 0;
  std::variant<MessageReceived, TimerFired, TxsAvailable, BlockBuilt, BlockValidated, BlockSynced>
      what;
};

// To every other validator.
struct Broadcast {
  Bytes message;
};
// To one validator.
struct SendTo {
  Address validator;
  Bytes message;
};
// Replaces any running timer of the same kind.
struct SetTimer {
  TimerKind kind = TimerKind::round;
  std::uint64_t token = 0;
  std::uint64_t delay_ms = 0;
};
// Build and execute a block on `parent` from pending txs, with these header fields; answer with
// BlockBuilt.
struct BuildBlock {
  BlockHeader parent;
  std::uint64_t block_number = 0;
  std::uint64_t timestamp = 0;  // seconds
  Address beneficiary;
  Bytes extra_data;
};
// Execute `block` on `parent` and check its roots; answer with BlockValidated.
struct ValidateBlock {
  Block block;
  BlockHeader parent;
};
// `block` is final (sealed, verify_finality holds): execute it if not done and write it.
struct CommitBlock {
  Block block;
};

using Action = std::variant<Broadcast, SendTo, SetTimer, BuildBlock, ValidateBlock, CommitBlock>;

}  // namespace tally::chain
