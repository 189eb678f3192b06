#pragma once
// What the JSON-RPC server needs from the running node that the ledger does not hold: the chain's
// parameters, the tx pool (submission, pending nonces, pending txs), sync and consensus status,
// the validators and the peers. tallyd implements it; tests use a double. Every member is called
// from the server's threads, concurrently: implementations must be thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tally/chain/transaction.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

class SystemContracts;

struct RpcSyncStatus {
  bool syncing = false;
  std::uint64_t starting_block = 0;
  std::uint64_t current_block = 0;
  std::uint64_t highest_block = 0;
};

struct RpcConsensusStatus {
  std::uint64_t block_number = 0;  // the block being agreed on (head + 1)
  std::uint32_t round = 0;
  Address proposer;  // of the current round
  bool is_validator = false;
};

struct RpcPeer {
  std::string node_id;
  Address account;
  std::string host;  // "host:port"
  bool connected = false;
};

class RpcNode {
 public:
  virtual ~RpcNode() = default;

  virtual std::uint64_t chain_id() const = 0;
  virtual SuiteId suite() const = 0;
  virtual std::uint64_t block_gas_limit() const = 0;

  // Pool admission of one signed tx; the error's message is what the client sees (-32000).
  virtual Result<Hash256> submit_raw_tx(BytesView raw) = 0;
  // The next nonce of `sender` counting its pending txs; nullopt when it has none pending.
  virtual std::optional<std::uint64_t> pending_nonce(const Address& sender) const = 0;
  // A tx waiting in the pool.
  virtual std::optional<Transaction> pending_tx(const Hash256& hash) const = 0;

  virtual RpcSyncStatus syncing() const = 0;
  virtual RpcConsensusStatus consensus_status() const = 0;
  virtual std::vector<Address> validators() const = 0;
  virtual std::vector<RpcPeer> peers() const = 0;

  // The system contracts eth_call and eth_estimateGas run against (null: none). Must outlive the
  // server.
  virtual const SystemContracts* system_contracts() const = 0;
};

}  // namespace tally::chain
