#pragma once
// What eth_getLogs asks the ledger: logs of a block range, optionally from some addresses and with
// some topics at each position (each position: any of the listed topics; an empty list matches
// anything). Results come in chain order: by block, then by position in the block.

#include <array>
#include <cstdint>
#include <vector>

#include <tally/chain/receipt.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

// Bounds on one query, so a client cannot make the node build an unbounded answer.
inline constexpr std::size_t kMaxFilterAddresses = 1'000;
inline constexpr std::size_t kMaxFilterTopicsPerPosition = 1'000;
inline constexpr std::size_t kMaxLogResults = 10'000;

struct LogFilter {
  std::uint64_t from_block = 0;
  std::uint64_t to_block = 0;  // inclusive
  std::vector<Address> addresses;
  std::array<std::vector<Hash256>, kMaxTopics> topics;
};

struct LogEntry {
  Log log;
  std::uint64_t block_number = 0;
  Hash256 block_hash;
  std::uint32_t tx_index = 0;
  Hash256 tx_hash;
  std::uint32_t log_index = 0;  // position in the block

  bool operator==(const LogEntry&) const = default;
};

}  // namespace tally::chain
