#include "daemon.hpp"

#include <string>

#include <tally/core/clock.hpp>
#include <tally/core/log.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::tallyd {

namespace {

// The parts tallyd assembles that are still being written on other branches. Until they are
// merged tallyd refuses to start, naming them, rather than run something partial.
constexpr std::string_view kMissingParts[] = {
    "node configuration and genesis (packaging/node/node_config.hpp, chain/genesis.hpp: branch "
    "genesis)",
    "EVM block executor (chain/block_executor.hpp: branch node)",
    "tx pool (chain/tx_pool.hpp: branch pool)",
    "peer network (chain/peer_network.hpp: branch net)",
    "JSON-RPC server (chain/rpc_server.hpp, chain/rpc_node.hpp: branch rpc)",
};

bool refuse_unfinished(Logger& logger, std::string_view step) {
  std::string missing;
  for (std::string_view part : kMissingParts)
    missing += str_cat(missing.empty() ? "" : "; ", part);
  logger.error(str_cat(step, ": this build of tallyd lacks parts it needs"),
               {{"missing", missing}});
  return false;
}

}  // namespace

bool check_config(const std::filesystem::path& config) {
  SystemClock clock;
  StreamLogSink sink(stderr);
  Logger logger(sink, clock, "tallyd");
  logger.info("checking configuration", {{"config", config.string()}});
  return refuse_unfinished(logger, "cannot check the configuration");
}

bool run_node(const std::filesystem::path& config) {
  SystemClock clock;
  StreamLogSink sink(stderr);
  Logger logger(sink, clock, "tallyd");
  logger.info("starting", {{"version", kVersion}, {"config", config.string()}});
  return refuse_unfinished(logger, "cannot start");
}

}  // namespace tally::tallyd
