// The peer network's costs: framing (encode, and decode from 64 KiB reads as the network does),
// issuing a node certificate (what `tally init` does per node), and messages through TLS between
// two nodes on loopback (one-way, counted when the receiver's callback has them all).

#include <atomic>
#include <chrono>
#include <thread>

#include <benchmark/benchmark.h>

#include <tally/chain/peer_frame.hpp>
#include <tally/chain/peer_network.hpp>
#include <tally/chain/pki.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/clock.hpp>
#include <tally/core/log.hpp>

namespace {

using namespace tally;
using namespace tally::chain;

void BM_PeerFrameEncode(benchmark::State& state) {
  const Bytes payload(static_cast<std::size_t>(state.range(0)), 0x5a);
  for (auto _ : state)
    benchmark::DoNotOptimize(encode_frame(Channel::consensus, payload));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_PeerFrameEncode)->Arg(256)->Arg(64 * 1024);

void BM_PeerFrameDecode(benchmark::State& state) {
  const Bytes frame =
      encode_frame(Channel::txs, Bytes(static_cast<std::size_t>(state.range(0)), 1));
  Bytes stream;
  while (stream.size() < 1024 * 1024)
    stream.insert(stream.end(), frame.begin(), frame.end());
  constexpr std::size_t kChunk = 64 * 1024;
  std::vector<Frame> frames;
  for (auto _ : state) {
    FrameDecoder decoder;
    for (std::size_t at = 0; at < stream.size(); at += kChunk) {
      frames.clear();
      const auto fed =
          decoder.feed(BytesView(stream).subspan(at, std::min(kChunk, stream.size() - at)), frames);
      TALLY_ASSERT(fed.has_value());
      benchmark::DoNotOptimize(frames.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(stream.size()));
}
BENCHMARK(BM_PeerFrameDecode)->Arg(256)->Arg(64 * 1024);

Validity one_year() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return {now - std::chrono::hours(1), now + std::chrono::days(365)};
}

void BM_PkiIssueNodeCertificate(benchmark::State& state) {
  const auto root = issue_root_ca({"Bench CA", "Bench", one_year()});
  const auto institution = issue_ca(*root, {"Bench Bank CA", "Bench Bank", one_year()});
  NodeCertRequest request{
      .common_name = "node", .ip_addresses = {"127.0.0.1"}, .validity = one_year()};
  for (auto _ : state) {
    auto node = issue_node_certificate(*institution, request);
    TALLY_ASSERT(node.has_value());
    benchmark::DoNotOptimize(node->certificate_pem.data());
  }
}
BENCHMARK(BM_PkiIssueNodeCertificate)->Unit(benchmark::kMicrosecond);

class NullSink final : public LogSink {
 public:
  void write(std::string_view) override {}
};

void BM_PeerNetworkLoopback(benchmark::State& state) {
  const auto root = issue_root_ca({"Bench CA", "Bench", one_year()});
  const auto bank = issue_ca(*root, {"Bench Bank CA", "Bench Bank", one_year()});
  const CrlRequest when{one_year().not_before, one_year().not_after, 1};
  const std::vector<std::string> crls{*issue_crl(*root, {}, when), *issue_crl(*bank, {}, when)};
  SystemClock clock;
  NullSink sink;
  const auto config_for = [&](std::uint8_t n) {
    NodeCertRequest request{.common_name = "node", .validity = one_year()};
    request.account.bytes[19] = n;
    PeerNetworkConfig config;
    config.listen_host = "127.0.0.1";
    config.credentials = *issue_node_certificate(*bank, request);
    config.institution_ca_pem = bank->certificate_pem;
    config.consortium_ca_pem = root->certificate_pem;
    config.crl_pems = crls;
    return config;
  };
  std::atomic<std::int64_t> received{0};
  PeerCallbacks counting;
  counting.on_message = [&](PeerMessage&&) { received.fetch_add(1, std::memory_order_relaxed); };
  auto receiver = PeerNetwork::start(config_for(1), clock, Logger(sink, clock), counting);
  auto sender_config = config_for(2);
  sender_config.static_peers = {{"127.0.0.1", (*receiver)->listen_port()}};
  auto sender = PeerNetwork::start(sender_config, clock, Logger(sink, clock), {});
  TALLY_ASSERT(receiver && sender);
  while ((*sender)->peers().empty())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const Bytes payload(static_cast<std::size_t>(state.range(0)), 3);
  constexpr std::int64_t kBatch = 256;  // within the default send queue bound
  std::int64_t sent = 0;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kBatch; ++i)
      TALLY_ASSERT((*sender)->broadcast(Channel::txs, payload) == 1);
    sent += kBatch;
    while (received.load() < sent)
      std::this_thread::yield();
  }
  state.SetItemsProcessed(sent);
  state.SetBytesProcessed(sent * state.range(0));
}
BENCHMARK(BM_PeerNetworkLoopback)->Arg(256)->Arg(16 * 1024)->UseRealTime();

}  // namespace
