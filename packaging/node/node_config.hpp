#pragma once
// A node's configuration file (schemas/node-config.schema.json): what one tallyd process runs.
// Read once at start-up: schema-validated, with errors naming the file and the field as a JSON
// pointer ("node.json: /p2p/listen_port: must be <= 65535"); defaults filled in; relative paths
// made absolute against the folder holding the file, so a consortium folder can be moved whole.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <tally/core/error.hpp>
#include <tally/core/log.hpp>
#include <tally/core/sqlite.hpp>

namespace tally::node {

inline constexpr std::string_view kNodeConfigSchema = "node-config.schema.json";
// A configuration file larger than this is refused unread (limit_exceeded).
inline constexpr std::size_t kMaxNodeConfigBytes = 1024 * 1024;
inline constexpr std::uint16_t kDefaultRpcPort = 8545;

enum class NodeRole : std::uint8_t { validator, observer };
enum class LogFormat : std::uint8_t { json, text };

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};

struct TlsFiles {
  std::filesystem::path certificate;  // the node certificate, then its institution CA's
  std::filesystem::path private_key;  // the node's TLS key
  std::filesystem::path ca;           // the consortium root
  std::vector<std::filesystem::path> crls;
  bool operator==(const TlsFiles&) const = default;
};

struct P2pLimits {
  std::uint32_t max_peers = 64;
  std::uint32_t max_frame_bytes = 16 * 1024 * 1024;
  std::uint32_t send_queue_frames = 4096;
  std::uint32_t reconnect_max_ms = 30'000;
  bool operator==(const P2pLimits&) const = default;
};

struct P2pConfig {
  std::string listen_host = "0.0.0.0";
  std::uint16_t listen_port = 0;
  std::vector<Endpoint> peers;
  P2pLimits limits;
  bool operator==(const P2pConfig&) const = default;
};

struct RpcLimits {
  std::uint32_t max_request_bytes = 5 * 1024 * 1024;
  std::uint32_t max_batch = 100;
  std::uint32_t max_connections = 256;
  std::uint32_t request_timeout_ms = 30'000;
  bool operator==(const RpcLimits&) const = default;
};

struct RpcConfig {
  bool enabled = true;
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = kDefaultRpcPort;
  std::vector<std::string> allowed_origins;  // empty: no cross-origin browser access
  RpcLimits limits;
  bool operator==(const RpcConfig&) const = default;
};

struct LogConfig {
  LogLevel level = LogLevel::info;
  LogFormat format = LogFormat::json;
  bool operator==(const LogConfig&) const = default;
};

struct NodeConfig {
  NodeRole role = NodeRole::validator;
  std::string institution;
  // Every path below is absolute once parsed.
  std::filesystem::path data_dir;
  std::filesystem::path genesis;
  std::filesystem::path node_key;
  TlsFiles tls;
  P2pConfig p2p;
  RpcConfig rpc;
  LogConfig log;
  sqlite::Durability durability = sqlite::Durability::full;
  bool operator==(const NodeConfig&) const = default;
};

std::string_view role_name(NodeRole role) noexcept;

// Parses `json_text`, named `file_name` in errors; relative paths resolve against `base_dir`
// (which must be absolute). invalid_argument when the schema or a check refuses it: a p2p peer
// equal to the node's own listen endpoint, the RPC and p2p endpoints on one port, a TLS key file
// equal to the node key file.
Result<NodeConfig> parse_node_config(std::string_view json_text,
                                     std::string_view file_name,
                                     const std::filesystem::path& base_dir);
// Reads and parses the file at `path`; its folder is the base of relative paths. io_error when
// unreadable, limit_exceeded past kMaxNodeConfigBytes.
Result<NodeConfig> load_node_config(const std::filesystem::path& path);

}  // namespace tally::node
