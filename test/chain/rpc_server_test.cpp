// The JSON-RPC server over real loopback sockets: HTTP with its status codes and CORS, the bound
// on connections, and a WebSocket subscription fed by notify_new_block.
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <gtest/gtest.h>

#include <tally/chain/rpc_server.hpp>

#include "rpc_fixture.hpp"
#include "support/memory_log_sink.hpp"

namespace tally::chain {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;

class RpcServerTest : public ::testing::Test {
 protected:
  RpcServerTest() : chain_(dir_ / "ledger.db"), logger_(sink_, clock_) {}

  void start(RpcServerConfig config = {}) {
    config.port = 0;
    auto server = RpcServer::start(config, node_, dir_ / "ledger.db", SuiteId::standard, logger_);
    ASSERT_TRUE(server) << server.error();
    server_ = std::move(*server);
  }

  tcp::socket connect() {
    tcp::socket socket(io_);
    socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), server_->port()));
    return socket;
  }

  http::response<http::string_body> send(http::request<http::string_body> request) {
    beast::tcp_stream stream(connect());
    request.set(http::field::host, "127.0.0.1");
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return response;
  }

  http::request<http::string_body> post(std::string body,
                                        std::string_view type = "application/json") {
    http::request<http::string_body> request(http::verb::post, "/", 11);
    request.set(http::field::content_type, type);
    request.body() = std::move(body);
    return request;
  }

  test::TempDir dir_;
  test_rpc::ChainBuilder chain_;
  test_rpc::FakeRpcNode node_;
  test::MemoryLogSink sink_;
  ManualClock clock_;
  Logger logger_;
  asio::io_context io_;
  std::unique_ptr<RpcServer> server_;
};

const std::string kBlockNumber = R"({"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"})";

TEST_F(RpcServerTest, AnswersAPostWithCorsHeaders) {
  start();
  auto request = post(kBlockNumber);
  request.set(http::field::origin, "http://app.example");
  const auto response = send(request);
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(json::parse(response.body()),
            json::parse(R"({"jsonrpc":"2.0","id":1,"result":"0x0"})"));
  EXPECT_EQ(response[http::field::access_control_allow_origin], "http://app.example");
  EXPECT_EQ(response[http::field::content_type], "application/json");

  http::request<http::string_body> preflight(http::verb::options, "/", 11);
  preflight.set(http::field::origin, "http://app.example");
  EXPECT_EQ(send(preflight).result(), http::status::no_content);
}

TEST_F(RpcServerTest, RefusesOtherMethodsTypesOriginsAndLargeBodies) {
  RpcServerConfig config;
  config.allowed_origins = {"http://ok.example"};
  config.limits.max_request_bytes = 1'000;
  start(config);
  http::request<http::string_body> get(http::verb::get, "/", 11);
  EXPECT_EQ(send(get).result(), http::status::method_not_allowed);
  EXPECT_EQ(send(post(kBlockNumber, "text/plain")).result(), http::status::unsupported_media_type);
  auto foreign = post(kBlockNumber);
  foreign.set(http::field::origin, "http://evil.example");
  EXPECT_EQ(send(foreign).result(), http::status::forbidden);
  auto allowed = post(kBlockNumber);
  allowed.set(http::field::origin, "http://ok.example");
  EXPECT_EQ(send(allowed).result(), http::status::ok);
  EXPECT_EQ(send(post(std::string(1'001, ' '))).result(), http::status::payload_too_large);
  EXPECT_EQ(send(post(std::string(990, ' ') + "[]")).result(), http::status::ok);
}

TEST_F(RpcServerTest, ClosesConnectionsBeyondTheBound) {
  RpcServerConfig config;
  config.max_connections = 1;
  start(config);
  beast::tcp_stream first(connect());
  auto request = post(kBlockNumber);
  request.set(http::field::host, "127.0.0.1");
  request.prepare_payload();
  http::write(first, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(first, buffer, response);  // the first connection is being served, and kept
  ASSERT_EQ(response.result(), http::status::ok);

  beast::tcp_stream second(connect());
  beast::error_code error;
  http::write(second, request, error);
  beast::flat_buffer second_buffer;
  http::response<http::string_body> refused;
  http::read(second, second_buffer, refused, error);
  EXPECT_TRUE(error) << "a second connection was served";
}

TEST_F(RpcServerTest, WebSocketSubscriptionGetsNewHeads) {
  start();
  websocket::stream<tcp::socket> ws(connect());
  ws.handshake("127.0.0.1", "/");
  ws.write(asio::buffer(
      std::string(R"({"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]})")));
  beast::flat_buffer buffer;
  ws.read(buffer);
  const json::value subscribed = json::parse(beast::buffers_to_string(buffer.data()));
  ASSERT_TRUE(subscribed.at("result").is_string()) << subscribed;
  buffer.clear();

  const BlockHeader block1 = chain_.commit_block({});
  server_->notify_new_block(1);
  ws.read(buffer);
  const json::value notification = json::parse(beast::buffers_to_string(buffer.data()));
  EXPECT_EQ(notification.at("method"), "eth_subscription");
  EXPECT_EQ(notification.at("params").at("subscription"), subscribed.at("result"));
  EXPECT_EQ(notification.at("params").at("result").at("number"), "0x1");
  EXPECT_EQ(notification.at("params").at("result").at("hash"),
            json::value(block1.hash(chain_.suite()).hex()));

  buffer.clear();
  ws.write(asio::buffer(kBlockNumber));  // plain requests work on the same connection
  ws.read(buffer);
  EXPECT_EQ(json::parse(beast::buffers_to_string(buffer.data())).at("result"), "0x1");
  ws.close(websocket::close_code::normal);
}

TEST_F(RpcServerTest, DisconnectsAWebSocketWhoseQueueOverflows) {
  RpcServerConfig config;
  // One thread: the three notifications of one publish are queued before the writer runs, so
  // the second finds the queue full.
  config.threads = 1;
  config.max_ws_queued_messages = 1;
  start(config);
  websocket::stream<tcp::socket> ws(connect());
  ws.handshake("127.0.0.1", "/");
  ws.write(asio::buffer(
      std::string(R"({"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]})")));
  beast::flat_buffer buffer;
  ws.read(buffer);
  for (int i = 0; i < 3; ++i)
    chain_.commit_block({});
  server_->notify_new_block(3);
  beast::error_code error;
  int notifications = 0;
  while (!error && notifications < 3) {
    buffer.clear();
    ws.read(buffer, error);
    notifications += error ? 0 : 1;
  }
  EXPECT_TRUE(error);
  EXPECT_LT(notifications, 3);
  const auto lines = sink_.lines();
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find("too slow") != std::string::npos;
  }));
}

TEST_F(RpcServerTest, StopsAndRefusesNewConnections) {
  start();
  const std::uint16_t port = server_->port();
  server_->stop();
  server_->stop();
  tcp::socket socket(io_);
  beast::error_code error;
  socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), error);
  EXPECT_TRUE(error);
}

}  // namespace
}  // namespace tally::chain
