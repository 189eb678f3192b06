#pragma once
// The peer network: TLS 1.3 with mutual authentication between consortium nodes, frames
// (peer_frame.hpp) on three channels, a static peer list dialled with backoff.
//
// Admission, at the handshake, both ways: the peer's certificate must chain node <- institution CA
// <- the consortium CA (the only trust anchor), be within its validity, and neither it nor its
// institution CA may be on a CRL. CRL checking covers the whole chain, so every CA needs a CRL in
// `crl_pems` (an empty one when it revoked nothing; `tally init` writes one per CA): a peer whose
// institution CA has no CRL here is refused ("unable to get certificate CRL"), and `start` refuses
// a configuration without the consortium CA's and the node's own institution CA's CRLs. The leaf
// must not be a CA and must name its chain account (pki.hpp). Refusals are logged with the reason
// and counted.
//
// Identity: a peer is its node id (SHA-256 of its certificate's public key, pki.hpp) and its
// account. Between two nodes one connection is kept: the one dialled by the lower node id when
// both exist (so both ends choose the same one); a node never keeps a connection to itself.
//
// Threads: everything runs on one network thread that `start` creates and `stop` joins. The
// callbacks run on that thread: a host must hand work off quickly (queue it) and never block in
// them. `broadcast`, `send`, `peers` and `counters` may be called from any thread; sends never
// block: when a peer's send queue is full (messages or bytes) the message is dropped and counted.
// Delivery is best effort, in order per link: a link that drops loses what was in flight.
//
// TLS 1.3 detail: a client completes its handshake before the server has checked the client's
// certificate, so a dialler whose own certificate is refused sees the peer up and at once down.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tally/chain/peer_frame.hpp>
#include <tally/chain/pki.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/clock.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/log.hpp>

namespace tally::chain {

struct PeerEndpoint {
  std::string host;
  std::uint16_t port = 0;
};

struct PeerNetworkLimits {
  std::uint32_t max_frame_bytes = kMaxFrameBytes;  // frames received above this close the link
  std::size_t send_queue_messages = 4096;          // per peer
  std::size_t send_queue_bytes = 64u * 1024 * 1024;
  std::size_t max_connections = 64;           // open or handshaking, both directions
  std::uint32_t handshake_timeout_ms = 5000;  // also bounds a connection attempt
  std::uint32_t write_timeout_ms = 30'000;    // one frame; a peer that stops reading is cut off
};

// Delay before redialling: doubles from min_ms up to max_ms, each wait drawn in [delay/2, delay].
struct ReconnectBackoff {
  std::uint32_t min_ms = 250;
  std::uint32_t max_ms = 30'000;
};

struct PeerNetworkConfig {
  std::string listen_host = "0.0.0.0";
  std::uint16_t listen_port = 0;   // 0: the system picks one; listen_port() says which
  Credentials credentials;         // the node certificate and its key
  std::string institution_ca_pem;  // sent after the node certificate, to complete the chain
  std::string consortium_ca_pem;   // the trust anchor
  std::vector<std::string> crl_pems;
  std::vector<PeerEndpoint> static_peers;  // may include this node: it is recognised and skipped
  PeerNetworkLimits limits;
  ReconnectBackoff reconnect;
};

struct PeerIdentity {
  Hash256 node_id;
  Address account;
};

struct PeerMessage {
  Hash256 node_id;
  Address account;
  Channel channel = Channel::consensus;
  Bytes payload;
};

struct PeerCallbacks {
  std::function<void(PeerMessage&&)> on_message;
  std::function<void(const PeerIdentity&)> on_peer_up;
  std::function<void(const PeerIdentity&)> on_peer_down;
};

struct PeerStatus {
  Hash256 node_id;
  Address account;
  std::string remote_endpoint;  // "host:port"
  bool outbound = false;        // this node dialled it
  Instant connected_since;
  std::size_t queued_messages = 0;
  std::size_t queued_bytes = 0;
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_received = 0;
  std::uint64_t frames_dropped = 0;  // send queue full
};

struct PeerNetworkCounters {
  std::uint64_t handshakes_refused = 0;    // TLS or identity check failed, either direction
  std::uint64_t protocol_errors = 0;       // bad frames: the connection was closed
  std::uint64_t duplicates_closed = 0;     // a second connection to a connected peer
  std::uint64_t connections_rejected = 0;  // over max_connections
  std::uint64_t frames_dropped = 0;        // send queues full, all peers
  std::uint64_t stalled_closed = 0;  // a write exceeded write_timeout_ms: the peer was cut off
};

class PeerNetwork {
 public:
  // Binds the listener (so the port is known on return) and starts the network thread. `clock`
  // must outlive the network; it dates connections.
  static Result<std::unique_ptr<PeerNetwork>> start(const PeerNetworkConfig& config,
                                                    const Clock& clock,
                                                    Logger logger,
                                                    PeerCallbacks callbacks);
  ~PeerNetwork();  // stop()
  PeerNetwork(const PeerNetwork&) = delete;
  PeerNetwork& operator=(const PeerNetwork&) = delete;

  std::uint16_t listen_port() const noexcept;
  const PeerIdentity& self() const noexcept;

  // Queues to every connected peer; returns how many accepted it.
  std::size_t broadcast(Channel channel, BytesView payload);
  // Queues to one peer; false when it is not connected or its queue is full.
  bool send(const Address& account, Channel channel, BytesView payload);
  bool send(const Hash256& node_id, Channel channel, BytesView payload);

  std::vector<PeerStatus> peers() const;
  PeerNetworkCounters counters() const;

  // Closes every connection (on_peer_down for each) and joins the thread. Idempotent. Never from a
  // callback (it would wait for its own thread: asserted).
  void stop();

 private:
  struct Impl;
  explicit PeerNetwork(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tally::chain
