#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>

// g++ 12 at -O3 reports "potential null pointer dereference" inside Asio's scheduler once it is
// inlined here (a false positive in the system headers); the warning stays on for our own code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#pragma GCC diagnostic pop

#include <tally/chain/peer_network.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

#include "peer_tls.hpp"

namespace tally::chain {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::awaitable;
using asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kReadChunkBytes = 64 * 1024;
constexpr std::size_t kWriteBatchBytes = 64 * 1024;
constexpr std::uint32_t kMaxBackoffDoublings = 20;
// How long a retired duplicate link is still read: frames the peer wrote on it before it, too,
// retired the link are delivered instead of lost (both ends pick the same link to keep).
constexpr auto kRetiredLinkReadTime = std::chrono::seconds(2);

using FramePtr = std::shared_ptr<const Bytes>;

// One TLS connection. The stream, timer and flags belong to the network thread; the send queue
// and counters are shared with callers of send/broadcast/peers.
struct Connection {
  Connection(asio::io_context& io, ssl::context& context, tcp::socket socket)
      : stream(std::move(socket), context), wake(io), write_deadline(io) {}

  ssl::stream<tcp::socket> stream;
  asio::steady_timer wake;            // the writer waits on it while the queue is empty
  asio::steady_timer write_deadline;  // a peer that stops reading is cut off
  bool outbound = false;
  std::string remote;
  PeerIdentity peer;
  Instant since;
  bool closed = false;
  bool registered = false;
  bool retired = false;  // a duplicate: nothing more is written, it is read until it closes

  mutable std::mutex mutex;
  std::deque<FramePtr> queue;    // guarded by mutex
  std::size_t queued_bytes = 0;  // guarded by mutex
  std::atomic<std::uint64_t> frames_sent{0};
  std::atomic<std::uint64_t> frames_received{0};
  std::atomic<std::uint64_t> frames_dropped{0};
};

using ConnectionPtr = std::shared_ptr<Connection>;

std::string endpoint_text(const tcp::socket& socket) {
  error_code error;
  const auto endpoint = socket.remote_endpoint(error);
  if (error)
    return "unknown";
  return str_cat(endpoint.address().to_string(), ":", endpoint.port());
}

}  // namespace

struct PeerNetwork::Impl {
  Impl(const PeerNetworkConfig& network_config,
       const Clock& network_clock,
       Logger network_logger,
       PeerCallbacks network_callbacks,
       std::unique_ptr<detail::PeerTls> peer_tls)
      : config(network_config),
        clock(network_clock),
        logger(std::move(network_logger)),
        callbacks(std::move(network_callbacks)),
        tls(std::move(peer_tls)),
        random(std::random_device{}()) {}

  // --- any thread ---
  bool enqueue(const ConnectionPtr& connection, const FramePtr& frame);
  std::vector<ConnectionPtr> connected() const;

  // --- network thread ---
  awaitable<void> accept_loop();
  awaitable<void> dial_loop(PeerEndpoint endpoint);
  awaitable<bool> handshake(const ConnectionPtr& connection);
  awaitable<void> connect(tcp::socket& socket,
                          const tcp::resolver::results_type& endpoints,
                          error_code& error);
  awaitable<void> run_session(ConnectionPtr connection);
  awaitable<void> read_loop(ConnectionPtr connection);
  awaitable<void> write_loop(ConnectionPtr connection);
  bool register_connection(const ConnectionPtr& connection);
  void close(const ConnectionPtr& connection, std::string_view reason);
  void retire(const ConnectionPtr& connection, std::string_view reason);
  void refuse(const ConnectionPtr& connection, std::string_view reason);
  void shutdown();
  bool is_connected(const Hash256& node_id) const;
  std::chrono::milliseconds backoff(std::uint32_t attempt);
  void spawn(awaitable<void> task, std::string_view name);

  const PeerNetworkConfig config;
  const Clock& clock;
  Logger logger;
  const PeerCallbacks callbacks;
  // Declared before io: streams made from it are destroyed with io's pending handlers.
  std::unique_ptr<detail::PeerTls> tls;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::uint16_t port = 0;
  std::thread thread;
  std::once_flag stopped;

  // Network thread only.
  bool stopping = false;
  std::size_t open_connections = 0;
  std::mt19937_64 random;  // backoff jitter

  mutable std::mutex mutex;
  std::map<Hash256, ConnectionPtr> peers;  // guarded by mutex; ordered: deterministic listings

  std::atomic<std::uint64_t> handshakes_refused{0};
  std::atomic<std::uint64_t> protocol_errors{0};
  std::atomic<std::uint64_t> duplicates_closed{0};
  std::atomic<std::uint64_t> connections_rejected{0};
  std::atomic<std::uint64_t> frames_dropped{0};
  std::atomic<std::uint64_t> stalled_closed{0};
};

void PeerNetwork::Impl::spawn(awaitable<void> task, std::string_view name) {
  asio::co_spawn(io, std::move(task), [this, task_name = std::string(name)](std::exception_ptr e) {
    if (!e)
      return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& error) {
      logger.error("network task failed", {{"task", task_name}, {"error", error.what()}});
    }
  });
}

bool PeerNetwork::Impl::enqueue(const ConnectionPtr& connection, const FramePtr& frame) {
  bool was_empty = false;
  {
    const std::lock_guard lock(connection->mutex);
    if (connection->queue.size() >= config.limits.send_queue_messages ||
        connection->queued_bytes + frame->size() > config.limits.send_queue_bytes) {
      ++connection->frames_dropped;
      ++frames_dropped;
      return false;
    }
    was_empty = connection->queue.empty();
    connection->queue.push_back(frame);
    connection->queued_bytes += frame->size();
  }
  // The timer is the network thread's; one wake-up per empty-to-non-empty change bounds the posts.
  if (was_empty)
    asio::post(io, [connection] { connection->wake.cancel(); });
  return true;
}

std::vector<ConnectionPtr> PeerNetwork::Impl::connected() const {
  const std::lock_guard lock(mutex);
  std::vector<ConnectionPtr> out;
  out.reserve(peers.size());
  for (const auto& [id, connection] : peers)
    out.push_back(connection);
  return out;
}

bool PeerNetwork::Impl::is_connected(const Hash256& node_id) const {
  const std::lock_guard lock(mutex);
  return peers.contains(node_id);
}

std::chrono::milliseconds PeerNetwork::Impl::backoff(std::uint32_t attempt) {
  const std::uint64_t min_ms = std::max<std::uint32_t>(config.reconnect.min_ms, 1);
  const std::uint64_t max_ms = std::max<std::uint64_t>(config.reconnect.max_ms, min_ms);
  const std::uint64_t delay = std::min(max_ms, min_ms << std::min(attempt, kMaxBackoffDoublings));
  std::uniform_int_distribution<std::uint64_t> jitter(delay / 2, delay);
  return std::chrono::milliseconds(jitter(random));
}

void PeerNetwork::Impl::close(const ConnectionPtr& connection, std::string_view reason) {
  if (connection->closed)
    return;
  connection->closed = true;
  --open_connections;
  error_code ignored;
  connection->stream.lowest_layer().close(ignored);
  connection->wake.cancel();
  connection->write_deadline.cancel();
  if (!connection->registered)
    return;
  connection->registered = false;
  {
    const std::lock_guard lock(mutex);
    const auto found = peers.find(connection->peer.node_id);
    if (found != peers.end() && found->second == connection)
      peers.erase(found);
  }
  logger.info("peer down", {{"node_id", connection->peer.node_id.hex()},
                            {"account", connection->peer.account.hex()},
                            {"remote", connection->remote},
                            {"reason", reason}});
  if (callbacks.on_peer_down)
    callbacks.on_peer_down(connection->peer);
}

void PeerNetwork::Impl::retire(const ConnectionPtr& connection, std::string_view reason) {
  connection->retired = true;
  connection->registered = false;  // the peer stays up on its other link: no down/up callbacks
  connection->wake.cancel();       // the writer sees `retired` and ends
  auto timer = std::make_shared<asio::steady_timer>(io, kRetiredLinkReadTime);
  timer->async_wait([this, connection, timer, why = std::string(reason)](const error_code&) {
    close(connection, why);
  });
}

void PeerNetwork::Impl::refuse(const ConnectionPtr& connection, std::string_view reason) {
  ++handshakes_refused;
  logger.warn(
      "peer refused",
      {{"remote", connection->remote}, {"outbound", connection->outbound}, {"reason", reason}});
  close(connection, reason);
}

// The connection between two nodes that both ends keep is the one dialled by the lower node id;
// another one is kept only while it is the sole link. Returns false when `connection` is retired as
// a duplicate or closed as a link to this node itself.
bool PeerNetwork::Impl::register_connection(const ConnectionPtr& connection) {
  const Hash256& self_id = tls->self.node_id;
  const Hash256& peer_id = connection->peer.node_id;
  if (peer_id == self_id) {
    close(connection, "connection to self");
    return false;
  }
  const auto preferred = [&](const Connection& link) {
    return link.outbound ? self_id < peer_id : peer_id < self_id;
  };
  ConnectionPtr replaced;
  {
    const std::lock_guard lock(mutex);
    auto [found, inserted] = peers.try_emplace(peer_id, connection);
    if (!inserted && !preferred(*found->second) && preferred(*connection)) {
      replaced = std::exchange(found->second, connection);
      // Whatever the old link had not sent yet goes out on the new one, in order.
      const std::scoped_lock queues(replaced->mutex, connection->mutex);
      connection->queue = std::move(replaced->queue);
      connection->queued_bytes = std::exchange(replaced->queued_bytes, 0);
      replaced->queue.clear();
    }
    connection->registered = inserted || replaced != nullptr;
  }
  if (!connection->registered) {
    ++duplicates_closed;
    retire(connection, "duplicate connection");
    return false;
  }
  if (replaced) {
    ++duplicates_closed;
    retire(replaced, "replaced by the preferred connection");
    return true;
  }
  logger.info("peer up", {{"node_id", peer_id.hex()},
                          {"account", connection->peer.account.hex()},
                          {"remote", connection->remote},
                          {"outbound", connection->outbound}});
  if (callbacks.on_peer_up)
    callbacks.on_peer_up(connection->peer);
  return true;
}

awaitable<bool> PeerNetwork::Impl::handshake(const ConnectionPtr& connection) {
  asio::steady_timer deadline(io);
  deadline.expires_after(std::chrono::milliseconds(config.limits.handshake_timeout_ms));
  deadline.async_wait([connection](const error_code& error) {
    if (!error) {
      error_code ignored;
      connection->stream.lowest_layer().close(ignored);
    }
  });
  error_code error;
  const auto type = connection->outbound ? ssl::stream_base::client : ssl::stream_base::server;
  co_await connection->stream.async_handshake(type,
                                              asio::redirect_error(asio::use_awaitable, error));
  deadline.cancel();
  if (error) {
    refuse(connection, detail::handshake_failure_reason(connection->stream.native_handle(), error));
    co_return false;
  }
  auto identity = detail::peer_identity(connection->stream.native_handle());
  if (!identity) {
    refuse(connection, identity.error().message);
    co_return false;
  }
  connection->peer = *identity;
  connection->since = clock.now();
  co_return true;
}

// Like the handshake, a connection attempt gives up after handshake_timeout_ms.
awaitable<void> PeerNetwork::Impl::connect(tcp::socket& socket,
                                           const tcp::resolver::results_type& endpoints,
                                           error_code& error) {
  asio::steady_timer deadline(io);
  deadline.expires_after(std::chrono::milliseconds(config.limits.handshake_timeout_ms));
  deadline.async_wait([&socket](const error_code& timer_error) {
    if (!timer_error) {
      error_code ignored;
      socket.close(ignored);
    }
  });
  co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, error));
  deadline.cancel();
}

awaitable<void> PeerNetwork::Impl::read_loop(ConnectionPtr connection) {
  FrameDecoder decoder(config.limits.max_frame_bytes);
  Bytes buffer(kReadChunkBytes);
  std::vector<Frame> frames;
  while (!connection->closed) {
    error_code error;
    const std::size_t read = co_await connection->stream.async_read_some(
        asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      close(connection, error.message());
      co_return;
    }
    frames.clear();
    if (auto fed = decoder.feed(BytesView(buffer).first(read), frames); !fed) {
      ++protocol_errors;
      logger.warn("peer protocol error", {{"node_id", connection->peer.node_id.hex()},
                                          {"remote", connection->remote},
                                          {"error", fed.error().message}});
      close(connection, fed.error().message);
      co_return;
    }
    for (Frame& frame : frames) {
      ++connection->frames_received;
      if (callbacks.on_message) {
        callbacks.on_message(PeerMessage{connection->peer.node_id, connection->peer.account,
                                         frame.channel, std::move(frame.payload)});
      }
    }
  }
}

awaitable<void> PeerNetwork::Impl::write_loop(ConnectionPtr connection) {
  Bytes batch;  // small frames written together: one TLS record and one syscall, not one each
  while (!connection->closed && !connection->retired) {
    FramePtr frame;
    std::size_t frames = 0;
    batch.clear();
    {
      const std::lock_guard lock(connection->mutex);
      while (
          !connection->queue.empty() &&
          (frames == 0 || batch.size() + connection->queue.front()->size() <= kWriteBatchBytes)) {
        frame = std::move(connection->queue.front());
        connection->queue.pop_front();
        connection->queued_bytes -= frame->size();
        ++frames;
        if (frame->size() >= kWriteBatchBytes)
          break;  // a large frame goes alone, without a copy
        batch.insert(batch.end(), frame->begin(), frame->end());
      }
    }
    error_code error;
    if (!frame) {
      connection->wake.expires_at(asio::steady_timer::time_point::max());
      co_await connection->wake.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    connection->write_deadline.expires_after(
        std::chrono::milliseconds(config.limits.write_timeout_ms));
    connection->write_deadline.async_wait([this, connection](const error_code& timer_error) {
      if (timer_error || connection->closed)
        return;
      ++stalled_closed;
      logger.warn("peer stalled",
                  {{"node_id", connection->peer.node_id.hex()}, {"remote", connection->remote}});
      close(connection, "write timed out");
    });
    const BytesView bytes = batch.empty() ? BytesView(*frame) : BytesView(batch);
    co_await asio::async_write(connection->stream, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, error));
    connection->write_deadline.cancel();
    if (error) {
      close(connection, error.message());
      co_return;
    }
    connection->frames_sent += frames;
  }
}

awaitable<void> PeerNetwork::Impl::run_session(ConnectionPtr connection) {
  // Not `if (!co_await ...)`: g++ 12 miscompiles co_await inside a condition.
  const bool admitted = co_await handshake(connection);
  if (!admitted)
    co_return;
  if (register_connection(connection))
    spawn(write_loop(connection), "peer writer");
  co_await read_loop(connection);  // a retired duplicate too, until its read time ends
}

awaitable<void> PeerNetwork::Impl::accept_loop() {
  while (!stopping) {
    error_code error;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      if (stopping || error == asio::error::operation_aborted)
        co_return;
      logger.warn("accept failed", {{"error", error.message()}});
      continue;
    }
    const std::string remote = endpoint_text(socket);
    if (open_connections >= config.limits.max_connections) {
      ++connections_rejected;
      logger.warn("connection rejected: too many", {{"remote", remote}});
      continue;  // the socket closes as it goes out of scope
    }
    auto connection = std::make_shared<Connection>(io, tls->context, std::move(socket));
    connection->remote = remote;
    ++open_connections;
    spawn(run_session(connection), "peer session");
  }
}

awaitable<void> PeerNetwork::Impl::dial_loop(PeerEndpoint endpoint) {
  std::optional<Hash256> known;  // the node at this endpoint, once seen
  std::uint32_t attempt = 0;
  tcp::resolver resolver(io);
  asio::steady_timer pause(io);
  while (!stopping) {
    // Linked already (it dialled us): check again later instead of making a duplicate.
    if (!(known && is_connected(*known)) && open_connections < config.limits.max_connections) {
      error_code error;
      const auto found =
          co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                          asio::redirect_error(asio::use_awaitable, error));
      tcp::socket socket(io);
      if (!error)
        co_await connect(socket, found, error);
      if (stopping)
        co_return;
      if (error) {
        logger.debug("dial failed", {{"endpoint", str_cat(endpoint.host, ":", endpoint.port)},
                                     {"error", error.message()}});
        ++attempt;
      } else {
        auto connection = std::make_shared<Connection>(io, tls->context, std::move(socket));
        connection->outbound = true;
        connection->remote = str_cat(endpoint.host, ":", endpoint.port);
        ++open_connections;
        co_await run_session(connection);
        if (connection->peer.node_id == tls->self.node_id) {
          logger.info("static peer is this node", {{"endpoint", connection->remote}});
          co_return;
        }
        if (!connection->peer.node_id.is_zero())
          known = connection->peer.node_id;
        attempt = connection->since == Instant{} ? attempt + 1 : 0;
      }
    }
    pause.expires_after(backoff(attempt));
    error_code ignored;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

void PeerNetwork::Impl::shutdown() {
  stopping = true;
  error_code ignored;
  acceptor.close(ignored);
  for (const ConnectionPtr& connection : connected())
    close(connection, "network stopping");
  // Pending waits (dial pauses, handshakes) end with the io_context; nothing else runs after this.
  io.stop();
}

Result<std::unique_ptr<PeerNetwork>> PeerNetwork::start(const PeerNetworkConfig& config,
                                                        const Clock& clock,
                                                        Logger logger,
                                                        PeerCallbacks callbacks) {
  TALLY_ASSERT(config.limits.max_frame_bytes >= 1 &&
               config.limits.max_frame_bytes <= kMaxFrameBytes);
  auto tls = detail::make_peer_tls(config);
  if (!tls)
    return std::unexpected(std::move(tls.error()));
  auto impl = std::make_unique<Impl>(config, clock, std::move(logger), std::move(callbacks),
                                     std::move(*tls));
  error_code error;
  const auto address = asio::ip::make_address(config.listen_host, error);
  if (error)
    return fail(Errc::invalid_argument,
                str_cat("listen_host '", config.listen_host, "': ", error.message()));
  const tcp::endpoint listen(address, config.listen_port);
  impl->acceptor.open(listen.protocol(), error);
  if (!error)
    impl->acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error)
    impl->acceptor.bind(listen, error);
  if (!error)
    impl->acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return fail(Errc::io_error, str_cat("listen on ", config.listen_host, ":", config.listen_port,
                                        ": ", error.message()));
  }
  impl->port = impl->acceptor.local_endpoint().port();
  impl->logger.info("peer network listening", {{"port", impl->port},
                                               {"node_id", impl->tls->self.node_id.hex()},
                                               {"account", impl->tls->self.account.hex()}});
  impl->spawn(impl->accept_loop(), "accept");
  for (const PeerEndpoint& peer : config.static_peers)
    impl->spawn(impl->dial_loop(peer), "dial");
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<PeerNetwork>(new PeerNetwork(std::move(impl)));
}

PeerNetwork::PeerNetwork(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PeerNetwork::~PeerNetwork() {
  stop();
}

void PeerNetwork::stop() {
  // From a callback it would wait for itself.
  TALLY_ASSERT(std::this_thread::get_id() != impl_->thread.get_id());
  std::call_once(impl_->stopped, [this] {
    asio::post(impl_->io, [impl = impl_.get()] { impl->shutdown(); });
    impl_->thread.join();
  });
}

std::uint16_t PeerNetwork::listen_port() const noexcept {
  return impl_->port;
}

const PeerIdentity& PeerNetwork::self() const noexcept {
  return impl_->tls->self;
}

std::size_t PeerNetwork::broadcast(Channel channel, BytesView payload) {
  const auto frame = std::make_shared<const Bytes>(encode_frame(channel, payload));
  std::size_t queued = 0;
  for (const ConnectionPtr& connection : impl_->connected())
    queued += impl_->enqueue(connection, frame) ? 1u : 0u;
  return queued;
}

bool PeerNetwork::send(const Hash256& node_id, Channel channel, BytesView payload) {
  ConnectionPtr connection;
  {
    const std::lock_guard lock(impl_->mutex);
    const auto found = impl_->peers.find(node_id);
    if (found == impl_->peers.end())
      return false;
    connection = found->second;
  }
  return impl_->enqueue(connection, std::make_shared<const Bytes>(encode_frame(channel, payload)));
}

bool PeerNetwork::send(const Address& account, Channel channel, BytesView payload) {
  for (const ConnectionPtr& connection : impl_->connected()) {
    if (connection->peer.account == account)
      return impl_->enqueue(connection,
                            std::make_shared<const Bytes>(encode_frame(channel, payload)));
  }
  return false;
}

std::vector<PeerStatus> PeerNetwork::peers() const {
  std::vector<PeerStatus> out;
  for (const ConnectionPtr& connection : impl_->connected()) {
    PeerStatus status{.node_id = connection->peer.node_id,
                      .account = connection->peer.account,
                      .remote_endpoint = connection->remote,
                      .outbound = connection->outbound,
                      .connected_since = connection->since,
                      .frames_sent = connection->frames_sent,
                      .frames_received = connection->frames_received,
                      .frames_dropped = connection->frames_dropped};
    {
      const std::lock_guard lock(connection->mutex);
      status.queued_messages = connection->queue.size();
      status.queued_bytes = connection->queued_bytes;
    }
    out.push_back(std::move(status));
  }
  return out;
}

PeerNetworkCounters PeerNetwork::counters() const {
  return PeerNetworkCounters{.handshakes_refused = impl_->handshakes_refused,
                             .protocol_errors = impl_->protocol_errors,
                             .duplicates_closed = impl_->duplicates_closed,
                             .connections_rejected = impl_->connections_rejected,
                             .frames_dropped = impl_->frames_dropped,
                             .stalled_closed = impl_->stalled_closed};
}

}  // namespace tally::chain
