#include "daemon.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include <tally/chain/genesis.hpp>
#include <tally/chain/peer_network.hpp>
#include <tally/chain/rpc_server.hpp>
#include <tally/chain/tx_gossip.hpp>
#include <tally/core/clock.hpp>
#include <tally/core/log.hpp>
#include <tally/core/str_cat.hpp>

#include "node.hpp"
#include "node/node_config.hpp"
#include "node/node_key.hpp"
#include "node_rpc.hpp"
#include "peer_transport.hpp"
#include "peer_tx_intake.hpp"
#include "signals.hpp"
#include "sync_server.hpp"
#include "tls_files.hpp"

namespace tally::tallyd {

namespace {

// Everything the files say, read and checked before anything starts.
struct Loaded {
  node::NodeConfig config;
  chain::Genesis genesis;
  std::optional<KeyPair> key_pair;
  chain::PeerNetworkConfig network;
};

Result<Loaded> load(const std::filesystem::path& config_path) {
  Loaded loaded;
  TALLY_TRY(loaded.config, node::load_node_config(config_path));
  TALLY_TRY(loaded.genesis, chain::load_genesis(loaded.config.genesis));
  const CryptoSuite suite(loaded.genesis.suite);
  TALLY_TRY(KeyPair key_pair, node::load_node_key(loaded.config.node_key, suite));
  const Address address = suite.address(key_pair.public_key());
  const bool in_set =
      std::ranges::find(loaded.genesis.validators, address) != loaded.genesis.validators.end();
  const bool validator = loaded.config.role == node::NodeRole::validator;
  if (in_set != validator) {
    return fail(Errc::invalid_argument,
                str_cat(config_path.string(), ": /role: ", node::role_name(loaded.config.role),
                        ", but the node key's account 0x", to_hex(address.view()),
                        in_set ? " is" : " is not", " a validator in the genesis"));
  }
  loaded.key_pair.emplace(std::move(key_pair));
  chain::PeerNetworkConfig& network = loaded.network;
  network.listen_host = loaded.config.p2p.listen_host;
  network.listen_port = loaded.config.p2p.listen_port;
  for (const node::Endpoint& peer : loaded.config.p2p.peers)
    network.static_peers.push_back(chain::PeerEndpoint{peer.host, peer.port});
  const node::P2pLimits& limits = loaded.config.p2p.limits;
  network.limits.max_frame_bytes = limits.max_frame_bytes;
  network.limits.send_queue_messages = limits.send_queue_frames;
  network.limits.max_connections = limits.max_peers;
  network.reconnect.max_ms = limits.reconnect_max_ms;
  TALLY_TRY_VOID(load_tls_files(loaded.config.tls, network));
  return loaded;
}

chain::RpcServerConfig rpc_config(const node::RpcConfig& rpc) {
  chain::RpcServerConfig config;
  config.host = rpc.listen_host;
  config.port = rpc.listen_port;
  config.allowed_origins = rpc.allowed_origins;
  config.max_connections = rpc.limits.max_connections;
  config.limits.max_request_bytes = rpc.limits.max_request_bytes;
  config.limits.max_batch_length = rpc.limits.max_batch;
  config.client_version = str_cat("tally/", kVersion);
  return config;
}

// The parts whose pointers the callbacks follow: set as they start, cleared as they stop.
struct Running {
  std::mutex mutex;
  chain::PeerNetwork* network = nullptr;  // guarded by mutex
  chain::RpcServer* rpc = nullptr;        // guarded by mutex
};

// Stops in reverse order of start-up (packaging/README.md). Each step is safe when the part did not
// start.
struct Parts {
  Running running;
  PeerConsensusTransport transport;
  std::unique_ptr<Node> node;
  std::unique_ptr<PeerTxIntake> intake;
  std::unique_ptr<SyncServer> sync_server;
  std::unique_ptr<chain::PeerNetwork> network;
  std::unique_ptr<NodeRpc> node_rpc;
  std::unique_ptr<chain::RpcServer> rpc;

  void stop(Logger& logger) {
    if (rpc) {
      {
        std::lock_guard lock(running.mutex);
        running.rpc = nullptr;
      }
      rpc->stop();
      logger.info("rpc stopped");
    }
    transport.detach();
    if (node_rpc)
      node_rpc->attach(nullptr);
    if (network) {
      {
        std::lock_guard lock(running.mutex);
        running.network = nullptr;
      }
      network->stop();
      logger.info("peer network stopped");
    }
    if (intake)
      intake->stop();
    if (sync_server)
      sync_server->stop();
    if (node) {
      node->stop();
      logger.info("consensus host stopped");
    }
    rpc.reset();
    network.reset();
    node_rpc.reset();
    node.reset();  // the pool and the ledger close
  }
};

NodeCallbacks node_callbacks(Running& running, StopLatch& latch) {
  NodeCallbacks callbacks;
  callbacks.on_committed = [&running](const chain::Block& block) {
    std::lock_guard lock(running.mutex);
    if (running.rpc)
      running.rpc->notify_new_block(block.header.block_number);
  };
  callbacks.on_accepted_from_client = [&running](std::span<const Bytes> txs) {
    std::lock_guard lock(running.mutex);
    if (!running.network)
      return;
    for (const auto& batch : chain::gossip_batches(txs))
      running.network->broadcast(chain::Channel::txs, chain::encode_tx_gossip(batch));
  };
  callbacks.on_fatal = [&latch](const Error& error) {
    latch.trigger(StopReason{true, error.message});
  };
  return callbacks;
}

// Sync: GetBlocks to the sync server, Status and Blocks to the host; peers named by node id.
void route_sync(Parts& parts, chain::PeerMessage&& message) {
  std::string peer = to_hex(message.node_id.view());
  auto decoded = chain::decode_sync_message(message.payload);
  if (!decoded)
    return;  // the host would refuse it too; a bad peer gains nothing
  if (auto* request = std::get_if<chain::GetBlocks>(&*decoded))
    parts.sync_server->push(std::move(peer), *request);
  else
    parts.node->on_sync_message(std::move(peer), std::move(message.payload));
}

// What the network delivers, on its thread (never blocking): consensus to the host's inbox, txs to
// the intake, sync to the sync server or the host.
chain::PeerCallbacks peer_callbacks(Parts& parts, Logger& logger) {
  chain::PeerCallbacks callbacks;
  callbacks.on_message = [&parts, &logger](chain::PeerMessage&& message) {
    switch (message.channel) {
      case chain::Channel::consensus:
        parts.node->on_consensus_message(message.account, std::move(message.payload));
        break;
      case chain::Channel::txs:
        if (auto txs = chain::decode_tx_gossip(message.payload))
          parts.intake->push(std::move(*txs));
        else
          logger.warn("tx gossip refused",
                      {{"peer", to_hex(message.account.view())}, {"error", txs.error().message}});
        break;
      case chain::Channel::sync:
        route_sync(parts, std::move(message));
        break;
    }
  };
  // Peers named as BlockSync names them (the node id in hex). A peer that connects is told our
  // head at once: a node (re)starting behind learns the others' heads from their answers.
  callbacks.on_peer_up = [&parts](const chain::PeerIdentity& peer) {
    parts.node->on_peer_joined(to_hex(peer.node_id.view()));
  };
  callbacks.on_peer_down = [&parts](const chain::PeerIdentity& peer) {
    parts.node->on_peer_gone(to_hex(peer.node_id.view()));
  };
  return callbacks;
}

Result<void> start(Loaded& loaded,
                   Parts& parts,
                   StopLatch& latch,
                   const Clock& clock,
                   Logger& logger,
                   Logger& rpc_logger) {
  const CryptoSuite suite(loaded.genesis.suite);
  NodeSettings settings{loaded.config.data_dir, loaded.genesis, loaded.config.durability, 0};
  TALLY_TRY(parts.node,
            Node::open(std::move(settings), *loaded.key_pair, parts.transport, &parts.transport,
                       clock, logger.for_component("node"), node_callbacks(parts.running, latch)));
  Node& node = *parts.node;
  parts.intake = std::make_unique<PeerTxIntake>(
      [&node](std::vector<Bytes>&& txs) { node.submit_txs(txs, false); });
  TALLY_TRY(parts.sync_server, SyncServer::open(node.ledger_path(), suite,
                                                [&parts](const std::string& peer, Bytes message) {
                                                  parts.transport.send_sync(peer, message);
                                                }));
  TALLY_TRY(parts.network,
            chain::PeerNetwork::start(loaded.network, clock, logger.for_component("p2p"),
                                      peer_callbacks(parts, logger)));
  parts.transport.attach(parts.network.get());
  {
    std::lock_guard lock(parts.running.mutex);
    parts.running.network = parts.network.get();
  }
  parts.node_rpc = std::make_unique<NodeRpc>(node, loaded.genesis);
  parts.node_rpc->attach(parts.network.get());
  node.start();
  std::uint16_t rpc_port = 0;
  if (loaded.config.rpc.enabled) {
    TALLY_TRY(parts.rpc, chain::RpcServer::start(rpc_config(loaded.config.rpc), *parts.node_rpc,
                                                 node.ledger_path(), suite.id(), rpc_logger));
    rpc_port = parts.rpc->port();
    std::lock_guard lock(parts.running.mutex);
    parts.running.rpc = parts.rpc.get();
  }
  logger.info("started", {{"p2p_port", parts.network->listen_port()},
                          {"rpc_port", rpc_port},
                          {"account", to_hex(node.host().address().view())}});
  return {};
}

}  // namespace

bool check_config(const std::filesystem::path& config) {
  SystemClock clock;
  StreamLogSink sink(stderr);
  Logger logger(sink, clock, "tallyd");
  auto loaded = load(config);
  if (!loaded) {
    logger.error("configuration refused",
                 {{"config", config.string()}, {"error", loaded.error().message}});
    return false;
  }
  logger.info(
      "configuration ok",
      {{"config", config.string()},
       {"role", node::role_name(loaded->config.role)},
       {"chain_id", loaded->genesis.chain_id},
       {"account",
        to_hex(
            CryptoSuite(loaded->genesis.suite).address(loaded->key_pair->public_key()).view())}});
  return true;
}

bool run_node(const std::filesystem::path& config_path) {
  SystemClock clock;
  StreamLogSink sink(stderr);
  Logger boot(sink, clock, "tallyd");
  auto loaded = load(config_path);
  if (!loaded) {
    boot.error("cannot start",
               {{"config", config_path.string()}, {"error", loaded.error().message}});
    return false;
  }
  Logger logger(sink, clock, "tallyd", loaded->config.log.level);
  Logger rpc_logger = logger.for_component("rpc");
  logger.info("starting", {{"version", kVersion},
                           {"config", config_path.string()},
                           {"role", node::role_name(loaded->config.role)}});
  StopLatch latch;
  SignalWatcher watcher(latch);
  Parts parts;
  if (auto started = start(*loaded, parts, latch, clock, logger, rpc_logger); !started)
    latch.trigger(StopReason{true, started.error().message});
  const StopReason reason = latch.wait();
  if (reason.fatal)
    logger.error("fatal", {{"error", reason.what}});
  logger.info("stopping", {{"reason", reason.what}});
  parts.stop(logger);
  logger.info("stopped", {{"clean", !reason.fatal}});
  return !reason.fatal;
}

}  // namespace tally::tallyd
