// A node's configuration file is read at start-up: parse_node_config must refuse anything
// malformed with an error, never crash, and every path it accepts must come out absolute.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tally/core/assert.hpp>

#include "node/node_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto config = tally::node::parse_node_config(text, "fuzz.json", "/srv/tally/node0");
  if (!config)
    return 0;
  TALLY_ASSERT(config->data_dir.is_absolute() && config->genesis.is_absolute());
  TALLY_ASSERT(config->node_key.is_absolute() && config->tls.ca.is_absolute());
  TALLY_ASSERT(config->p2p.listen_port != 0);
  return 0;
}
