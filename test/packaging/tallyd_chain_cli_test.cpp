// Issue 6's end-to-end flow on a guomi-suite chain (SM2 signatures, SM3 hashes), driven through
// `tally chain` since Ethereum clients cannot sign for it, and the same on a standard chain:
// `tally init --suite <suite>` four validators, start four tallyd processes, deploy Counter and
// Caller (test/chain/solidity/, compiled with the pinned solc), send txs from three accounts, wait
// for receipts, read the events back through eth_getLogs, call views, see a revert refused with its
// reason, and check that every node agrees on the head block and its state root.

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tally/core/crypto_suite.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/core/u256.hpp>

#include "commands.hpp"
#include "packaging/process_support.hpp"
#include "support/temp_dir.hpp"

namespace tally::test {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
namespace json = boost::json;

constexpr std::size_t kNodes = 4;
constexpr std::size_t kAccounts = 3;

struct CliRun {
  int code = 0;
  std::string out;
  std::string err;
  // The JSON the command printed (every call below asks for --format json).
  json::object json() const {
    boost::system::error_code error;
    const json::value value = json::parse(out, error);
    return !error && value.is_object() ? value.get_object() : json::object{};
  }
};

class CliCluster : public ::testing::TestWithParam<SuiteId> {
 protected:
  void SetUp() override {
    const std::uint16_t p2p_base = free_port_run(kNodes);
    rpc_base_ = free_port_run(kNodes);
    const std::string out = (directory_ / "consortium").string();
    const std::vector<std::string> init_args{"init",
                                             "--out",
                                             out,
                                             "--institutions",
                                             std::to_string(kNodes),
                                             "--suite",
                                             std::string(suite_name(GetParam())),
                                             "--base-port",
                                             std::to_string(p2p_base),
                                             "--rpc-base-port",
                                             std::to_string(rpc_base_),
                                             "--accounts",
                                             std::to_string(kAccounts),
                                             "--seed",
                                             "cli-e2e",
                                             "--block-period-ms",
                                             "1"};
    const CliRun init = tally(init_args);
    ASSERT_EQ(init.code, cli::kExitOk) << init.err;
    for (std::size_t i = 0; i < kNodes; ++i) {
      nodes_.push_back(
          start_tallyd(directory_ / "consortium", str_cat("validator-", i + 1), log(i)));
      ASSERT_TRUE(nodes_.back()->started());
    }
    const json::value accounts = json::parse(read_text_file(accounts_file()));
    for (const json::value& account : accounts.at("accounts").as_array())
      addresses_.emplace_back(account.at("address").as_string());
  }

  void TearDown() override {
    for (auto& node : nodes_)
      node->terminate();
    for (auto& node : nodes_)
      node->wait_for(15s);
  }

  static CliRun tally(const std::vector<std::string>& args) {
    const std::vector<std::string_view> views(args.begin(), args.end());
    std::ostringstream out, err;
    const int code = cli::run_tally(views, out, err);
    return {code, out.str(), err.str()};
  }

  // `tally chain SUBCOMMAND --rpc <node> --format json ARGS...`
  CliRun chain(std::string_view subcommand,
               std::vector<std::string> args,
               std::size_t node = 0) const {
    std::vector<std::string> words{
        "chain", std::string(subcommand), "--rpc", rpc_url(node), "--format", "json"};
    words.insert(words.end(), args.begin(), args.end());
    return tally(words);
  }

  // Signed by demo account `account` (1-based) of accounts.json.
  CliRun chain_as(std::size_t account, std::string_view subcommand, std::vector<std::string> args) {
    args.insert(args.begin(),
                {"--accounts", accounts_file().string(), "--from", std::to_string(account)});
    return chain(subcommand, std::move(args));
  }

  std::string rpc_url(std::size_t node) const {
    return str_cat("http://127.0.0.1:", rpc_base_ + node);
  }
  std::filesystem::path accounts_file() const {
    return directory_ / "consortium" / "accounts.json";
  }
  std::filesystem::path log(std::size_t node) const {
    return directory_ / str_cat("tallyd-", node + 1, ".log");
  }
  std::string logs() const {
    std::string text;
    for (std::size_t i = 0; i < kNodes; ++i)
      text += str_cat("--- node ", i + 1, "\n", read_text_file(log(i)));
    return text;
  }

  static bool eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition())
        return true;
      std::this_thread::sleep_for(100ms);
    }
    return condition();
  }

  TempDir directory_;
  std::uint16_t rpc_base_ = 0;
  std::vector<std::unique_ptr<Subprocess>> nodes_;
  std::vector<std::string> addresses_;
};

std::string counter_bytecode() {
  const json::value contracts = json::parse(read_text_file(std::filesystem::path(TALLY_SOURCE_DIR) /
                                                           "test/chain/solidity/contracts.json"));
  return std::string(contracts.at("Counter").as_string());
}

std::string caller_bytecode() {
  const json::value contracts = json::parse(read_text_file(std::filesystem::path(TALLY_SOURCE_DIR) /
                                                           "test/chain/solidity/contracts.json"));
  return std::string(contracts.at("Caller").as_string());
}

std::string topic_of(const std::string& address) {
  return "0x" + std::string(24, '0') + address.substr(2);
}

TEST_P(CliCluster, ContractsEventsAndTransfersThroughTheCliAgreeOnEveryNode) {
  const std::string suite(suite_name(GetParam()));
  ASSERT_TRUE(eventually([&] {
    for (std::size_t i = 0; i < kNodes; ++i)
      if (chain("head", {}, i).code != cli::kExitOk)
        return false;
    return true;
  })) << logs();

  // Counter's bytecode from a file, as solc --bin writes it.
  const auto bytecode_file = directory_ / "Counter.bin";
  std::ofstream(bytecode_file) << counter_bytecode().substr(2) << "\n";
  const CliRun counter_deploy = chain_as(1, "deploy", {"--bytecode", bytecode_file.string()});
  ASSERT_EQ(counter_deploy.code, cli::kExitOk) << counter_deploy.err << logs();
  const json::object deployed = counter_deploy.json();
  EXPECT_EQ(deployed.at("status"), "success");
  EXPECT_EQ(deployed.at("suite"), json::value(suite));
  EXPECT_EQ(deployed.at("from"), json::value(addresses_[0]));
  const std::string counter(deployed.at("contract_address").as_string());

  // Caller takes Counter's address in its constructor.
  const CliRun caller_deploy =
      chain_as(2, "deploy",
               {"--bytecode", caller_bytecode(), "--constructor", "constructor(address)", counter});
  ASSERT_EQ(caller_deploy.code, cli::kExitOk) << caller_deploy.err;
  const std::string caller(caller_deploy.json().at("contract_address").as_string());
  const CliRun wired =
      chain("call", {"--to", caller, "--function", "counter()", "--returns", "(address)"});
  ASSERT_EQ(wired.code, cli::kExitOk) << wired.err;
  EXPECT_EQ(wired.json().at("decoded"), json::value("(" + counter + ")"));

  // add() from three accounts, then Caller.addTwice from the second: 5 + 7 + 11 + 2 * 3.
  const std::vector<std::pair<std::size_t, std::string>> adds{{1, "5"}, {2, "7"}, {3, "11"}};
  for (const auto& [account, amount] : adds) {
    const CliRun add =
        chain_as(account, "send", {"--to", counter, "--function", "add(uint256)", amount});
    ASSERT_EQ(add.code, cli::kExitOk) << add.err;
    const json::object receipt = add.json();
    EXPECT_EQ(receipt.at("status"), "success");
    ASSERT_EQ(receipt.at("logs").as_array().size(), 1u);
    // The receipt the CLI waited for is on every node.
    for (std::size_t node = 1; node < kNodes; ++node) {
      const std::string tx(receipt.at("tx").as_string());
      EXPECT_TRUE(eventually([&] { return chain("receipt", {tx}, node).code == cli::kExitOk; }))
          << "node " << node + 1;
    }
  }
  const CliRun twice =
      chain_as(2, "send", {"--to", caller, "--function", "addTwice(uint256)", "3"});
  ASSERT_EQ(twice.code, cli::kExitOk) << twice.err;
  EXPECT_EQ(twice.json().at("logs").as_array().size(), 2u);

  const CliRun count =
      chain("call", {"--to", counter, "--function", "count()", "--returns", "(uint256)"});
  ASSERT_EQ(count.code, cli::kExitOk) << count.err;
  EXPECT_EQ(count.json().at("decoded"), "(29)");

  // The events, through eth_getLogs: who added (indexed) and the running count (data).
  const CliRun events =
      chain("logs", {"--address", counter, "--event", "Incremented(address,uint256)",
                     "--data-types", "(uint256)"});
  ASSERT_EQ(events.code, cli::kExitOk) << events.err;
  const json::object found = events.json();
  const json::array& logs = found.at("logs").as_array();
  ASSERT_EQ(logs.size(), 5u) << events.out;
  const std::vector<std::pair<std::string, std::string>> expected{{addresses_[0], "(5)"},
                                                                  {addresses_[1], "(12)"},
                                                                  {addresses_[2], "(23)"},
                                                                  {caller, "(26)"},
                                                                  {caller, "(29)"}};
  for (std::size_t i = 0; i < logs.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(logs[i].at("topics").at(0),
              json::value(keccak256(as_bytes("Incremented(address,uint256)")).hex()));
    EXPECT_EQ(logs[i].at("topics").at(1), json::value(topic_of(expected[i].first)));
    EXPECT_EQ(logs[i].at("decoded"), json::value(expected[i].second));
  }
  // Only the second account's txs carry its address in topic 1.
  const CliRun by_second =
      chain("logs", {"--address", counter, "--topic1", topic_of(addresses_[1])});
  ASSERT_EQ(by_second.code, cli::kExitOk) << by_second.err;
  EXPECT_EQ(by_second.json().at("logs").as_array().size(), 1u);

  // A value transfer between two accounts.
  const CliRun before = chain("balance", {addresses_[0]});
  ASSERT_EQ(before.code, cli::kExitOk) << before.err;
  const CliRun transfer =
      chain_as(3, "send", {"--to", addresses_[0], "--value", "1000000000000000000"});
  ASSERT_EQ(transfer.code, cli::kExitOk) << transfer.err;
  EXPECT_EQ(transfer.json().at("gas_used"), 21000);
  const CliRun after = chain("balance", {addresses_[0]});
  ASSERT_EQ(after.code, cli::kExitOk) << after.err;
  const u256 gained =
      u256::from_decimal(std::string_view(after.json().at("balance_wei").as_string())).value() -
      u256::from_decimal(std::string_view(before.json().at("balance_wei").as_string())).value();
  EXPECT_EQ(gained, u256::from_decimal("1000000000000000000").value());

  // Signed with a key file (a node's own account key) in the suite genesis.json names; submitted
  // without waiting, its receipt asked of another node.
  const auto consortium = directory_ / "consortium";
  const CliRun queued =
      chain("send", {"--key", (consortium / "nodes/validator-1/node.key").string(), "--genesis",
                     (consortium / "genesis.json").string(), "--to", addresses_[1], "--value", "5",
                     "--no-wait"});
  ASSERT_EQ(queued.code, cli::kExitOk) << queued.err;
  EXPECT_EQ(queued.json().at("status"), "pending");
  const std::string queued_tx(queued.json().at("tx").as_string());
  const CliRun landed = chain("receipt", {queued_tx, "--wait-ms", "30000"}, 3);
  ASSERT_EQ(landed.code, cli::kExitOk) << landed.err;
  EXPECT_EQ(landed.json().at("status"), "success");

  // A revert is refused with its reason: by the estimate, or, with a fixed gas limit, as a failed
  // receipt (exit 1 both times).
  const CliRun revert = chain_as(1, "send", {"--to", counter, "--function", "add(uint256)", "101"});
  EXPECT_EQ(revert.code, cli::kExitRefused);
  EXPECT_THAT(revert.err, HasSubstr("amount above 100"));
  const CliRun failed = chain_as(
      1, "send", {"--to", counter, "--function", "add(uint256)", "101", "--gas", "100000"});
  EXPECT_EQ(failed.code, cli::kExitRefused) << failed.err;
  EXPECT_EQ(failed.json().at("status"), "failed");

  // The txs are SM2-signed: the node shows the signer's public key, whose SM3 address is the
  // sender.
  const std::string tx(transfer.json().at("tx").as_string());
  const auto body =
      http_post_json(static_cast<std::uint16_t>(rpc_base_),
                     json::serialize(json::object{{"jsonrpc", "2.0"},
                                                  {"id", 1},
                                                  {"method", "eth_getTransactionByHash"},
                                                  {"params", json::array{tx}}}));
  ASSERT_TRUE(body.has_value());
  const json::value shown = json::parse(*body).at("result");
  EXPECT_EQ(shown.at("from"), json::value(addresses_[2]));
  if (GetParam() == SuiteId::guomi) {
    const auto key = PublicKey::from_hex(std::string_view(shown.at("publicKey").as_string()));
    ASSERT_TRUE(key.has_value()) << key.error();
    EXPECT_EQ(CryptoSuite(SuiteId::guomi).address(*key).hex(), addresses_[2]);
  } else {
    EXPECT_FALSE(shown.as_object().contains("publicKey"));
  }

  // Every node has the same head block and state root, and says it is a guomi chain.
  ASSERT_TRUE(eventually([&] {
    std::optional<json::object> first;
    for (std::size_t i = 0; i < kNodes; ++i) {
      const CliRun head = chain("head", {}, i);
      if (head.code != cli::kExitOk)
        return false;
      const json::object seen = head.json();
      if (first && *first != seen)
        return false;
      first = seen;
    }
    return first->at("suite") == json::value(suite) &&
           first->at("block_number").to_number<std::uint64_t>() >= 7;
  })) << this->logs();
}

INSTANTIATE_TEST_SUITE_P(Suites,
                         CliCluster,
                         ::testing::Values(SuiteId::guomi, SuiteId::standard),
                         [](const auto& suite) { return std::string(suite_name(suite.param)); });

}  // namespace
}  // namespace tally::test
