#pragma once
// A consortium of real tallyd processes for fault tests: `tally init` on loopback, one process per
// validator that can be killed (SIGKILL), stopped (SIGTERM) and restarted on the same data, a
// JSON-RPC client for each node, and a steady load of signed value transfers (TransferLoad).

#include <atomic>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <tally/chain/tx_signing.hpp>
#include <tally/core/str_cat.hpp>

#include "packaging/process_support.hpp"
#include "support/temp_dir.hpp"

namespace tally::test {

class ProcessCluster {
 public:
  struct Options {
    std::size_t validators = 4;
    std::size_t observers = 0;  // nodes validators..validators+observers-1
    // Written into genesis.json before any node starts (tally init fixes 2 s): a dead validator
    // is the proposer of every fourth block's first round, so the round timeout sets the pace of
    // a cluster with a node down.
    std::uint64_t round_timeout_ms = 2'000;
  };

  ProcessCluster() = default;
  ProcessCluster(const ProcessCluster&) = delete;
  ProcessCluster& operator=(const ProcessCluster&) = delete;

  // `tally init` and the genesis edit; false (with a test failure added) when it went wrong.
  bool init(const Options& options) {
    const std::size_t nodes = options.validators + options.observers;
    validators_ = options.validators;
    nodes_.resize(nodes);
    runs_.assign(nodes, 0);
    p2p_base_ = free_port_run(nodes);
    rpc_base_ = free_port_run(nodes);
    Subprocess init(
        TALLY_CLI_PATH,
        {"init", "--out", consortium().string(), "--institutions",
         std::to_string(options.validators), "--observers", std::to_string(options.observers),
         "--base-port", std::to_string(p2p_base_), "--rpc-base-port", std::to_string(rpc_base_),
         "--accounts", "2", "--seed", "1", "--block-period-ms", "1"},
        directory_ / "init.log");
    if (init.wait_for(std::chrono::seconds(60)) != std::optional<int>(0)) {
      ADD_FAILURE() << "tally init failed\n" << read_text_file(directory_ / "init.log");
      return false;
    }
    const auto genesis_path = consortium() / "genesis.json";
    boost::json::value genesis = boost::json::parse(read_text_file(genesis_path));
    genesis.at("consensus").as_object()["round_timeout_ms"] = options.round_timeout_ms;
    std::ofstream(genesis_path) << boost::json::serialize(genesis);
    return true;
  }

  std::size_t size() const { return nodes_.size(); }
  std::filesystem::path consortium() const { return directory_ / "consortium"; }

  // Starts node `i` (again, on the data it left) with a fresh log file.
  bool start(std::size_t i) {
    ++runs_[i];
    const std::string name =
        i < validators_ ? str_cat("validator-", i + 1) : str_cat("observer-", i - validators_ + 1);
    nodes_[i] = start_tallyd(consortium(), name, log(i, runs_[i]));
    return nodes_[i]->started();
  }
  // kill -9: no shutdown path runs, the ledger and consensus snapshot are as the crash left them.
  void kill(std::size_t i) { nodes_[i].reset(); }  // ~Subprocess sends SIGKILL and reaps
  // SIGTERM and the clean exit (code 0).
  std::optional<int> stop(std::size_t i) {
    nodes_[i]->terminate();
    return nodes_[i]->wait_for(std::chrono::seconds(15));
  }
  bool running(std::size_t i) const { return nodes_[i] && nodes_[i]->running(); }

  std::filesystem::path log(std::size_t i, int run) const {
    return directory_ / str_cat("tallyd-", i + 1, ".", run, ".log");
  }
  // Every run's log of node `i`, oldest first.
  std::string logs(std::size_t i) const {
    std::string out;
    for (int run = 1; run <= runs_[i]; ++run)
      out += str_cat("---- node ", i + 1, " run ", run, "\n", read_text_file(log(i, run)));
    return out;
  }
  std::string all_logs() const {
    std::string out;
    for (std::size_t i = 0; i < size(); ++i)
      out += logs(i);
    return out;
  }

  std::uint16_t rpc_port(std::size_t i) const { return static_cast<std::uint16_t>(rpc_base_ + i); }

  // The response body parsed, or nothing (no connection, or no valid JSON).
  std::optional<boost::json::value> post(std::size_t i, const boost::json::value& request) const {
    const auto body = http_post_json(rpc_port(i), boost::json::serialize(request));
    if (!body)
      return std::nullopt;
    boost::system::error_code error;
    boost::json::value response = boost::json::parse(*body, error);
    if (error)
      return std::nullopt;
    return response;
  }

  // The call's "result", or nothing (no answer, or an error).
  std::optional<boost::json::value> call(std::size_t i,
                                         std::string_view method,
                                         const boost::json::array& params) const {
    const boost::json::object request{
        {"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    const auto response = post(i, request);
    if (!response || !response->is_object() || !response->as_object().contains("result"))
      return std::nullopt;
    return response->at("result");
  }

  // eth_blockNumber of node `i`, or nothing when it does not answer.
  std::optional<std::uint64_t> head(std::size_t i) const {
    const auto result = call(i, "eth_blockNumber", {});
    if (!result || !result->is_string())
      return std::nullopt;
    return std::stoull(std::string(result->as_string()), nullptr, 16);
  }

  // {hash, stateRoot} of node `i`'s latest block.
  std::optional<boost::json::value> head_block(std::size_t i) const {
    const auto block = call(i, "eth_getBlockByNumber", {"latest", false});
    if (!block || !block->is_object())
      return std::nullopt;
    return boost::json::value{{"number", block->at("number")},
                              {"hash", block->at("hash")},
                              {"stateRoot", block->at("stateRoot")}};
  }

  // True when every node in `nodes` reports the same latest block (number, hash, state root).
  bool heads_agree(const std::vector<std::size_t>& nodes) const {
    std::optional<boost::json::value> first;
    for (const std::size_t i : nodes) {
      const auto head = head_block(i);
      if (!head || (first && *first != *head))
        return false;
      first = head;
    }
    return first.has_value();
  }

  // Which of `tx_hashes` node `i` has a successful receipt for (JSON-RPC batches).
  std::set<std::string> receipts(std::size_t i, const std::vector<std::string>& tx_hashes) const {
    constexpr std::size_t kBatch = 50;  // below the node's max_batch (100)
    std::set<std::string> found;
    for (std::size_t start = 0; start < tx_hashes.size(); start += kBatch) {
      boost::json::array batch;
      for (std::size_t k = start; k < std::min(tx_hashes.size(), start + kBatch); ++k) {
        batch.push_back(boost::json::object{{"jsonrpc", "2.0"},
                                            {"id", k},
                                            {"method", "eth_getTransactionReceipt"},
                                            {"params", {tx_hashes[k]}}});
      }
      const auto response = post(i, batch);
      if (!response || !response->is_array())
        continue;
      for (const auto& answer : response->as_array()) {
        const auto* result = answer.as_object().if_contains("result");
        if (result && result->is_object() && result->at("status") == "0x1")
          found.insert(std::string(result->at("transactionHash").as_string()));
      }
    }
    return found;
  }

 private:
  TempDir directory_;
  std::size_t validators_ = 0;
  std::uint16_t p2p_base_ = 0;
  std::uint16_t rpc_base_ = 0;
  std::vector<std::unique_ptr<Subprocess>> nodes_;
  std::vector<int> runs_;
};

// Signed value transfers from demo account 0 to account 1, one every `interval`, sent with
// eth_sendRawTransaction to the `targets` in turn. Nonces are consecutive: a tx a node did not
// take (it did not answer, or refused it) is sent again to the next node. Targets should be nodes
// the test does not kill: a node killed just after taking a tx may die before gossiping it, and
// the gap in nonces would stall every later tx of the account.
class TransferLoad {
 public:
  TransferLoad(const ProcessCluster& cluster,
               std::vector<std::size_t> targets,
               std::chrono::milliseconds interval,
               std::uint64_t first_nonce = 0)
      : cluster_(cluster),
        targets_(std::move(targets)),
        interval_(interval),
        first_nonce_(first_nonce),
        suite_(SuiteId::standard) {
    const boost::json::value accounts =
        boost::json::parse(read_text_file(cluster.consortium() / "accounts.json"));
    const auto& from = accounts.at("accounts").at(0);
    const auto& to = accounts.at("accounts").at(1);
    const Bytes secret = from_hex(std::string_view(from.at("private_key").as_string())).value();
    key_.emplace(suite_.key_pair_from_private_key(secret).value());
    sender_ = suite_.address(key_->public_key());
    chain_id_ = static_cast<std::uint64_t>(accounts.at("chain_id").as_int64());
    to_ = Address::from_hex(std::string_view(to.at("address").as_string())).value();
  }
  ~TransferLoad() { stop(); }
  TransferLoad(const TransferLoad&) = delete;
  TransferLoad& operator=(const TransferLoad&) = delete;

  void start() {
    thread_ = std::thread([this] { run(); });
  }
  void stop() {
    stopping_ = true;
    if (thread_.joinable())
      thread_.join();
  }
  // Hashes of the txs a node accepted, in nonce order.
  std::vector<std::string> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  const Address& sender() const { return sender_; }

 private:
  std::string signed_transfer(std::uint64_t nonce) const {
    chain::TxFields fields;
    fields.chain_id = chain_id_;
    fields.nonce = nonce;
    fields.set_gas_price(0);
    fields.gas_limit = 21'000;
    fields.to = to_;
    fields.value = 1 + nonce;
    const chain::Transaction tx = chain::sign_tx(std::move(fields), *key_).value();
    return "0x" + to_hex(tx.encoded());
  }

  void run() {
    std::uint64_t nonce = first_nonce_;
    std::size_t turn = 0;
    std::string raw = signed_transfer(nonce);
    while (!stopping_) {
      const std::size_t node = targets_[turn++ % targets_.size()];
      const auto hash = cluster_.call(node, "eth_sendRawTransaction", {raw});
      if (hash && hash->is_string()) {
        std::lock_guard lock(mutex_);
        sent_.emplace_back(hash->as_string());
        raw = signed_transfer(++nonce);
      }
      std::this_thread::sleep_for(interval_);
    }
  }

  const ProcessCluster& cluster_;
  const std::vector<std::size_t> targets_;
  const std::chrono::milliseconds interval_;
  const std::uint64_t first_nonce_;
  const CryptoSuite suite_;
  std::optional<KeyPair> key_;
  Address sender_;
  std::uint64_t chain_id_ = 0;
  Address to_;
  std::atomic<bool> stopping_ = false;
  mutable std::mutex mutex_;
  std::vector<std::string> sent_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace tally::test
