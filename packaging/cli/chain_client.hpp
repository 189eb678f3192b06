#pragma once
// What `tally chain` does against a node, without the command line: learning the chain's id and
// crypto suite, loading a signing key, building, signing and submitting a tx in that suite (so a
// guomi chain, which Ethereum tools cannot sign for, has a client), and waiting for its receipt.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

#include "rpc_client.hpp"

namespace tally::cli {

struct ChainParams {
  std::uint64_t chain_id = 0;
  SuiteId suite = SuiteId::standard;
};

// The node's eth_chainId.
Result<std::uint64_t> node_chain_id(const RpcClient& client);
// The suite the node's head block was sealed in (tally_finalityProof "latest"); unavailable when
// the node cannot tell (no sealed block yet): the caller then needs --suite or --genesis.
Result<SuiteId> node_suite(const RpcClient& client);

// A private key file: hex (0x optional), surrounding white space ignored, as node.key and
// accounts.json write keys.
Result<KeyPair> read_key_file(const std::filesystem::path& path, SuiteId suite);
// The key of one account of `tally init`'s accounts.json: `name` is its 1-based position or its
// address. The file's suite must be `suite` (a key of the other suite signs nothing valid).
Result<KeyPair> read_account_key(const std::filesystem::path& accounts_file,
                                 std::string_view name,
                                 SuiteId suite);
// The suite and chain id accounts.json was written for.
Result<ChainParams> read_accounts_params(const std::filesystem::path& accounts_file);

struct TxRequest {
  std::optional<Address> to;  // absent: contract creation
  u256 value;
  Bytes data;
  std::optional<std::uint64_t> gas_limit;  // absent: eth_estimateGas plus kGasMarginPercent
  std::optional<std::uint64_t> nonce;      // absent: the sender's pending nonce
};

// Head room on an estimate: state may change between the estimate and the block (a storage slot
// another tx has just set costs less or more to write).
inline constexpr std::uint64_t kGasMarginPercent = 25;

struct SubmittedTx {
  Hash256 hash;
  Address from;
  std::uint64_t nonce = 0;
  std::uint64_t gas_limit = 0;
};

// Signs the request as an EIP-1559 tx (fees 0: the chain's base fee is 0) in `params.suite` and
// sends it with eth_sendRawTransaction. The node's refusal ("nonce too low", a revert found by the
// estimate) is the error, as the node words it.
Result<SubmittedTx> submit_tx(const RpcClient& client,
                              const ChainParams& params,
                              const KeyPair& key,
                              const TxRequest& request);

// Polls eth_getTransactionReceipt every kReceiptPollInterval until the receipt is there;
// unavailable after `timeout`.
inline constexpr std::chrono::milliseconds kReceiptPollInterval{100};
Result<boost::json::object> wait_for_receipt(const RpcClient& client,
                                             const Hash256& tx_hash,
                                             std::chrono::milliseconds timeout);

}  // namespace tally::cli
