// The node configuration file: schema, defaults, paths, cross-field checks (node_config.hpp).

#include "node/node_config.hpp"

#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include <tally/core/str_cat.hpp>
#include <tally/schemas/json_schema.hpp>

namespace tally::node {
namespace json = boost::json;
namespace {

template <typename T>
void read_number(const json::object& object, std::string_view key, T& out) {
  if (const auto* value = object.if_contains(key))
    out = static_cast<T>(schemas::validated_u64(*value));
}

std::string text_of(const json::value& value) {
  return std::string(value.get_string());
}

void read_text(const json::object& object, std::string_view key, std::string& out) {
  if (const auto* value = object.if_contains(key))
    out = text_of(*value);
}

std::filesystem::path resolve(const std::filesystem::path& base, const json::value& value) {
  const std::filesystem::path path(text_of(value));
  return (path.is_absolute() ? path : base / path).lexically_normal();
}

const json::object* member(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value == nullptr ? nullptr : &value->as_object();
}

TlsFiles read_tls(const json::object& tls, const std::filesystem::path& base) {
  TlsFiles files;
  files.certificate = resolve(base, tls.at("certificate"));
  files.private_key = resolve(base, tls.at("private_key"));
  files.ca = resolve(base, tls.at("ca"));
  if (const auto* crls = tls.if_contains("crls"))
    for (const auto& crl : crls->as_array())
      files.crls.push_back(resolve(base, crl));
  return files;
}

P2pConfig read_p2p(const json::object& p2p) {
  P2pConfig config;
  read_text(p2p, "listen_host", config.listen_host);
  read_number(p2p, "listen_port", config.listen_port);
  if (const auto* peers = p2p.if_contains("peers")) {
    for (const auto& peer : peers->as_array()) {
      Endpoint endpoint;
      read_text(peer.as_object(), "host", endpoint.host);
      read_number(peer.as_object(), "port", endpoint.port);
      config.peers.push_back(std::move(endpoint));
    }
  }
  if (const auto* limits = member(p2p, "limits")) {
    read_number(*limits, "max_peers", config.limits.max_peers);
    read_number(*limits, "max_frame_bytes", config.limits.max_frame_bytes);
    read_number(*limits, "send_queue_frames", config.limits.send_queue_frames);
    read_number(*limits, "reconnect_max_ms", config.limits.reconnect_max_ms);
  }
  return config;
}

RpcConfig read_rpc(const json::object* rpc) {
  RpcConfig config;
  if (rpc == nullptr)
    return config;
  if (const auto* enabled = rpc->if_contains("enabled"))
    config.enabled = enabled->as_bool();
  read_text(*rpc, "listen_host", config.listen_host);
  read_number(*rpc, "listen_port", config.listen_port);
  if (const auto* origins = rpc->if_contains("allowed_origins"))
    for (const auto& origin : origins->as_array())
      config.allowed_origins.push_back(text_of(origin));
  if (const auto* limits = member(*rpc, "limits")) {
    read_number(*limits, "max_request_bytes", config.limits.max_request_bytes);
    read_number(*limits, "max_batch", config.limits.max_batch);
    read_number(*limits, "max_connections", config.limits.max_connections);
    read_number(*limits, "request_timeout_ms", config.limits.request_timeout_ms);
  }
  return config;
}

LogConfig read_log(const json::object* log) {
  LogConfig config;
  if (log == nullptr)
    return config;
  if (const auto* level = log->if_contains("level")) {
    const std::string name = text_of(*level);
    for (const LogLevel candidate :
         {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error})
      if (log_level_name(candidate) == name)
        config.level = candidate;
  }
  if (const auto* format = log->if_contains("format"))
    config.format = text_of(*format) == "text" ? LogFormat::text : LogFormat::json;
  return config;
}

NodeConfig from_document(const json::object& root, const std::filesystem::path& base) {
  NodeConfig config;
  config.role = text_of(root.at("role")) == "observer" ? NodeRole::observer : NodeRole::validator;
  config.institution = text_of(root.at("institution"));
  config.data_dir = resolve(base, root.at("data_dir"));
  config.genesis = resolve(base, root.at("genesis"));
  config.node_key = resolve(base, root.at("node_key"));
  config.tls = read_tls(root.at("tls").as_object(), base);
  config.p2p = read_p2p(root.at("p2p").as_object());
  config.rpc = read_rpc(member(root, "rpc"));
  config.log = read_log(member(root, "log"));
  if (const auto* durability = root.if_contains("durability"))
    config.durability =
        text_of(*durability) == "normal" ? sqlite::Durability::normal : sqlite::Durability::full;
  return config;
}

// Mistakes the schema cannot see, each "<pointer>: <reason>".
std::vector<std::string> cross_checks(const NodeConfig& config) {
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < config.p2p.peers.size(); ++i) {
    const Endpoint& peer = config.p2p.peers[i];
    if (peer.host == config.p2p.listen_host && peer.port == config.p2p.listen_port)
      problems.push_back(str_cat("/p2p/peers/", i, ": is this node's own listen endpoint"));
  }
  if (config.rpc.enabled && config.rpc.listen_port == config.p2p.listen_port)
    problems.push_back("/rpc/listen_port: the same port as /p2p/listen_port");
  if (config.tls.private_key == config.node_key)
    problems.push_back(
        "/tls/private_key: the same file as /node_key (the TLS key is P-256, "
        "the chain key is the suite's)");
  return problems;
}

}  // namespace

std::string_view role_name(NodeRole role) noexcept {
  return role == NodeRole::observer ? "observer" : "validator";
}

Result<NodeConfig> parse_node_config(std::string_view json_text,
                                     std::string_view file_name,
                                     const std::filesystem::path& base_dir) {
  if (!base_dir.is_absolute())
    return fail(Errc::invalid_argument,
                str_cat(file_name, ": the base folder ", base_dir.string(), " is not absolute"));
  auto document = schemas::parse_validated(json_text, file_name, kNodeConfigSchema);
  if (!document)
    return std::unexpected(std::move(document.error()));
  NodeConfig config = from_document(document->as_object(), base_dir);
  const std::vector<std::string> problems = cross_checks(config);
  if (problems.empty())
    return config;
  std::string message;
  for (const std::string& problem : problems)
    message += str_cat(message.empty() ? "" : "\n", file_name, ": ", problem);
  return fail(Errc::invalid_argument, message);
}

Result<NodeConfig> load_node_config(const std::filesystem::path& path) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error)
    return fail(Errc::io_error, str_cat(path.string(), ": ", error.message()));
  const auto size = std::filesystem::file_size(absolute, error);
  if (error)
    return fail(Errc::io_error, str_cat(path.string(), ": ", error.message()));
  if (size > kMaxNodeConfigBytes)
    return fail(Errc::limit_exceeded,
                str_cat(path.string(), ": larger than ", kMaxNodeConfigBytes, " bytes"));
  std::ifstream in(absolute, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in)
    return fail(Errc::io_error, str_cat(path.string(), ": cannot read"));
  return parse_node_config(text.str(), path.string(), absolute.parent_path());
}

}  // namespace tally::node
