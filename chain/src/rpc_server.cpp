#include <atomic>
#include <deque>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <tally/chain/rpc_server.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct RpcServer::Impl {
  Impl(const RpcServerConfig& configuration, Logger& log)
      : config(configuration), logger(log), acceptor(io) {}

  RpcServerConfig config;
  Logger& logger;
  SystemClock clock;
  std::unique_ptr<RpcDispatcher> dispatcher;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::uint64_t> next_connection_id{1};
  std::atomic<bool> stopped{false};
};

namespace {

// Counts a connection for its lifetime.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::atomic<std::size_t>& count) : count_(&count) { ++*count_; }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ~ConnectionSlot() { --*count_; }

 private:
  std::atomic<std::size_t>* count_;
};

// The Access-Control-Allow-Origin value for `origin`, empty when it is not allowed.
std::string allowed_origin(const RpcServerConfig& config, std::string_view origin) {
  for (const std::string& allowed : config.allowed_origins) {
    if (allowed == "*")
      return origin.empty() ? "*" : std::string(origin);
    if (allowed == origin)
      return allowed;
  }
  return {};
}

Response reply(const Request& request, http::status status, std::string body) {
  Response response(status, request.version());
  response.set(http::field::server, "tally");
  response.set(http::field::content_type, "application/json");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response handle_http(RpcServer::Impl& server, const Request& request) {
  const std::string_view origin = request[http::field::origin];
  const std::string allow = allowed_origin(server.config, origin);
  if (!origin.empty() && allow.empty())
    return reply(request, http::status::forbidden, R"({"error":"origin not allowed"})");
  Response response = [&] {
    if (request.method() == http::verb::options)
      return reply(request, http::status::no_content, "");
    if (request.method() != http::verb::post) {
      Response refused = reply(request, http::status::method_not_allowed,
                               R"({"error":"POST a JSON-RPC request"})");
      refused.set(http::field::allow, "POST, OPTIONS");
      return refused;
    }
    const std::string_view type = request[http::field::content_type];
    if (!type.starts_with("application/json"))
      return reply(request, http::status::unsupported_media_type,
                   R"({"error":"Content-Type must be application/json"})");
    auto body = server.dispatcher->handle(request.body());
    return reply(request, http::status::ok, body.value_or(""));
  }();
  if (!allow.empty()) {
    response.set(http::field::access_control_allow_origin, allow);
    response.set(http::field::access_control_allow_methods, "POST, OPTIONS");
    response.set(http::field::access_control_allow_headers, "Content-Type");
  }
  response.prepare_payload();
  return response;
}

// A WebSocket connection: a reader that answers requests and a writer that drains the outgoing
// queue (answers and notifications), both on the connection's strand. Shared by both coroutines
// and the push callbacks the dispatcher keeps for subscriptions (those hold it weakly).
class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(RpcServer::Impl& server, beast::tcp_stream stream)
      : server_(server),
        ws_(std::move(stream)),
        signal_(ws_.get_executor()),
        id_(server.next_connection_id++) {}

  asio::awaitable<void> run(Request request) {
    beast::get_lowest_layer(ws_).expires_never();  // the WebSocket's own timeouts take over
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(server_.config.limits.max_request_bytes);
    beast::error_code error;
    co_await ws_.async_accept(request, asio::redirect_error(asio::use_awaitable, error));
    if (error)
      co_return;
    asio::co_spawn(ws_.get_executor(), writer(shared_from_this()), asio::detached);
    const std::weak_ptr<WsSession> weak = weak_from_this();
    const RpcCaller caller{id_, [weak](std::string message) {
                             if (const auto self = weak.lock())
                               self->enqueue(std::move(message));
                           }};
    for (;;) {
      beast::flat_buffer buffer;
      co_await ws_.async_read(buffer, asio::redirect_error(asio::use_awaitable, error));
      if (error)
        break;
      const std::string body = beast::buffers_to_string(buffer.data());
      if (auto response = server_.dispatcher->handle(body, caller))
        enqueue(std::move(*response));
    }
    server_.dispatcher->connection_closed(id_);
    close();
  }

  // Thread-safe: hops onto the strand.
  void enqueue(std::string message) {
    asio::dispatch(ws_.get_executor(),
                   [self = shared_from_this(), message = std::move(message)]() mutable {
                     if (self->closing_)
                       return;
                     if (self->queue_.size() >= self->server_.config.max_ws_queued_messages) {
                       self->server_.logger.warn("rpc: websocket reader too slow, disconnecting",
                                                 {{"connection", self->id_}});
                       self->close();
                       return;
                     }
                     self->queue_.push_back(std::move(message));
                     self->signal_.cancel();
                   });
  }

 private:
  void close() {
    closing_ = true;
    signal_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  static asio::awaitable<void> writer(std::shared_ptr<WsSession> self) {
    while (!self->closing_) {
      if (self->queue_.empty()) {
        self->signal_.expires_at(asio::steady_timer::time_point::max());
        beast::error_code ignored;
        co_await self->signal_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        continue;
      }
      const std::string message = std::move(self->queue_.front());
      self->queue_.pop_front();
      self->ws_.text(true);
      beast::error_code error;
      co_await self->ws_.async_write(asio::buffer(message),
                                     asio::redirect_error(asio::use_awaitable, error));
      if (error)
        self->close();
    }
  }

  RpcServer::Impl& server_;
  websocket::stream<beast::tcp_stream> ws_;
  asio::steady_timer signal_;  // cancelled to wake the writer
  std::deque<std::string> queue_;
  bool closing_ = false;
  std::uint64_t id_;
};

asio::awaitable<void> http_session(RpcServer::Impl& server, tcp::socket socket) {
  const ConnectionSlot slot(server.connections);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(server.config.limits.max_request_bytes);
    stream.expires_after(server.config.idle_timeout);
    beast::error_code error;
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, error));
    if (error == http::error::body_limit) {
      Request head = parser.release();
      head.keep_alive(false);
      Response refused =
          reply(head, http::status::payload_too_large, R"({"error":"request body too large"})");
      co_await http::async_write(stream, refused, asio::redirect_error(asio::use_awaitable, error));
      break;
    }
    if (error)
      break;
    Request request = parser.release();
    if (websocket::is_upgrade(request)) {
      auto session = std::make_shared<WsSession>(server, std::move(stream));
      co_await session->run(std::move(request));
      co_return;
    }
    Response response = handle_http(server, request);
    const bool keep_alive = response.keep_alive();
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, error));
    if (error || !keep_alive)
      break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(RpcServer::Impl& server) {
  for (;;) {
    beast::error_code error;
    tcp::socket socket = co_await server.acceptor.async_accept(
        asio::make_strand(server.io), asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      if (error == asio::error::operation_aborted || server.stopped)
        co_return;
      continue;  // a connection that failed before we took it
    }
    if (server.connections >= server.config.max_connections) {
      socket.close(error);  // over the bound: refused at once
      continue;
    }
    const auto executor = socket.get_executor();
    asio::co_spawn(executor, http_session(server, std::move(socket)), asio::detached);
  }
}

Result<void> bind(RpcServer::Impl& server) {
  beast::error_code error;
  const auto address = asio::ip::make_address(server.config.host, error);
  if (error)
    return fail(Errc::invalid_argument,
                str_cat("rpc: host ", server.config.host, ": ", error.message()));
  const tcp::endpoint endpoint(address, server.config.port);
  server.acceptor.open(endpoint.protocol(), error);
  if (!error)
    server.acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error)
    server.acceptor.bind(endpoint, error);
  if (!error)
    server.acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error)
    return fail(Errc::io_error, str_cat("rpc: listen on ", server.config.host, ":",
                                        server.config.port, ": ", error.message()));
  return {};
}

}  // namespace

RpcServer::RpcServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RpcServer::~RpcServer() {
  stop();
}

Result<std::unique_ptr<RpcServer>> RpcServer::start(const RpcServerConfig& config,
                                                    RpcNode& node,
                                                    const std::filesystem::path& ledger_path,
                                                    SuiteId suite,
                                                    Logger& logger) {
  if (config.threads == 0)
    return fail(Errc::invalid_argument, "rpc: threads must be at least 1");
  auto impl = std::make_unique<Impl>(config, logger);
  const RpcDispatcher::Config dispatcher_config{ledger_path, suite, config.limits,
                                                config.client_version};
  auto dispatcher = RpcDispatcher::open(dispatcher_config, node, impl->clock);
  if (!dispatcher)
    return std::unexpected(dispatcher.error());
  impl->dispatcher = std::move(*dispatcher);
  if (auto bound = bind(*impl); !bound)
    return std::unexpected(bound.error());
  asio::co_spawn(impl->io, accept_loop(*impl), asio::detached);
  for (std::size_t i = 0; i < config.threads; ++i)
    impl->threads.emplace_back([io = &impl->io] { io->run(); });
  logger.info("rpc: listening",
              {{"host", config.host}, {"port", impl->acceptor.local_endpoint().port()}});
  return std::unique_ptr<RpcServer>(new RpcServer(std::move(impl)));
}

std::uint16_t RpcServer::port() const noexcept {
  beast::error_code error;
  const auto endpoint = impl_->acceptor.local_endpoint(error);
  return error ? 0 : endpoint.port();
}

void RpcServer::notify_new_block(std::uint64_t) {
  // The number is a hint: the dispatcher publishes every block up to the ledger's head.
  asio::post(impl_->io, [impl = impl_.get()] { impl->dispatcher->publish_new_blocks(); });
}

void RpcServer::stop() {
  if (impl_ == nullptr || impl_->stopped.exchange(true))
    return;
  impl_->io.stop();
  for (std::thread& thread : impl_->threads)
    thread.join();
  // No thread runs the io_context now: the acceptor can be closed here.
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->threads.clear();
}

}  // namespace tally::chain
