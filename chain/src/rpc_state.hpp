#pragma once
// The dispatcher's shared state and the helpers its method files use (rpc_dispatcher.cpp: the
// protocol; rpc_read_methods.cpp, rpc_exec_methods.cpp, rpc_filter_methods.cpp,
// rpc_tally_methods.cpp: the methods). Internal to tally_chain.

#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include <tally/chain/eth_json.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/rpc_dispatcher.hpp>

namespace tally::chain::rpc {
namespace json = boost::json;

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerError = -32000;
inline constexpr int kLimitExceeded = -32005;
inline constexpr int kExecutionReverted = 3;

struct RpcError {
  int code = kInternalError;
  std::string message;
  std::optional<json::value> data;
};
using RpcResult = std::expected<json::value, RpcError>;

inline std::unexpected<RpcError> rpc_fail(int code, std::string message) {
  return std::unexpected(RpcError{code, std::move(message), std::nullopt});
}
// A library Error as the client sees it: bad input is invalid params, a crossed bound is limit
// exceeded, anything else (store failures) a server error.
std::unexpected<RpcError> rpc_fail(const Error& error);

// Read-only ledger handles, one per concurrent request, kept for reuse.
class LedgerPool {
 public:
  LedgerPool(std::filesystem::path path, SuiteId suite) : path_(std::move(path)), suite_(suite) {}

  class Lease {
   public:
    Lease(LedgerPool& pool, std::unique_ptr<Ledger> ledger)
        : pool_(&pool), ledger_(std::move(ledger)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Ledger& operator*() const noexcept { return *ledger_; }
    Ledger* operator->() const noexcept { return ledger_.get(); }

   private:
    LedgerPool* pool_;
    std::unique_ptr<Ledger> ledger_;
  };

  // A handle whose head is refreshed.
  Result<Lease> acquire();

 private:
  static constexpr std::size_t kMaxIdle = 8;

  std::filesystem::path path_;
  SuiteId suite_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Ledger>> idle_;  // guarded by mutex_
};

struct Filter {
  enum class Kind : std::uint8_t { blocks, logs };
  Kind kind = Kind::blocks;
  FilterRequest criteria;        // logs only
  std::uint64_t next_block = 0;  // the first block the next poll reports
  MonotonicTime last_poll{0};
};

struct Subscription {
  enum class Kind : std::uint8_t { new_heads, logs };
  Kind kind = Kind::new_heads;
  FilterRequest criteria;  // logs only
  std::uint64_t connection_id = 0;
  std::function<void(std::string)> push;
};

}  // namespace tally::chain::rpc

namespace tally::chain {

struct RpcDispatcher::State {
  State(const Config& configuration, RpcNode& rpc_node, const Clock& time)
      : config(configuration),
        node(rpc_node),
        clock(time),
        suite(configuration.suite),
        ledgers(configuration.ledger_path, configuration.suite),
        rng(std::random_device{}()) {}

  Config config;
  RpcNode& node;
  const Clock& clock;
  CryptoSuite suite;
  rpc::LedgerPool ledgers;

  std::mutex publish_mutex;  // one publish_new_blocks at a time
  std::mutex mutex;
  std::map<std::string, rpc::Filter> filters;              // guarded by mutex
  std::map<std::string, rpc::Subscription> subscriptions;  // guarded by mutex
  std::optional<std::uint64_t> last_published;             // guarded by mutex
  std::mt19937_64 rng;                                     // guarded by mutex

  // A fresh random id ("0x" and 32 hex digits), for filters and subscriptions. Needs mutex held.
  std::string new_id();
};

}  // namespace tally::chain

namespace tally::chain::rpc {

// One method call: the state, a ledger handle, the caller and the positional params.
struct Call {
  RpcDispatcher::State& state;
  Ledger& ledger;
  const RpcCaller& caller;
  const json::array& params;
};

using Method = RpcResult (*)(Call& call);
using MethodTable = std::map<std::string, Method, std::less<>>;

void add_read_methods(MethodTable& table);
void add_exec_methods(MethodTable& table);
void add_filter_methods(MethodTable& table);
void add_tally_methods(MethodTable& table);

// ---- Parameters

// Refuses fewer than `min` or more than `max` params.
std::expected<void, RpcError> param_count(const Call& call, std::size_t min, std::size_t max);
// The param at `index`, or null when absent.
const json::value& param(const Call& call, std::size_t index);

template <typename T>
std::expected<T, RpcError> checked(Result<T> result) {
  if (!result)
    return rpc_fail(result.error());
  return std::move(*result);
}

// ---- Ledger reads

// The block's hash on this chain: its digest (block_seal.hpp). A header whose extra data is not a
// ConsensusExtra (never on a tally chain) falls back to the plain header hash.
Hash256 block_hash_of(const BlockHeader& header, const CryptoSuite& suite);

// The block number a selector names, against the current head (tags: every block is final on a
// BFT chain, so latest, safe, finalized and pending are the head). nullopt: no such block.
std::expected<std::optional<std::uint64_t>, RpcError> block_number_of(
    Call& call,
    const BlockSelector& selector);
// The header a state read runs at; "header not found" when there is none.
std::expected<BlockHeader, RpcError> state_header(Call& call, const json::value& selector);
// The head block number; a server error before genesis.
std::expected<std::uint64_t, RpcError> head_number(Call& call);

// The block's txs with their senders.
std::expected<std::vector<VerifiedTx>, RpcError> verified_txs(const Block& block,
                                                              const CryptoSuite& suite);

// The logs of `criteria` between two block numbers, within the dispatcher's limits.
std::expected<std::vector<LogEntry>, RpcError> query_logs(Call& call,
                                                          const FilterRequest& criteria,
                                                          std::uint64_t from,
                                                          std::uint64_t to);
json::array logs_json(const std::vector<LogEntry>& logs);

}  // namespace tally::chain::rpc

namespace tally::chain::rpc {
// The [from, to] blocks a filter covers now: defaults are the head, to stops at the head,
// blockHash pins one block (rpc_read_methods.cpp).
std::expected<std::pair<std::uint64_t, std::uint64_t>, RpcError> resolve_filter_range(
    Call& call,
    const FilterRequest& criteria);
}  // namespace tally::chain::rpc
