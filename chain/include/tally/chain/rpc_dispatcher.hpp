#pragma once
// JSON-RPC 2.0 as a function from a request body to a response body, without sockets: the HTTP
// and WebSocket server (rpc_server.hpp) hands every body here, and tests call it directly.
//
// Protocol: single requests and batches; the id is echoed as given (string, number or null); a
// notification (no id) gets no response, and a batch of notifications none at all; an empty batch
// is one -32600 error. Error codes: -32700 parse error, -32600 invalid request, -32601 method not
// found, -32602 invalid params, -32603 internal error, -32000 server error (a refused tx, with the
// pool's text), -32005 limit exceeded, 3 execution reverted (eth_call, eth_estimateGas; data is
// the revert data).
//
// State: the dispatcher reads the ledger through read-only Ledger handles it opens itself (a
// small pool, one handle per concurrent request; SQLite WAL readers never block the writer), and
// keeps the polling filters (eth_newFilter...) and the subscriptions of WebSocket connections.
// Thread-safe: handle() may run on several threads at once.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <tally/chain/rpc_node.hpp>
#include <tally/core/clock.hpp>

namespace tally::chain {

inline constexpr std::size_t kMaxRpcRequestBytes = 5 * 1024 * 1024;
inline constexpr std::size_t kMaxRpcBatchLength = 100;
inline constexpr std::uint64_t kMaxLogBlockRange = 10'000;
inline constexpr std::size_t kMaxRpcLogResults = 10'000;
inline constexpr std::size_t kMaxRpcFilters = 1'024;
inline constexpr std::chrono::minutes kRpcFilterIdle{5};
inline constexpr std::size_t kMaxSubscriptionsPerConnection = 128;
inline constexpr std::uint64_t kMaxFeeHistoryBlocks = 1'024;
inline constexpr std::size_t kMaxProofStorageKeys = 256;

// Every bound, each defaulting to the constant above; tests lower them to cross them cheaply.
struct RpcLimits {
  std::size_t max_request_bytes = kMaxRpcRequestBytes;
  std::size_t max_batch_length = kMaxRpcBatchLength;
  std::uint64_t max_log_block_range = kMaxLogBlockRange;
  std::size_t max_log_results = kMaxRpcLogResults;  // at most the ledger's kMaxLogResults
  std::size_t max_filters = kMaxRpcFilters;
  std::chrono::nanoseconds filter_idle = kRpcFilterIdle;
  std::size_t max_subscriptions_per_connection = kMaxSubscriptionsPerConnection;
};

// Who is asking. A WebSocket connection has an id and a way to push notifications (push must be
// thread-safe and must not block); plain HTTP has neither and cannot subscribe.
struct RpcCaller {
  std::uint64_t connection_id = 0;
  std::function<void(std::string)> push;
};

class RpcDispatcher {
 public:
  struct Config {
    std::filesystem::path ledger_path;
    SuiteId suite = SuiteId::standard;
    RpcLimits limits;
    std::string client_version = "tally/0.1.0";
  };

  // Opens the first read-only ledger handle, so a wrong path or suite fails here. `node` and
  // `clock` must outlive the dispatcher.
  static Result<std::unique_ptr<RpcDispatcher>> open(const Config& config,
                                                     RpcNode& node,
                                                     const Clock& clock);
  ~RpcDispatcher();

  // The response body, or nullopt when there is nothing to answer (notifications).
  std::optional<std::string> handle(std::string_view body, const RpcCaller& caller = {});

  // Pushes newHeads and logs notifications for every block committed since the last call (the
  // server calls it after the node's notify_new_block). Blocks the calling thread while it reads.
  void publish_new_blocks();

  // Drops the subscriptions of a closed connection.
  void connection_closed(std::uint64_t connection_id);

  struct State;  // defined in rpc_state.hpp, shared by the method files

 private:
  explicit RpcDispatcher(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace tally::chain
