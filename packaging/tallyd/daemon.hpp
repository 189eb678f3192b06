#pragma once
// tallyd's process: loads the configuration, assembles the node (node.hpp), the peer network and
// the RPC server, runs them until told to stop, and stops them in reverse order
// (packaging/README.md).

#include <filesystem>
#include <string_view>

namespace tally::tallyd {

inline constexpr std::string_view kVersion = TALLY_VERSION;

// Loads and checks the configuration and the genesis it names; logs what is wrong to stderr.
bool check_config(const std::filesystem::path& config);
// Runs until SIGTERM/SIGINT (true: a clean stop) or a fatal error (false).
bool run_node(const std::filesystem::path& config);

}  // namespace tally::tallyd
