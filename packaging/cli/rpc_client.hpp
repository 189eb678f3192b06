#pragma once
// A JSON-RPC 2.0 client over HTTP/1.1 for `tally chain`: one request per call on a fresh
// connection, bounded in time and in response size. Beast stays in rpc_client.cpp.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <tally/core/error.hpp>

namespace tally::cli {

// eth_getLogs may answer 10,000 logs; far more than that is not a node talking.
inline constexpr std::size_t kMaxRpcResponseBytes = std::size_t{64} << 20;
inline constexpr std::chrono::milliseconds kRpcTimeout{30'000};

// "http://host:port/target": no TLS (a node's RPC listens on plain HTTP), port required.
struct RpcEndpoint {
  std::string host;
  std::string port;
  std::string target = "/";

  std::string url() const { return "http://" + host + ":" + port + target; }
};
// invalid_argument naming what is wrong with the URL.
Result<RpcEndpoint> parse_rpc_url(std::string_view url);

// The "result" of one JSON-RPC response body (what RpcClient::call does with the node's answer;
// the body comes from outside, so this is fuzzed: test/fuzz/rpc_response_fuzz.cpp). `where` starts
// every error message ("eth_chainId at http://...").
Result<boost::json::value> parse_rpc_response(std::string_view body, std::string_view where);

// Whether `error` is a JSON-RPC error answer from RpcClient::call (the node understood the request
// and refused it: "nonce too low", "execution reverted"), rather than a failure to ask.
bool is_rpc_refusal(const Error& error);

class RpcClient {
 public:
  explicit RpcClient(RpcEndpoint endpoint, std::chrono::milliseconds timeout = kRpcTimeout)
      : endpoint_(std::move(endpoint)), timeout_(timeout) {}

  // The call's "result". Failures name the method and the URL: io_error when the node cannot be
  // reached, does not answer in time, or answers past the size bound or with an HTTP error;
  // malformed for a body that is not a JSON-RPC response; invalid_argument for a JSON-RPC error,
  // "RPC error <code>: <message>" (plus its data, e.g. revert bytes, when present).
  Result<boost::json::value> call(std::string_view method, boost::json::array params) const;

  const RpcEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  Result<std::string> post(const std::string& body) const;

  RpcEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
};

}  // namespace tally::cli
