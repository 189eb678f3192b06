#pragma once
// Receipts and logs exactly as Ethereum encodes them (EIP-2718 typed receipts): a legacy receipt
// is rlp([status, cumulative_gas_used, logs_bloom, logs]); a typed one is the type byte followed by
// that RLP. status is 1 (success) or 0 (failure, encoded as the empty string). A log is
// rlp([address, [topics...], data]). These encodings are what receiptsRoot commits to and what
// eth_getTransactionReceipt reports.

#include <cstdint>
#include <vector>

#include <tally/chain/bloom.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

inline constexpr std::size_t kMaxTopics = 4;  // LOG0..LOG4

struct Log {
  Address address;
  std::vector<Hash256> topics;
  Bytes data;

  bool operator==(const Log&) const = default;
};

// The bloom of a receipt: every log's address and topics.
Bloom logs_bloom(const std::vector<Log>& logs);

struct Receipt {
  std::uint8_t tx_type = 0;  // 0 legacy, 1 EIP-2930, 2 EIP-1559: the type of its transaction
  bool success = true;
  std::uint64_t cumulative_gas_used = 0;
  Bloom bloom;  // logs_bloom(logs) for every receipt this chain makes
  std::vector<Log> logs;

  Bytes encode() const;
  // Strict; refuses unknown types, statuses other than 0 and 1, more than four topics.
  static Result<Receipt> decode(BytesView encoded);

  bool operator==(const Receipt&) const = default;
};

}  // namespace tally::chain
