// The peer network on loopback: real TLS between PeerNetwork instances (and a raw TLS client
// where a test must misbehave). Ports are ephemeral; waits are conditions with a deadline.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/peer_network.hpp>

// g++ 12 at -O3 warns inside Asio's inlined scheduler (a false positive; see peer_network.cpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#pragma GCC diagnostic pop

#include <tally/chain/pki.hpp>
#include <tally/core/clock.hpp>
#include <tally/core/log.hpp>

#include "support/memory_log_sink.hpp"

namespace tally::chain {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

constexpr auto kDeadline = 20s;  // generous for the sanitizer build; a passing run takes far less

bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = kDeadline) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// `condition` held throughout `quiet` (and nothing else changed, by `fingerprint`): when both
// ends dial, the duplicate link is closed a moment after the mesh first looks complete, and a
// message sent on it is lost (the network is best effort; the protocols above resend).
bool wait_settled(const std::function<bool()>& condition, const std::function<int()>& fingerprint) {
  constexpr auto kQuiet = 300ms;
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!wait_until(condition))
      return false;
    const int before = fingerprint();
    std::this_thread::sleep_for(kQuiet);
    if (condition() && fingerprint() == before)
      return true;
  }
  return false;
}

std::chrono::sys_seconds now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

Validity valid_now() {
  return {now_seconds() - 1h, now_seconds() + 24h};
}

Address account_number(std::uint8_t n) {
  Address out;
  out.bytes[19] = n;
  out.bytes[0] = 0xac;
  return out;
}

// A consortium: the root and two institutions, each CA with an empty CRL.
struct Consortium {
  Credentials root;
  Credentials bank_a;
  Credentials bank_b;
  std::vector<std::string> crls;

  static Consortium make(std::string_view name = "Tally Consortium") {
    Consortium out;
    out.root = *issue_root_ca({std::string(name) + " CA", std::string(name), valid_now()});
    out.bank_a = *issue_ca(out.root, {"Bank A CA", "Bank A", valid_now()});
    out.bank_b = *issue_ca(out.root, {"Bank B CA", "Bank B", valid_now()});
    const CrlRequest when{now_seconds() - 1h, now_seconds() + 24h, 1};
    for (const Credentials* ca : {&out.root, &out.bank_a, &out.bank_b})
      out.crls.push_back(*issue_crl(*ca, {}, when));
    return out;
  }
};

struct NodeKeys {
  Credentials credentials;
  std::string institution_ca_pem;
  Address account;
};

NodeKeys node_keys(const Credentials& institution,
                   std::uint8_t n,
                   Validity validity = valid_now()) {
  NodeCertRequest request{.common_name = "node" + std::to_string(n),
                          .account = account_number(n),
                          .ip_addresses = {"127.0.0.1"},
                          .validity = validity};
  auto credentials = issue_node_certificate(institution, request);
  EXPECT_TRUE(credentials) << credentials.error();
  return {*credentials, institution.certificate_pem, request.account};
}

// What one node's callbacks saw.
struct Inbox {
  mutable std::mutex mutex;
  std::vector<PeerMessage> messages;
  std::atomic<int> ups{0};
  std::atomic<int> downs{0};

  std::size_t size() const {
    const std::lock_guard lock(mutex);
    return messages.size();
  }
  std::vector<PeerMessage> copy() const {
    const std::lock_guard lock(mutex);
    return messages;
  }
};

class TestNode {
 public:
  TestNode(const Consortium& consortium,
           NodeKeys keys,
           std::vector<PeerEndpoint> peers,
           std::uint16_t port = 0,
           PeerNetworkLimits limits = {})
      : keys_(std::move(keys)), logger_(sink_, clock_, "net", LogLevel::info) {
    config_.listen_host = "127.0.0.1";
    config_.listen_port = port;
    config_.credentials = keys_.credentials;
    config_.institution_ca_pem = keys_.institution_ca_pem;
    config_.consortium_ca_pem = consortium.root.certificate_pem;
    config_.crl_pems = consortium.crls;
    config_.static_peers = std::move(peers);
    limits.handshake_timeout_ms = 3000;
    config_.limits = limits;
    config_.reconnect = {.min_ms = 20, .max_ms = 300};
  }

  ~TestNode() {
    network_.reset();
    if (::testing::Test::HasFailure()) {  // what the node saw, to explain the failure
      for (const std::string& line : sink_.lines())
        std::fprintf(stderr, "%s\n", line.c_str());
    }
  }
  TestNode(const TestNode&) = delete;
  TestNode& operator=(const TestNode&) = delete;

  PeerNetworkConfig& config() { return config_; }

  void start() {
    PeerCallbacks callbacks;
    callbacks.on_message = [this](PeerMessage&& message) {
      const std::lock_guard lock(inbox_.mutex);
      inbox_.messages.push_back(std::move(message));
    };
    callbacks.on_peer_up = [this](const PeerIdentity&) { ++inbox_.ups; };
    callbacks.on_peer_down = [this](const PeerIdentity&) { ++inbox_.downs; };
    auto started = PeerNetwork::start(config_, clock_, logger_, callbacks);
    ASSERT_TRUE(started) << started.error();
    network_ = std::move(*started);
  }

  PeerNetwork& net() { return *network_; }
  void stop() { network_.reset(); }
  std::uint16_t port() const { return network_->listen_port(); }
  PeerEndpoint endpoint() const { return {"127.0.0.1", port()}; }
  const NodeKeys& keys() const { return keys_; }
  Inbox& inbox() { return inbox_; }
  std::vector<std::string> log_lines() const { return sink_.lines(); }
  std::size_t peer_count() const { return network_->peers().size(); }
  bool has_log(std::string_view a, std::string_view b) const {
    for (const std::string& line : sink_.lines()) {
      if (line.find(a) != std::string::npos && line.find(b) != std::string::npos)
        return true;
    }
    return false;
  }

 private:
  NodeKeys keys_;
  PeerNetworkConfig config_;
  SystemClock clock_;
  test::MemoryLogSink sink_;
  Logger logger_;
  Inbox inbox_;
  std::unique_ptr<PeerNetwork> network_;
};

// A TLS client that speaks to a node directly, to send what PeerNetwork never would.
class RawClient {
 public:
  RawClient(const NodeKeys& keys, const std::string& root_pem, std::uint16_t port) {
    const std::string chain = keys.credentials.certificate_pem + keys.institution_ca_pem;
    context_.use_certificate_chain(asio::buffer(chain));
    context_.use_private_key(asio::buffer(keys.credentials.private_key_pem),
                             asio::ssl::context::pem);
    context_.add_certificate_authority(asio::buffer(root_pem));
    context_.set_verify_mode(asio::ssl::verify_peer);
    // After the context is complete: a TLS session copies its certificate when it is made.
    stream_.emplace(io_, context_);
    stream_->lowest_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    // A read that the node never answers fails the test instead of hanging it.
    const timeval timeout{.tv_sec = 10, .tv_usec = 0};
    setsockopt(stream_->lowest_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout,
               sizeof timeout);
    stream_->handshake(asio::ssl::stream_base::client);
  }

  void write(BytesView bytes) { asio::write(*stream_, asio::buffer(bytes.data(), bytes.size())); }

  // Reads until the node closes the connection (true) or the receive time-out passes (false).
  bool closed_by_node() {
    Byte buffer[4096];
    for (;;) {
      boost::system::error_code error;
      stream_->read_some(asio::buffer(buffer), error);
      if (error == asio::error::would_block || error == asio::error::try_again ||
          error == asio::error::timed_out)
        return false;
      if (error)
        return true;
    }
  }

 private:
  asio::io_context io_;
  asio::ssl::context context_{asio::ssl::context::tls_client};
  std::optional<asio::ssl::stream<asio::ip::tcp::socket>> stream_;
};

std::string text_of(const Bytes& bytes) {
  return {bytes.begin(), bytes.end()};
}

Bytes bytes_of(std::string_view text) {
  return {text.begin(), text.end()};
}

TEST(PeerNetwork, FourNodeMeshFormsAndDeliversOnEveryChannel) {
  const Consortium consortium = Consortium::make();
  std::vector<std::unique_ptr<TestNode>> nodes;
  std::vector<PeerEndpoint> started;
  for (std::uint8_t i = 0; i < 4; ++i) {
    // Each node dials those started before it: both directions of dialling happen in the mesh.
    auto node = std::make_unique<TestNode>(
        consortium, node_keys(i % 2 ? consortium.bank_b : consortium.bank_a, i), started);
    node->start();
    started.push_back(node->endpoint());
    nodes.push_back(std::move(node));
  }
  ASSERT_TRUE(wait_until([&] {
    return std::ranges::all_of(nodes, [](const auto& node) { return node->peer_count() == 3; });
  }));
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const PeerStatus& peer : nodes[i]->net().peers()) {
      EXPECT_NE(peer.node_id, nodes[i]->net().self().node_id);
      EXPECT_NE(peer.connected_since, Instant{});
    }
  }

  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (std::uint8_t c = 0; c < kChannelCount; ++c) {
      const auto channel = static_cast<Channel>(c);
      EXPECT_EQ(nodes[i]->net().broadcast(channel, bytes_of("from " + std::to_string(i))), 3u);
    }
  }
  ASSERT_TRUE(wait_until([&] {
    return std::ranges::all_of(nodes, [](const auto& node) { return node->inbox().size() == 9; });
  }));
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::array<int, kChannelCount> per_channel{};
    for (const PeerMessage& message : nodes[i]->inbox().copy()) {
      ++per_channel[static_cast<std::size_t>(message.channel)];
      const auto sender = std::ranges::find_if(
          nodes, [&](const auto& node) { return node->net().self().node_id == message.node_id; });
      ASSERT_NE(sender, nodes.end());
      EXPECT_NE(sender->get(), nodes[i].get());
      EXPECT_EQ(message.account, (*sender)->keys().account);
      const auto index = static_cast<std::size_t>(sender - nodes.begin());
      EXPECT_EQ(text_of(message.payload), "from " + std::to_string(index));
    }
    EXPECT_EQ(per_channel, (std::array<int, kChannelCount>{3, 3, 3}));
  }

  // Directed sends, by account and by node id, on every channel: only the addressee receives.
  EXPECT_TRUE(nodes[0]->net().send(nodes[2]->keys().account, Channel::sync, bytes_of("to 2")));
  EXPECT_TRUE(nodes[0]->net().send(nodes[3]->net().self().node_id, Channel::txs, bytes_of("to 3")));
  EXPECT_TRUE(nodes[1]->net().send(nodes[3]->keys().account, Channel::consensus, bytes_of("to 3")));
  EXPECT_FALSE(nodes[0]->net().send(account_number(99), Channel::sync, bytes_of("nobody")));
  ASSERT_TRUE(
      wait_until([&] { return nodes[2]->inbox().size() == 10 && nodes[3]->inbox().size() == 11; }));
  const auto to_two = nodes[2]->inbox().copy().back();
  EXPECT_EQ(to_two.channel, Channel::sync);
  EXPECT_EQ(to_two.node_id, nodes[0]->net().self().node_id);
  EXPECT_EQ(text_of(to_two.payload), "to 2");
  std::this_thread::sleep_for(50ms);  // nothing else is on its way to the others
  EXPECT_EQ(nodes[0]->inbox().size(), 9u);
  EXPECT_EQ(nodes[1]->inbox().size(), 9u);
  for (const auto& node : nodes)
    EXPECT_EQ(node->net().counters().handshakes_refused, 0u);
}

TEST(PeerNetwork, CertificateOutsideTheConsortiumIsRefusedAndLogged) {
  const Consortium consortium = Consortium::make();
  const Consortium rogue = Consortium::make("Rogue");  // its own self-signed root
  TestNode good(consortium, node_keys(consortium.bank_a, 1), {});
  good.start();
  // The intruder trusts both roots and holds every CRL, so it is the good node that refuses it.
  TestNode intruder(rogue, node_keys(rogue.bank_a, 2), {good.endpoint()});
  intruder.config().consortium_ca_pem += consortium.root.certificate_pem;
  intruder.config().crl_pems.insert(intruder.config().crl_pems.end(), consortium.crls.begin(),
                                    consortium.crls.end());
  intruder.start();
  ASSERT_TRUE(wait_until([&] { return good.net().counters().handshakes_refused >= 1; }));
  EXPECT_TRUE(good.has_log("peer refused", "certificate"));
  EXPECT_EQ(good.peer_count(), 0u);
  EXPECT_EQ(good.inbox().ups, 0);
}

TEST(PeerNetwork, RevokedCertificateIsRefused) {
  Consortium consortium = Consortium::make();
  const NodeKeys revoked = node_keys(consortium.bank_b, 7);
  const auto serial = read_certificate(revoked.credentials.certificate_pem)->serial_hex;
  // Bank B's CRL now lists node 7; the good node holds that CRL, the revoked node its old one.
  Consortium good_view = consortium;
  good_view.crls[2] = *issue_crl(consortium.bank_b, std::vector<std::string>{serial},
                                 {now_seconds() - 1h, now_seconds() + 24h, 2});
  TestNode good(good_view, node_keys(consortium.bank_a, 1), {});
  good.start();
  TestNode bad(consortium, revoked, {good.endpoint()});
  bad.start();
  ASSERT_TRUE(wait_until([&] { return good.net().counters().handshakes_refused >= 1; }));
  EXPECT_TRUE(good.has_log("peer refused", "revoked"));
  EXPECT_EQ(good.peer_count(), 0u);
}

TEST(PeerNetwork, ExpiredCertificateIsRefused) {
  const Consortium consortium = Consortium::make();
  TestNode good(consortium, node_keys(consortium.bank_a, 1), {});
  good.start();
  const Validity past{now_seconds() - 48h, now_seconds() - 24h};
  TestNode expired(consortium, node_keys(consortium.bank_b, 8, past), {good.endpoint()});
  expired.start();
  ASSERT_TRUE(wait_until([&] { return good.net().counters().handshakes_refused >= 1; }));
  EXPECT_TRUE(good.has_log("peer refused", "expired"));
  EXPECT_EQ(good.peer_count(), 0u);
}

TEST(PeerNetwork, StartRequiresTheCrlsOfItsOwnCas) {
  const Consortium consortium = Consortium::make();
  TestNode node(consortium, node_keys(consortium.bank_a, 1), {});
  node.config().crl_pems = {consortium.crls[0], consortium.crls[2]};  // Bank A's missing
  SystemClock clock;
  test::MemoryLogSink sink;
  const auto started = PeerNetwork::start(node.config(), clock, Logger(sink, clock), {});
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::invalid_argument);
  EXPECT_NE(started.error().message.find("crl_pems"), std::string::npos);
}

TEST(PeerNetwork, OversizedFrameClosesThatConnectionOnly) {
  const Consortium consortium = Consortium::make();
  PeerNetworkLimits limits;
  limits.max_frame_bytes = 1024;
  TestNode a(consortium, node_keys(consortium.bank_a, 1), {}, 0, limits);
  a.start();
  TestNode b(consortium, node_keys(consortium.bank_b, 2), {a.endpoint()});
  b.start();
  ASSERT_TRUE(wait_until([&] { return a.peer_count() == 1 && b.peer_count() == 1; }));

  RawClient raw(node_keys(consortium.bank_b, 9), consortium.root.certificate_pem, a.port());
  ASSERT_TRUE(wait_until([&] { return a.peer_count() == 2; }));
  raw.write(encode_frame(Channel::txs, Bytes(1023, 1)));  // exactly at the limit: accepted
  ASSERT_TRUE(wait_until([&] { return a.inbox().size() == 1; }));
  raw.write(Bytes{0, 0, 0x04, 0x01});  // announces 1025 bytes
  EXPECT_TRUE(raw.closed_by_node());
  ASSERT_TRUE(wait_until([&] { return a.peer_count() == 1; }));
  EXPECT_EQ(a.net().counters().protocol_errors, 1u);
  EXPECT_TRUE(a.has_log("peer protocol error", "exceeds 1024"));

  // The node still serves the others.
  EXPECT_EQ(b.net().broadcast(Channel::consensus, bytes_of("still here")), 1u);
  ASSERT_TRUE(wait_until([&] { return a.inbox().size() == 2; }));
  EXPECT_EQ(text_of(a.inbox().copy().back().payload), "still here");
}

TEST(PeerNetwork, FullSendQueueDropsThenAStalledPeerIsCutOff) {
  const Consortium consortium = Consortium::make();
  PeerNetworkLimits limits;
  limits.send_queue_messages = 4;
  limits.write_timeout_ms = 500;
  TestNode a(consortium, node_keys(consortium.bank_a, 1), {}, 0, limits);
  a.start();
  const NodeKeys silent_keys = node_keys(consortium.bank_b, 9);
  RawClient silent(silent_keys, consortium.root.certificate_pem, a.port());  // never reads
  ASSERT_TRUE(wait_until([&] { return a.peer_count() == 1; }));
  const Bytes payload(256 * 1024, 7);
  // The socket buffers fill, then the queue: sends start failing instead of blocking.
  bool dropped = false;
  for (int i = 0; i < 2000 && !dropped; ++i)
    dropped = !a.net().send(silent_keys.account, Channel::sync, payload);
  ASSERT_TRUE(dropped);
  const auto status = a.net().peers();
  ASSERT_EQ(status.size(), 1u);
  EXPECT_LE(status[0].queued_messages, 4u);
  EXPECT_GE(status[0].frames_dropped, 1u);
  EXPECT_GE(a.net().counters().frames_dropped, 1u);
  // The silent peer never reads: once the socket buffers are full a write waits, and after
  // write_timeout_ms the peer is cut off.
  ASSERT_TRUE(wait_until([&] {
    a.net().send(silent_keys.account, Channel::sync, payload);
    return a.peer_count() == 0;
  }));
  EXPECT_EQ(a.net().counters().stalled_closed, 1u);
  EXPECT_TRUE(a.has_log("peer down", "write timed out"));
}

TEST(PeerNetwork, RestartedNodeRejoinsOnTheSamePort) {
  const Consortium consortium = Consortium::make();
  const NodeKeys first_keys = node_keys(consortium.bank_a, 0);
  auto first = std::make_unique<TestNode>(consortium, first_keys, std::vector<PeerEndpoint>{});
  first->start();
  const std::uint16_t port = first->port();
  std::vector<std::unique_ptr<TestNode>> others;
  for (std::uint8_t i = 1; i < 4; ++i) {
    std::vector<PeerEndpoint> peers{first->endpoint()};
    for (const auto& other : others)
      peers.push_back(other->endpoint());
    others.push_back(
        std::make_unique<TestNode>(consortium, node_keys(consortium.bank_b, i), peers));
    others.back()->start();
  }
  const auto mesh = [&](std::size_t count) {
    return first->peer_count() == count && std::ranges::all_of(others, [&](const auto& node) {
             return node->peer_count() == count;
           });
  };
  ASSERT_TRUE(wait_until([&] { return mesh(3); }));

  first->stop();
  ASSERT_TRUE(wait_until([&] {
    return std::ranges::all_of(others, [](const auto& node) { return node->peer_count() == 2; });
  }));
  std::this_thread::sleep_for(100ms);  // the others fail to dial a few times and back off

  // Back on its port, now dialling everyone too, itself included (recognised and skipped).
  std::vector<PeerEndpoint> everyone{{"127.0.0.1", port}};
  for (const auto& other : others)
    everyone.push_back(other->endpoint());
  first = std::make_unique<TestNode>(consortium, first_keys, everyone, port);
  first->start();
  ASSERT_EQ(first->port(), port);
  const auto link_changes = [&] {
    int changes = first->inbox().ups + first->inbox().downs;
    for (const auto& node : others)
      changes += node->inbox().ups + node->inbox().downs;
    return changes;
  };
  ASSERT_TRUE(wait_settled([&] { return mesh(3); }, link_changes));
  EXPECT_EQ(first->net().broadcast(Channel::consensus, bytes_of("back")), 3u);
  ASSERT_TRUE(wait_until([&] {
    return std::ranges::all_of(others, [](const auto& node) { return node->inbox().size() == 1; });
  }));
  EXPECT_TRUE(wait_until([&] { return first->has_log("static peer is this node", ""); }));
  EXPECT_EQ(first->peer_count(), 3u);  // one link per peer although both sides dialled
}

}  // namespace
}  // namespace tally::chain
