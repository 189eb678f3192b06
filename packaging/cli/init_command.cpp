// `tally init`: generates a consortium (commands.hpp; the layout is in init_report.cpp's README).
//
// Randomness: with --seed, every chain key (nodes and demo accounts) is derived from the seed, so
// genesis.json and accounts.json are the same bytes for the same --seed and --timestamp. The TLS
// keys and certificate serials come from OpenSSL's CSPRNG (chain/pki.hpp), which cannot be
// seeded, so certificates differ from run to run; nothing in genesis depends on them.

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <vector>

#include <boost/json.hpp>

#include <tally/chain/genesis.hpp>
#include <tally/chain/pki.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/str_cat.hpp>

#include "arguments.hpp"
#include "commands.hpp"
#include "init_report.hpp"
#include "node/node_config.hpp"
#include "node/node_key.hpp"

namespace tally::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kUsage =
    "usage: tally init --out DIR --institutions N [--observers M] [--suite standard|guomi]\n"
    "                  [--chain-id ID] [--host H] [--hosts-file F] [--base-port P]\n"
    "                  [--rpc-base-port R] [--accounts K] [--consortium NAME] [--seed S]\n"
    "                  [--timestamp T] [--block-period-ms MS] [--gas-limit G]\n"
    "  --out            a new or empty folder for everything generated\n"
    "  --institutions   validator institutions, one validator node each (1-64; 4+ for BFT)\n"
    "  --observers      observer nodes of the regulator (0-16, default 0)\n"
    "  --suite          the chain's crypto suite (default standard)\n"
    "  --chain-id       EIP-155 chain id (default 4242)\n"
    "  --host           every node's host (default 127.0.0.1)\n"
    "  --hosts-file     one host per line, per node in order (validators, then observers)\n"
    "  --base-port      p2p port of the first node; node i listens on P + i (default 30300)\n"
    "  --rpc-base-port  JSON-RPC port of the first node, R + i (default 8545)\n"
    "  --accounts       funded demo accounts with keys in accounts.json (default 10)\n"
    "  --seed           derive chain and account keys from S (tests; such keys are not secret)\n"
    "  --timestamp      genesis timestamp in seconds (default now)\n"
    "  --block-period-ms  least time between blocks (default 1: below 1000, blocks follow as\n"
    "                   fast as the validators agree while txs wait)\n"
    "  --gas-limit      block gas limit (default 30000000)\n";

// tallyd rounds the period down to whole seconds (block timestamps are seconds), so any period
// below 1000 ms lets blocks follow as fast as the validators agree while txs wait; none are made
// while the pool is idle. A period of 1 s held a node to one block a second (1,428 transfers at
// 30M gas) and put p99 latency above a second at half that load (test/bench/node_tps.py).
constexpr std::uint64_t kDefaultBlockPeriodMs = 1;
constexpr std::size_t kMaxInstitutions = 64;
constexpr std::size_t kMaxObservers = 16;
constexpr std::size_t kMaxAccounts = 1000;
constexpr std::uint64_t kMaxChainId = 9007199254740991;  // genesis.schema.json
// Demo accounts get a million ether; node accounts a thousand (gas for their own txs).
constexpr std::string_view kDemoBalanceWei = "1000000000000000000000000";
constexpr std::string_view kNodeBalanceWei = "1000000000000000000000";

struct InitOptions {
  fs::path out;
  std::size_t institutions = 0;
  std::size_t observers = 0;
  SuiteId suite = SuiteId::standard;
  std::uint64_t chain_id = 4242;
  std::vector<std::string> hosts;  // one per node
  std::uint16_t base_port = 30300;
  std::uint16_t rpc_base_port = 8545;
  std::size_t accounts = 10;
  std::string consortium = "Tally demo consortium";
  std::optional<std::string> seed;
  std::uint64_t timestamp = 0;
  std::uint64_t block_period_ms = kDefaultBlockPeriodMs;
  std::uint64_t gas_limit = 30'000'000;
};

Result<std::uint64_t> number(const Arguments& args,
                             std::string_view name,
                             std::uint64_t otherwise,
                             std::uint64_t min,
                             std::uint64_t max) {
  if (!args.has(name))
    return otherwise;
  const std::string text = args.option(name);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return fail(Errc::invalid_argument,
                str_cat("--", name, " ", text, ": must be a number from ", min, " to ", max));
  return value;
}

// What node-config.schema.json accepts as a host; checked before anything is written.
Result<void> check_host(const std::string& host) {
  const bool ok =
      !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '_' ||
               c == '-';
      });
  if (!ok)
    return fail(Errc::invalid_argument, str_cat("'", host, "' is not a host name or address"));
  return {};
}

Result<std::vector<std::string>> read_hosts(const Arguments& args, std::size_t nodes) {
  if (!args.has("hosts-file")) {
    const std::string host = args.option("host", "127.0.0.1");
    TALLY_TRY_VOID(check_host(host));
    return std::vector<std::string>(nodes, host);
  }
  std::ifstream file(args.option("hosts-file"));
  if (!file)
    return fail(Errc::io_error, str_cat("cannot read --hosts-file ", args.option("hosts-file")));
  std::vector<std::string> hosts;
  for (std::string line; std::getline(file, line);) {
    line.erase(std::remove_if(line.begin(), line.end(),
                              [](char c) { return c == ' ' || c == '\t' || c == '\r'; }),
               line.end());
    if (line.empty() || line.starts_with('#'))
      continue;
    TALLY_TRY_VOID(check_host(line));
    hosts.push_back(line);
  }
  if (hosts.size() != nodes)
    return fail(Errc::invalid_argument, str_cat("--hosts-file has ", hosts.size(),
                                                " hosts; the consortium has ", nodes, " nodes"));
  return hosts;
}

Result<InitOptions> read_options(const Arguments& args) {
  InitOptions o;
  if (!args.has("out") || !args.has("institutions"))
    return fail(Errc::invalid_argument, "needs --out and --institutions");
  o.out = args.option("out");
  TALLY_TRY(o.institutions, number(args, "institutions", 0, 1, kMaxInstitutions));
  TALLY_TRY(o.observers, number(args, "observers", 0, 0, kMaxObservers));
  TALLY_TRY(o.suite, parse_suite_id(args.option("suite", "standard")));
  TALLY_TRY(o.chain_id, number(args, "chain-id", o.chain_id, 1, kMaxChainId));
  const std::uint64_t nodes = o.institutions + o.observers;
  TALLY_TRY(const auto base, number(args, "base-port", o.base_port, 1, 65536 - nodes));
  TALLY_TRY(const auto rpc_base, number(args, "rpc-base-port", o.rpc_base_port, 1, 65536 - nodes));
  o.base_port = static_cast<std::uint16_t>(base);
  o.rpc_base_port = static_cast<std::uint16_t>(rpc_base);
  if (o.base_port < o.rpc_base_port + nodes && o.rpc_base_port < o.base_port + nodes)
    return fail(Errc::invalid_argument, "the p2p and RPC port ranges overlap");
  TALLY_TRY(o.accounts, number(args, "accounts", o.accounts, 0, kMaxAccounts));
  TALLY_TRY(o.hosts, read_hosts(args, nodes));
  o.consortium = args.option("consortium", o.consortium);
  if (args.has("seed"))
    o.seed = args.option("seed");
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto now_s =
      static_cast<std::uint64_t>(std::chrono::floor<std::chrono::seconds>(now).count());
  TALLY_TRY(o.timestamp, number(args, "timestamp", now_s, 0, INT64_MAX));
  TALLY_TRY(o.block_period_ms, number(args, "block-period-ms", o.block_period_ms, 1, 3'600'000));
  TALLY_TRY(o.gas_limit, number(args, "gas-limit", o.gas_limit, 21'000, INT64_MAX));
  return o;
}

// Chain keys: random, or derived from the seed and a label (retrying the rare hash that is not a
// valid scalar).
Result<KeyPair> chain_key(const CryptoSuite& suite,
                          const std::optional<std::string>& seed,
                          std::string_view label) {
  if (!seed)
    return suite.generate_key_pair();
  for (std::uint32_t attempt = 0; attempt < 16; ++attempt) {
    const Hash256 candidate =
        keccak256(as_bytes(str_cat("tally-init/", *seed, "/", label, "/", attempt)));
    if (auto pair = suite.key_pair_from_private_key(candidate.view()))
      return pair;
  }
  return fail(Errc::internal, "no valid key derived from the seed");
}

Result<void> write_file(const fs::path& path, std::string_view content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  if (!file)
    return fail(Errc::io_error, str_cat("cannot write ", path.string()));
  return {};
}

// JSON with two-space indentation, members in insertion order, so generated files read well.
void pretty(std::string& out, const json::value& value, std::size_t indent) {
  const std::string pad(indent + 2, ' ');
  if (value.is_object() && !value.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& member : value.get_object()) {
      out += str_cat(first ? "" : ",\n", pad, json::serialize(json::value(member.key())), ": ");
      pretty(out, member.value(), indent + 2);
      first = false;
    }
    out += str_cat("\n", std::string(indent, ' '), "}");
  } else if (value.is_array() && !value.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& item : value.get_array()) {
      out += str_cat(first ? "" : ",\n", pad);
      pretty(out, item, indent + 2);
      first = false;
    }
    out += str_cat("\n", std::string(indent, ' '), "]");
  } else {
    out += json::serialize(value);
  }
}

std::string pretty(const json::value& value) {
  std::string out;
  pretty(out, value, 0);
  return out + "\n";
}

struct Node {
  InitNodeSummary summary;
  KeyPair key;
};

Result<std::vector<Node>> plan_nodes(const InitOptions& o, const CryptoSuite& suite) {
  std::vector<Node> nodes;
  for (std::size_t i = 0; i < o.institutions + o.observers; ++i) {
    const bool validator = i < o.institutions;
    const std::size_t number = validator ? i + 1 : i - o.institutions + 1;
    InitNodeSummary s;
    s.name = str_cat(validator ? "validator-" : "observer-", number);
    s.role = validator ? "validator" : "observer";
    s.institution =
        validator ? str_cat("bank-", number)
                  : (o.observers == 1 ? std::string("regulator") : str_cat("regulator-", number));
    s.host = o.hosts[i];
    s.p2p_port = static_cast<std::uint16_t>(o.base_port + i);
    s.rpc_port = static_cast<std::uint16_t>(o.rpc_base_port + i);
    TALLY_TRY(KeyPair key, chain_key(suite, o.seed, s.name));
    s.account = suite.address(key.public_key());
    nodes.push_back({std::move(s), std::move(key)});
  }
  return nodes;
}

struct Pki {
  chain::Credentials root;
  std::vector<std::pair<std::string, chain::Credentials>> institutions;

  const chain::Credentials& ca_of(std::string_view institution) const {
    for (const auto& [name, credentials] : institutions)
      if (name == institution)
        return credentials;
    return root;  // unreachable: every node's institution has a CA
  }
};

chain::Validity validity(std::chrono::sys_seconds now, std::chrono::days days) {
  return {now - std::chrono::hours(1), now + days};
}

// A CA's certificate, key (0600) and empty CRL under ca/<name>.*.
Result<void> write_ca(const fs::path& dir,
                      const std::string& name,
                      const chain::Credentials& ca,
                      std::chrono::sys_seconds now) {
  TALLY_TRY_VOID(write_file(dir / (name + ".crt"), ca.certificate_pem));
  TALLY_TRY_VOID(node::write_private_file(dir / (name + ".key"), ca.private_key_pem));
  TALLY_TRY(const std::string crl,
            chain::issue_crl(ca, {}, {now, now + std::chrono::days(365), 1}));
  return write_file(dir / (name + ".crl"), crl);
}

Result<Pki> write_pki(const InitOptions& o,
                      const std::vector<Node>& nodes,
                      std::chrono::sys_seconds now) {
  const fs::path dir = o.out / "ca";
  fs::create_directories(dir);
  Pki pki;
  TALLY_TRY(pki.root, chain::issue_root_ca({str_cat(o.consortium, " root CA"), o.consortium,
                                            validity(now, std::chrono::days(3650))}));
  TALLY_TRY_VOID(write_ca(dir, "consortium", pki.root, now));
  for (const Node& n : nodes) {
    TALLY_TRY(auto ca, chain::issue_ca(
                           pki.root, {str_cat(n.summary.institution, " CA"), n.summary.institution,
                                      validity(now, std::chrono::days(3650))}));
    TALLY_TRY_VOID(write_ca(dir, n.summary.institution, ca, now));
    pki.institutions.emplace_back(n.summary.institution, std::move(ca));
  }
  return pki;
}

bool is_ip_address(const std::string& host) {
  unsigned char buffer[16];
  return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

json::object node_config(const std::vector<Node>& nodes, const Node& self) {
  json::array crls{"../../ca/consortium.crl"};
  for (const Node& n : nodes)
    crls.emplace_back(str_cat("../../ca/", n.summary.institution, ".crl"));
  json::array peers;
  for (const Node& n : nodes)
    if (&n != &self)
      peers.emplace_back(json::object{{"host", n.summary.host}, {"port", n.summary.p2p_port}});
  return json::object{{"role", self.summary.role},
                      {"institution", self.summary.institution},
                      {"data_dir", "data"},
                      {"genesis", "../../genesis.json"},
                      {"node_key", "node.key"},
                      {"tls", json::object{{"certificate", "tls/node.crt"},
                                           {"private_key", "tls/node-tls.key"},
                                           {"ca", "../../ca/consortium.crt"},
                                           {"crls", std::move(crls)}}},
                      {"p2p", json::object{{"listen_host", self.summary.host},
                                           {"listen_port", self.summary.p2p_port},
                                           {"peers", std::move(peers)}}},
                      {"rpc", json::object{{"listen_host", self.summary.host},
                                           {"listen_port", self.summary.rpc_port}}},
                      {"log", json::object{{"level", "info"}, {"format", "json"}}},
                      {"durability", "full"}};
}

Result<void> write_node(const InitOptions& o,
                        const std::vector<Node>& nodes,
                        const Node& n,
                        const Pki& pki,
                        std::chrono::sys_seconds now) {
  const fs::path dir = o.out / "nodes" / n.summary.name;
  fs::create_directories(dir / "tls");
  fs::create_directories(dir / "data");
  TALLY_TRY_VOID(
      node::write_private_file(dir / "node.key", to_hex(n.key.reveal_private_key(), true) + "\n"));
  chain::NodeCertRequest request;
  request.common_name = n.summary.name;
  request.organization = n.summary.institution;
  request.account = n.summary.account;
  (is_ip_address(n.summary.host) ? request.ip_addresses : request.dns_names)
      .push_back(n.summary.host);
  request.validity = validity(now, std::chrono::days(730));
  const chain::Credentials& ca = pki.ca_of(n.summary.institution);
  TALLY_TRY(const auto cert, chain::issue_node_certificate(ca, request));
  TALLY_TRY_VOID(write_file(dir / "tls" / "node.crt", cert.certificate_pem + ca.certificate_pem));
  TALLY_TRY_VOID(node::write_private_file(dir / "tls" / "node-tls.key", cert.private_key_pem));
  TALLY_TRY_VOID(write_file(dir / "node.json", pretty(node_config(nodes, n))));
  // What tallyd will read must parse: a bad host from --hosts-file is named here, not at start-up.
  TALLY_TRY(const auto checked, node::load_node_config(dir / "node.json"));
  (void)checked;
  return {};
}

chain::Genesis make_genesis_value(const InitOptions& o,
                                  const std::vector<Node>& nodes,
                                  const std::vector<std::pair<Address, std::string>>& demo) {
  chain::Genesis g;
  g.consortium = o.consortium;
  g.chain_id = o.chain_id;
  g.suite = o.suite;
  g.block_gas_limit = o.gas_limit;
  g.timestamp = o.timestamp;
  g.consensus = {o.block_period_ms, 2000, 30000};
  for (const auto& [address, key] : demo)
    g.accounts.push_back({address, u256::from_decimal(kDemoBalanceWei).value()});
  for (const Node& n : nodes) {
    (n.summary.role == "validator" ? g.validators : g.observers).push_back(n.summary.account);
    g.accounts.push_back({n.summary.account, u256::from_decimal(kNodeBalanceWei).value()});
  }
  std::sort(g.validators.begin(), g.validators.end());
  return g;
}

Result<std::vector<std::pair<Address, std::string>>> demo_accounts(const InitOptions& o,
                                                                   const CryptoSuite& suite) {
  std::vector<std::pair<Address, std::string>> accounts;
  for (std::size_t i = 0; i < o.accounts; ++i) {
    TALLY_TRY(const KeyPair key, chain_key(suite, o.seed, str_cat("account-", i + 1)));
    accounts.emplace_back(suite.address(key.public_key()), to_hex(key.reveal_private_key(), true));
  }
  return accounts;
}

std::string accounts_json(const InitOptions& o,
                          const std::vector<std::pair<Address, std::string>>& demo) {
  json::array list;
  for (const auto& [address, key] : demo)
    list.emplace_back(json::object{
        {"address", address.hex()}, {"private_key", key}, {"balance", kDemoBalanceWei}});
  return pretty(json::object{
      {"suite", suite_name(o.suite)}, {"chain_id", o.chain_id}, {"accounts", std::move(list)}});
}

Result<void> check_out_dir(const fs::path& out) {
  std::error_code error;
  if (fs::exists(out, error) && !fs::is_empty(out, error))
    return fail(Errc::already_exists,
                str_cat(out.string(), " is not empty: tally init writes only into a new folder"));
  fs::create_directories(out, error);
  if (error)
    return fail(Errc::io_error, str_cat(out.string(), ": ", error.message()));
  return {};
}

Result<InitSummary> generate(const InitOptions& o) {
  TALLY_TRY_VOID(check_out_dir(o.out));
  const CryptoSuite suite(o.suite);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  TALLY_TRY(const auto nodes, plan_nodes(o, suite));
  TALLY_TRY(const auto demo, demo_accounts(o, suite));
  const chain::Genesis genesis = make_genesis_value(o, nodes, demo);
  TALLY_TRY_VOID(chain::check_genesis(genesis));
  TALLY_TRY(const Hash256 hash, chain::genesis_hash(genesis, suite));
  TALLY_TRY_VOID(write_file(o.out / "genesis.json", chain::to_json(genesis)));
  TALLY_TRY_VOID(node::write_private_file(o.out / "accounts.json", accounts_json(o, demo)));
  TALLY_TRY(const Pki pki, write_pki(o, nodes, now));
  for (const Node& n : nodes) {
    TALLY_TRY_VOID(write_node(o, nodes, n, pki, now));
  }

  InitSummary summary{fs::absolute(o.out).lexically_normal().string(),
                      std::string(suite_name(o.suite)),
                      o.chain_id,
                      hash,
                      {},
                      demo.size(),
                      o.seed.has_value()};
  for (const Node& n : nodes)
    summary.nodes.push_back(n.summary);
  TALLY_TRY_VOID(write_file(o.out / "README.txt", init_readme(summary)));
  return summary;
}

}  // namespace

int run_init(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  const ArgumentSpec spec{
      .options = {"out", "institutions", "observers", "suite", "chain-id", "host", "hosts-file",
                  "base-port", "rpc-base-port", "accounts", "consortium", "seed", "timestamp",
                  "block-period-ms", "gas-limit"},
      .flags = {"help"}};
  auto parsed = Arguments::parse(args, spec);
  if (parsed && parsed->flag("help")) {
    out << kUsage;
    return kExitOk;
  }
  Result<InitOptions> options = std::unexpected(Error{Errc::invalid_argument, ""});
  if (parsed)
    options = read_options(*parsed);
  else
    options = std::unexpected(parsed.error());
  if (!options) {
    err << "tally init: " << options.error().message << '\n' << kUsage;
    return kExitFailed;
  }
  const auto summary = generate(*options);
  if (!summary) {
    err << "tally init: " << summary.error().message << '\n';
    if (summary.error().code != Errc::already_exists)
      err << "tally init: " << options->out.string()
          << " may hold a partial consortium: remove it before running again\n";
    return kExitFailed;
  }
  write_init_summary(out, *summary);
  return kExitOk;
}

}  // namespace tally::cli
