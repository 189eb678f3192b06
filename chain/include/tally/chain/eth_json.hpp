#pragma once
// Ethereum JSON-RPC encodings (execution-apis): quantities as minimal 0x-hex ("0x0", "0x1a"), data
// as 0x-hex of every byte; blocks, transactions, receipts and logs in the shapes clients such as
// ethers read; and strict parsing of request parameters (block tags, call and filter objects).
//
// On this chain a block's "hash" is its digest (block_seal.hpp: the header hash with round 0 and
// no commit seals), the same on every node and the next block's parentHash. Parsing is strict:
// a quantity has no leading zeros and fits its width, data is an even number of hex digits,
// addresses and hashes are exactly 20 and 32 bytes, unknown members of call and filter objects
// are refused. Every refusal names the parameter.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include <tally/chain/block.hpp>
#include <tally/chain/log_filter.hpp>
#include <tally/chain/receipt.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/error.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

// ---- Encoding

std::string eth_quantity(std::uint64_t value);
std::string eth_quantity(const u256& value);
std::string eth_data(BytesView bytes);

// Where a mined tx is; absent for a pending one (its block fields are null).
struct TxPlace {
  Hash256 block_hash;
  std::uint64_t block_number = 0;
  std::uint32_t tx_index = 0;
};

// The tx object. Signature fields: standard gives v, r, s (and yParity for typed txs) as Ethereum
// does; guomi gives r and s of the SM2 signature, v and yParity "0x0", and "publicKey" (64 bytes,
// x || y), which is what recovers the sender in that suite.
boost::json::object eth_tx_json(const VerifiedTx& tx, const std::optional<TxPlace>& place);

struct ReceiptPlace {
  TxPlace tx;
  std::uint64_t gas_used = 0;         // this tx's: its cumulative minus the previous one's
  std::uint32_t first_log_index = 0;  // logs of earlier txs of the block
  u256 base_fee;
};

boost::json::object eth_receipt_json(const Receipt& receipt,
                                     const VerifiedTx& tx,
                                     const ReceiptPlace& place);

boost::json::object eth_log_json(const LogEntry& entry);

// The block object; `txs` are the block's txs with their senders (for full_txs; otherwise only
// their hashes are used). `digest` is the block's hash.
boost::json::object eth_block_json(const Block& block,
                                   const Hash256& digest,
                                   const std::vector<VerifiedTx>& txs,
                                   bool full_txs);

// ---- Parsing request parameters

enum class BlockTag : std::uint8_t { latest, earliest, pending, safe, finalized };

// A block tag, a block number, or (EIP-1898) {"blockHash": ...} / {"blockNumber": ...}.
using BlockSelector = std::variant<BlockTag, std::uint64_t, Hash256>;

Result<std::uint64_t> parse_eth_u64(const boost::json::value& value, std::string_view name);
Result<u256> parse_eth_u256(const boost::json::value& value, std::string_view name);
Result<Bytes> parse_eth_data(const boost::json::value& value, std::string_view name);
Result<Address> parse_eth_address(const boost::json::value& value, std::string_view name);
Result<Hash256> parse_eth_hash(const boost::json::value& value, std::string_view name);
Result<BlockSelector> parse_block_selector(const boost::json::value& value, std::string_view name);

// eth_call's and eth_estimateGas's transaction object. Its accessList counts as a tx's does
// (intrinsic gas, warm addresses and slots), so an estimate covers the tx a client then signs with
// that list. Entries plus storage keys are at most kMaxCallAccessListItems: about what the tx
// pool's 128 KiB bound lets a signed tx carry (33 bytes an item).
inline constexpr std::size_t kMaxCallAccessListItems = 4'096;

struct CallRequest {
  std::optional<Address> from;
  std::optional<Address> to;
  std::optional<std::uint64_t> gas;
  std::optional<u256> gas_price;
  std::optional<u256> max_fee_per_gas;
  std::optional<u256> max_priority_fee_per_gas;
  u256 value;
  Bytes data;  // "data" or "input" (equal when both are given)
  std::optional<std::uint64_t> nonce;
  AccessList access_list;
};
Result<CallRequest> parse_call_request(const boost::json::value& value);

// eth_getLogs's and eth_newFilter's filter object. Topics: null or [] at a position matches
// anything; a hash matches that topic; a list matches any of its hashes.
struct FilterRequest {
  std::optional<BlockSelector> from_block;
  std::optional<BlockSelector> to_block;
  std::optional<Hash256> block_hash;  // exclusive with from_block/to_block
  std::vector<Address> addresses;
  std::array<std::vector<Hash256>, kMaxTopics> topics;
};
Result<FilterRequest> parse_filter_request(const boost::json::value& value);

}  // namespace tally::chain
