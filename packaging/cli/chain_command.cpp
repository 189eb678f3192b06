// `tally chain`: a client of a tallyd node over JSON-RPC (commands.hpp). It signs in the chain's
// own crypto suite, so it is the client of a guomi chain, for which Ethereum tools cannot sign.
//
// Exit codes: 0 done; 1 the chain refused (a JSON-RPC error such as "nonce too low" or a revert,
// a receipt with status 0, no receipt); 2 the command could not run (bad usage, unreadable key,
// unreachable node).

#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include <tally/chain/abi.hpp>
#include <tally/chain/eth_json.hpp>
#include <tally/chain/genesis.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/str_cat.hpp>

#include "abi_text.hpp"
#include "arguments.hpp"
#include "chain_client.hpp"
#include "chain_report.hpp"
#include "commands.hpp"

namespace tally::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kUsage =
    "usage: tally chain SUBCOMMAND [--rpc URL] [--format table|json] [OPTIONS] [ARGS]\n"
    "  head                         the head block: number, hash, state root\n"
    "  balance ADDRESS              an account's balance in wei\n"
    "  send --to ADDRESS [--value WEI] [--function SIG ARG...] [--data HEX] SIGNER\n"
    "                               sign and submit a tx, wait for its receipt\n"
    "  deploy --bytecode HEX|FILE [--constructor SIG ARG...] [--args-hex HEX] [--value WEI] "
    "SIGNER\n"
    "                               deploy a contract, wait for its receipt and address\n"
    "  call --to ADDRESS --function SIG [ARG...] [--returns TYPES] [--from ADDRESS]\n"
    "                               eth_call a view; decode the result as TYPES, e.g. "
    "'(uint256)'\n"
    "  receipt TX_HASH              a tx's receipt (--wait-ms MS waits for it)\n"
    "  logs [--address A] [--event SIG] [--topic1..3 HASH] [--from-block N] [--to-block N]\n"
    "       [--data-types TYPES]    eth_getLogs; --event 'E(address,uint256)' sets topic 0\n"
    "SIGNER: --key FILE (hex private key) or --accounts accounts.json --from N|ADDRESS\n"
    "  --rpc URL        the node's JSON-RPC endpoint (default http://127.0.0.1:8545)\n"
    "  --suite S        the chain's crypto suite, standard or guomi (default: from --genesis\n"
    "                   FILE, else from --accounts, else asked of the node)\n"
    "  --gas G, --nonce N  instead of eth_estimateGas (plus 25%) and the pending nonce\n"
    "  --wait-ms MS     how long send and deploy wait for the receipt (default 30000);\n"
    "                   --no-wait returns after submitting\n"
    "Function arguments follow the options (after `--` when one starts with '--'): integers in\n"
    "decimal or 0x-hex, addresses and bytes 0x-hex, bool true|false, lists [a,b].\n";

constexpr std::string_view kDefaultRpc = "http://127.0.0.1:8545";
constexpr std::chrono::milliseconds kDefaultWait{30'000};
constexpr std::uintmax_t kMaxBytecodeFileBytes = 1 << 20;  // initcode is at most 48 KiB

const std::set<std::string, std::less<>> kCommonOptions = {"rpc", "format", "timeout-ms"};
const std::set<std::string, std::less<>> kSignerOptions = {"suite", "genesis", "key",   "accounts",
                                                           "from",  "gas",     "nonce", "wait-ms"};

// What a subcommand shows, and whether the chain refused what was asked (exit 1).
struct Report {
  json::object body;
  bool refused = false;
};

struct Context {
  const Arguments& args;
  const RpcClient& client;
};

// ---- Argument values

Result<std::uint64_t> parse_u64(std::string_view text, std::string_view name) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return fail(Errc::invalid_argument, str_cat("--", name, " ", text, ": not a number"));
  return value;
}

Result<std::optional<std::uint64_t>> optional_u64(const Arguments& args, std::string_view name) {
  if (!args.has(name))
    return std::optional<std::uint64_t>();
  TALLY_TRY(const std::uint64_t value, parse_u64(args.option(name), name));
  return std::optional<std::uint64_t>(value);
}

Result<u256> parse_wei(const Arguments& args) {
  const std::string text = args.option("value", "0");
  auto value = text.starts_with("0x") ? u256::from_hex(text) : u256::from_decimal(text);
  return in_context(std::move(value), "--value");
}

Result<Address> parse_address(const std::string& text, std::string_view name) {
  return in_context(Address::from_hex(text), str_cat(name, " ", text));
}

Result<Bytes> parse_hex(const std::string& text, std::string_view name) {
  if (!text.starts_with("0x"))
    return fail(Errc::invalid_argument, str_cat(name, ": 0x-hex expected"));
  return in_context(from_hex(text), name);
}

// --bytecode: 0x-hex, or a file holding it (as solc --bin writes it, with or without 0x).
Result<Bytes> read_bytecode(const std::string& text) {
  if (text.starts_with("0x"))
    return parse_hex(text, "--bytecode");
  std::error_code error;
  const auto size = fs::file_size(text, error);
  if (error)
    return fail(Errc::io_error, str_cat("--bytecode ", text, ": ", error.message()));
  if (size > kMaxBytecodeFileBytes)
    return fail(Errc::limit_exceeded, str_cat("--bytecode ", text, ": larger than 1 MiB"));
  std::ifstream in(text);
  std::stringstream content;
  content << in.rdbuf();
  std::string hex = content.str();
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back())))
    hex.pop_back();
  return in_context(from_hex(hex), str_cat("--bytecode ", text));
}

// Calldata from --function SIG and the positional arguments, or --data HEX.
Result<Bytes> calldata(const Arguments& args, std::span<const std::string> positional) {
  if (args.has("function") && args.has("data"))
    return fail(Errc::invalid_argument, "give --function or --data, not both");
  if (args.has("function"))
    return in_context(encode_function_call(args.option("function"), positional),
                      str_cat("--function ", args.option("function")));
  if (!positional.empty())
    return fail(Errc::invalid_argument, "arguments given without --function");
  return args.has("data") ? parse_hex(args.option("data"), "--data") : Bytes{};
}

// ---- Chain parameters and the signer

Result<ChainParams> chain_params(const Context& c) {
  TALLY_TRY(const std::uint64_t node_id, node_chain_id(c.client));
  std::optional<ChainParams> file;
  std::string file_name;
  if (c.args.has("genesis")) {
    TALLY_TRY(const chain::Genesis genesis, chain::load_genesis(c.args.option("genesis")));
    file = ChainParams{genesis.chain_id, genesis.suite};
    file_name = c.args.option("genesis");
  } else if (c.args.has("accounts")) {
    TALLY_TRY(file, read_accounts_params(c.args.option("accounts")));
    file_name = c.args.option("accounts");
  }
  if (file && file->chain_id != node_id)
    return fail(Errc::unsupported, str_cat(file_name, " is for chain ", file->chain_id,
                                           "; the node serves chain ", node_id));
  ChainParams params{node_id, SuiteId::standard};
  if (c.args.has("suite")) {
    TALLY_TRY(params.suite, parse_suite_id(c.args.option("suite")));
  } else if (file) {
    params.suite = file->suite;
  } else {
    TALLY_TRY(params.suite, node_suite(c.client));
  }
  return params;
}

Result<KeyPair> signer_key(const Arguments& args, SuiteId suite) {
  if (args.has("key") == args.has("accounts"))
    return fail(Errc::invalid_argument, "give --key FILE or --accounts FILE --from N");
  if (args.has("key"))
    return read_key_file(args.option("key"), suite);
  if (!args.has("from"))
    return fail(Errc::invalid_argument, "--accounts needs --from N|ADDRESS");
  return read_account_key(args.option("accounts"), args.option("from"), suite);
}

// ---- Receipts

Result<std::uint64_t> quantity(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (!value)
    return fail(Errc::malformed, str_cat("the node's answer has no ", name));
  return chain::parse_eth_u64(*value, name);
}

json::array logs_summary(const json::value* logs) {
  json::array out;
  if (!logs || !logs->is_array())
    return out;
  for (const json::value& log : logs->get_array()) {
    const json::object& entry = log.as_object();
    out.emplace_back(json::object{{"address", entry.at("address")},
                                  {"topics", entry.at("topics")},
                                  {"data", entry.at("data")}});
  }
  return out;
}

// The receipt's facts, added to `body`; refused when the tx failed.
Result<bool> add_receipt(json::object& body, const json::object& receipt) {
  TALLY_TRY(const std::uint64_t status, quantity(receipt, "status"));
  TALLY_TRY(const std::uint64_t block_number, quantity(receipt, "blockNumber"));
  TALLY_TRY(const std::uint64_t gas_used, quantity(receipt, "gasUsed"));
  body["status"] = status == 1 ? "success" : "failed";
  body["block_number"] = block_number;
  body["block_hash"] = receipt.at("blockHash");
  body["gas_used"] = gas_used;
  if (const json::value* created = receipt.if_contains("contractAddress"); created)
    body["contract_address"] = *created;
  body["logs"] = logs_summary(receipt.if_contains("logs"));
  return status != 1;
}

Result<std::chrono::milliseconds> wait_time(const Arguments& args) {
  TALLY_TRY(const auto wait_ms, optional_u64(args, "wait-ms"));
  return wait_ms ? std::chrono::milliseconds(*wait_ms) : kDefaultWait;
}

// Signs and submits `request`, then waits for the receipt unless --no-wait.
Result<Report> transact(const Context& c, TxRequest request) {
  TALLY_TRY(request.gas_limit, optional_u64(c.args, "gas"));
  TALLY_TRY(request.nonce, optional_u64(c.args, "nonce"));
  TALLY_TRY(const auto wait, wait_time(c.args));
  TALLY_TRY(const ChainParams params, chain_params(c));
  TALLY_TRY(const KeyPair key, signer_key(c.args, params.suite));
  TALLY_TRY(const SubmittedTx sent, submit_tx(c.client, params, key, request));
  Report report;
  report.body = {{"tx", sent.hash.hex()},
                 {"from", sent.from.hex()},
                 {"nonce", sent.nonce},
                 {"gas_limit", sent.gas_limit},
                 {"suite", suite_name(params.suite)},
                 {"chain_id", params.chain_id}};
  if (c.args.flag("no-wait")) {
    report.body["status"] = "pending";
    return report;
  }
  TALLY_TRY(const json::object receipt, wait_for_receipt(c.client, sent.hash, wait));
  TALLY_TRY(report.refused, add_receipt(report.body, receipt));
  return report;
}

// ---- Subcommands

Result<Report> run_send(const Context& c) {
  if (!c.args.has("to"))
    return fail(Errc::invalid_argument, "send needs --to ADDRESS (deploy creates contracts)");
  TxRequest request;
  TALLY_TRY(request.to, parse_address(c.args.option("to"), "--to"));
  TALLY_TRY(request.value, parse_wei(c.args));
  TALLY_TRY(request.data, calldata(c.args, c.args.positional()));
  return transact(c, std::move(request));
}

Result<Report> run_deploy(const Context& c) {
  if (!c.args.has("bytecode"))
    return fail(Errc::invalid_argument, "deploy needs --bytecode HEX|FILE");
  TxRequest request;
  TALLY_TRY(request.data, read_bytecode(c.args.option("bytecode")));
  TALLY_TRY(request.value, parse_wei(c.args));
  Bytes arguments;
  if (c.args.has("constructor")) {
    TALLY_TRY(const auto constructor,
              chain::parse_function_signature(c.args.option("constructor")));
    TALLY_TRY(arguments, in_context(encode_abi_arguments(constructor.inputs, c.args.positional()),
                                    "--constructor"));
  } else if (!c.args.positional().empty()) {
    return fail(Errc::invalid_argument, "constructor arguments given without --constructor");
  }
  if (c.args.has("args-hex")) {
    TALLY_TRY(const Bytes raw, parse_hex(c.args.option("args-hex"), "--args-hex"));
    arguments.insert(arguments.end(), raw.begin(), raw.end());
  }
  request.data.insert(request.data.end(), arguments.begin(), arguments.end());
  return transact(c, std::move(request));
}

Result<Report> run_call(const Context& c) {
  if (!c.args.has("to"))
    return fail(Errc::invalid_argument, "call needs --to ADDRESS");
  TALLY_TRY(const Address to, parse_address(c.args.option("to"), "--to"));
  TALLY_TRY(const Bytes data, calldata(c.args, c.args.positional()));
  std::optional<chain::AbiType> returns;
  if (c.args.has("returns")) {
    TALLY_TRY(returns, in_context(chain::AbiType::parse(c.args.option("returns")), "--returns"));
  }
  json::object request{{"to", to.hex()}, {"data", chain::eth_data(data)}};
  if (c.args.has("from")) {
    TALLY_TRY(const Address from, parse_address(c.args.option("from"), "--from"));
    request["from"] = from.hex();
  }
  TALLY_TRY(const json::value result,
            c.client.call("eth_call", {std::move(request), c.args.option("block", "latest")}));
  TALLY_TRY(const Bytes output, chain::parse_eth_data(result, "eth_call result"));
  Report report;
  report.body["result"] = chain::eth_data(output);
  if (returns) {
    TALLY_TRY(const chain::AbiValue value,
              in_context(chain::abi_decode(*returns, output), "decoding the result"));
    report.body["decoded"] = abi_value_text(*returns, value);
  }
  return report;
}

Result<Report> run_receipt(const Context& c) {
  if (c.args.positional().size() != 1)
    return fail(Errc::invalid_argument, "receipt needs one TX_HASH");
  TALLY_TRY(const Hash256 hash, in_context(Hash256::from_hex(c.args.positional()[0]), "TX_HASH"));
  TALLY_TRY(const auto wait_ms, optional_u64(c.args, "wait-ms"));
  Report report;
  report.body["tx"] = hash.hex();
  auto receipt = wait_for_receipt(c.client, hash, std::chrono::milliseconds(wait_ms.value_or(0)));
  if (!receipt && receipt.error().code == Errc::unavailable) {
    report.body["status"] = "unknown";
    report.refused = true;
    return report;
  }
  if (!receipt)
    return std::unexpected(receipt.error());
  TALLY_TRY(report.refused, add_receipt(report.body, *receipt));
  return report;
}

Result<json::value> block_option(const Arguments& args, std::string_view name, const char* tag) {
  if (!args.has(name))
    return json::value(tag);
  TALLY_TRY(const std::uint64_t number, parse_u64(args.option(name), name));
  return json::value(chain::eth_quantity(number));
}

Result<json::object> log_filter(const Arguments& args) {
  json::object filter;
  TALLY_TRY(filter["fromBlock"], block_option(args, "from-block", "earliest"));
  TALLY_TRY(filter["toBlock"], block_option(args, "to-block", "latest"));
  if (args.has("address")) {
    TALLY_TRY(const Address address, parse_address(args.option("address"), "--address"));
    filter["address"] = address.hex();
  }
  if (args.has("event") && args.has("topic0"))
    return fail(Errc::invalid_argument, "give --event or --topic0, not both");
  json::array topics;
  std::size_t last = 0;  // trailing wildcards are left out
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string name = str_cat("topic", i);
    json::value topic = nullptr;
    if (i == 0 && args.has("event")) {
      TALLY_TRY(const auto event, chain::parse_function_signature(args.option("event")));
      topic = keccak256(as_bytes(event.signature)).hex();
    } else if (args.has(name)) {
      TALLY_TRY(const Hash256 hash, in_context(Hash256::from_hex(args.option(name)), name));
      topic = hash.hex();
    }
    if (!topic.is_null())
      last = i + 1;
    topics.push_back(std::move(topic));
  }
  topics.resize(last);
  filter["topics"] = std::move(topics);
  return filter;
}

Result<Report> run_logs(const Context& c) {
  TALLY_TRY(json::object filter, log_filter(c.args));
  std::optional<chain::AbiType> data_types;
  if (c.args.has("data-types")) {
    TALLY_TRY(data_types,
              in_context(chain::AbiType::parse(c.args.option("data-types")), "--data-types"));
  }
  TALLY_TRY(const json::value logs, c.client.call("eth_getLogs", {std::move(filter)}));
  if (!logs.is_array())
    return fail(Errc::malformed, "eth_getLogs: the answer is not a list");
  json::array out;
  for (const json::value& log : logs.get_array()) {
    const json::object& entry = log.as_object();
    TALLY_TRY(const std::uint64_t block_number, quantity(entry, "blockNumber"));
    json::object item{{"block_number", block_number},
                      {"tx", entry.at("transactionHash")},
                      {"address", entry.at("address")},
                      {"topics", entry.at("topics")},
                      {"data", entry.at("data")}};
    if (data_types) {
      TALLY_TRY(const Bytes data, chain::parse_eth_data(entry.at("data"), "log data"));
      TALLY_TRY(const chain::AbiValue value,
                in_context(chain::abi_decode(*data_types, data), "decoding log data"));
      item["decoded"] = abi_value_text(*data_types, value);
    }
    out.push_back(std::move(item));
  }
  Report report;
  report.body["logs"] = std::move(out);
  return report;
}

Result<Report> run_head(const Context& c) {
  TALLY_TRY(const json::value block, c.client.call("eth_getBlockByNumber", {"latest", false}));
  if (!block.is_object())
    return fail(Errc::malformed, "eth_getBlockByNumber: no head block");
  const json::object& head = block.get_object();
  TALLY_TRY(const std::uint64_t number, quantity(head, "number"));
  TALLY_TRY(const std::uint64_t timestamp, quantity(head, "timestamp"));
  TALLY_TRY(const std::uint64_t chain_id, node_chain_id(c.client));
  Report report;
  report.body = {{"block_number", number},
                 {"hash", head.at("hash")},
                 {"state_root", head.at("stateRoot")},
                 {"timestamp", timestamp},
                 {"txs", head.at("transactions").as_array().size()},
                 {"chain_id", chain_id}};
  if (auto suite = node_suite(c.client))
    report.body["suite"] = suite_name(*suite);
  return report;
}

Result<Report> run_balance(const Context& c) {
  if (c.args.positional().size() != 1)
    return fail(Errc::invalid_argument, "balance needs one ADDRESS");
  TALLY_TRY(const Address address, parse_address(c.args.positional()[0], "ADDRESS"));
  TALLY_TRY(const json::value balance,
            c.client.call("eth_getBalance", {address.hex(), c.args.option("block", "latest")}));
  TALLY_TRY(const u256 wei, chain::parse_eth_u256(balance, "eth_getBalance result"));
  TALLY_TRY(
      const json::value count,
      c.client.call("eth_getTransactionCount", {address.hex(), c.args.option("block", "latest")}));
  TALLY_TRY(const std::uint64_t nonce, chain::parse_eth_u64(count, "eth_getTransactionCount"));
  Report report;
  report.body = {{"address", address.hex()}, {"balance_wei", wei.decimal()}, {"nonce", nonce}};
  return report;
}

struct Subcommand {
  std::function<Result<Report>(const Context&)> run;
  ArgumentSpec spec;
};

ArgumentSpec spec_with(std::initializer_list<std::string_view> options,
                       std::initializer_list<std::string_view> flags,
                       bool signs) {
  ArgumentSpec spec{.options = kCommonOptions, .flags = {"help"}};
  if (signs)
    spec.options.insert(kSignerOptions.begin(), kSignerOptions.end());
  for (auto option : options)
    spec.options.emplace(option);
  for (auto flag : flags)
    spec.flags.emplace(flag);
  return spec;
}

const std::map<std::string, Subcommand, std::less<>>& subcommands() {
  static const std::map<std::string, Subcommand, std::less<>> table = {
      {"head", {run_head, spec_with({}, {}, false)}},
      {"balance", {run_balance, spec_with({"block"}, {}, false)}},
      {"send", {run_send, spec_with({"to", "value", "function", "data"}, {"no-wait"}, true)}},
      {"deploy",
       {run_deploy,
        spec_with({"bytecode", "constructor", "args-hex", "value"}, {"no-wait"}, true)}},
      {"call",
       {run_call, spec_with({"to", "function", "data", "from", "block", "returns"}, {}, false)}},
      {"receipt", {run_receipt, spec_with({"wait-ms"}, {}, false)}},
      {"logs",
       {run_logs, spec_with({"address", "event", "topic0", "topic1", "topic2", "topic3",
                             "from-block", "to-block", "data-types"},
                            {}, false)}},
  };
  return table;
}

}  // namespace

int run_chain(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args.front() == "help" || args.front() == "--help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? kExitFailed : kExitOk;
  }
  const auto found = subcommands().find(args.front());
  if (found == subcommands().end()) {
    err << "tally chain: unknown subcommand '" << args.front() << "'\n" << kUsage;
    return kExitFailed;
  }
  const std::string where = str_cat("tally chain ", found->first, ": ");
  const auto parsed = Arguments::parse(args.subspan(1), found->second.spec);
  if (!parsed) {
    err << where << parsed.error().message << '\n' << kUsage;
    return kExitFailed;
  }
  if (parsed->flag("help")) {
    out << kUsage;
    return kExitOk;
  }
  const std::string format = parsed->option("format", "table");
  const auto endpoint = parse_rpc_url(parsed->option("rpc", kDefaultRpc));
  const auto timeout_ms = optional_u64(*parsed, "timeout-ms");
  if (!endpoint || !timeout_ms || (format != "table" && format != "json")) {
    err << where
        << (!endpoint     ? endpoint.error().message
            : !timeout_ms ? timeout_ms.error().message
                          : std::string("--format is table or json"))
        << '\n';
    return kExitFailed;
  }
  const RpcClient client(*endpoint, std::chrono::milliseconds(timeout_ms->value_or(
                                        static_cast<std::uint64_t>(kRpcTimeout.count()))));
  Result<Report> report = fail(Errc::internal, "not run");
  try {
    report = found->second.run(Context{*parsed, client});
  } catch (const std::exception& e) {
    // Boost.JSON's at()/as_*() throw on an answer of an unexpected shape: a node this client
    // does not understand, which is a refusal to run, not a crash.
    report =
        fail(Errc::malformed, str_cat("the node's answer has an unexpected shape: ", e.what()));
  }
  if (!report) {
    err << where << report.error().message << '\n';
    return is_rpc_refusal(report.error()) ? kExitRefused : kExitFailed;
  }
  (format == "json" ? write_chain_json : write_chain_table)(out, report->body);
  return report->refused ? kExitRefused : kExitOk;
}

}  // namespace tally::cli
