#pragma once
// The node's JSON-RPC endpoint: HTTP and WebSocket on one port (Boost.Beast, behind this pimpl so
// no includer compiles Asio). HTTP: POST / with Content-Type application/json (415 otherwise),
// OPTIONS for CORS preflight, 405 for other methods, 413 past the request bound, CORS headers for
// the allowed origins (403 for another Origin). GET with Upgrade: websocket turns the connection
// into a WebSocket that takes the same requests plus eth_subscribe. Every body goes to an
// RpcDispatcher (rpc_dispatcher.hpp).
//
// Threads: one io_context run by `threads` threads; a connection's work stays on its strand.
// Requests run on those threads (a slow eth_call holds one). notify_new_block() may be called from
// any thread and returns at once: the subscriptions' notifications are built on the server's
// threads. Bounds: connections, idle time, request bytes, and each WebSocket's queue of outgoing
// messages (a reader too slow to keep it below the bound is disconnected).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <tally/chain/rpc_dispatcher.hpp>
#include <tally/chain/rpc_node.hpp>
#include <tally/core/error.hpp>
#include <tally/core/log.hpp>

namespace tally::chain {

inline constexpr std::size_t kMaxRpcConnections = 256;
inline constexpr std::size_t kMaxWsQueuedMessages = 4'096;
inline constexpr std::chrono::seconds kRpcIdleTimeout{60};

struct RpcServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8545;  // 0: any free port (tests)
  std::size_t threads = 2;
  std::vector<std::string> allowed_origins = {"*"};
  std::size_t max_connections = kMaxRpcConnections;
  std::size_t max_ws_queued_messages = kMaxWsQueuedMessages;
  std::chrono::seconds idle_timeout = kRpcIdleTimeout;
  RpcLimits limits;
  std::string client_version = "tally/0.1.0";
};

class RpcServer {
 public:
  // Opens the ledger read-only, binds and starts serving. `node` and `logger` must outlive the
  // server.
  static Result<std::unique_ptr<RpcServer>> start(const RpcServerConfig& config,
                                                  RpcNode& node,
                                                  const std::filesystem::path& ledger_path,
                                                  SuiteId suite,
                                                  Logger& logger);
  ~RpcServer();  // stops

  std::uint16_t port() const noexcept;
  // A block was committed: feed the subscriptions. Thread-safe, returns at once.
  void notify_new_block(std::uint64_t block_number);
  // Closes every connection and joins the threads; idempotent.
  void stop();

  struct Impl;

 private:
  explicit RpcServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tally::chain
