// The JSON-RPC dispatcher on a small real chain (rpc_fixture.hpp): the protocol, every method's
// JSON, the error codes and each limit crossed.
#include <gtest/gtest.h>

#include <tally/chain/abi.hpp>
#include <tally/chain/block_seal.hpp>
#include <tally/chain/eth_json.hpp>
#include <tally/chain/rpc_dispatcher.hpp>
#include <tally/chain/secure_trie.hpp>

#include "rpc_fixture.hpp"

// The expectations compare JSON strings with std::string (hashes, hex); Boost.JSON compares
// only with string views, and EXPECT_EQ finds operators by argument lookup, hence this namespace.
namespace boost::json {
template <std::same_as<std::string> Text>  // exactly: literals keep Boost's own comparison
bool operator==(const value& json, const Text& text) {
  return json.is_string() && json.get_string() == text;
}
}  // namespace boost::json

namespace tally::chain {
namespace {

namespace json = boost::json;
using test_rpc::add_call;
using test_rpc::selector;

const Address kRecipient = Address::from_hex("0x000000000000000000000000000000000000beef").value();

class RpcDispatcherTest : public ::testing::Test {
 protected:
  RpcDispatcherTest() : chain_(dir_ / "ledger.db") {
    counter_ = create_address(chain_.sender(), 0);
    deploy_ = chain_.sign(chain_.fields(std::nullopt, test_rpc::contract_code("Counter")));
    transfer_ = chain_.sign(chain_.fields(kRecipient, {}, 1000));
    block1_ = chain_.commit_block({*deploy_, *transfer_});
    add5_ = chain_.sign(chain_.fields(counter_, add_call(5)));
    block2_ = chain_.commit_block({*add5_});
    add7_ = chain_.sign(chain_.fields(counter_, add_call(7)));
    block3_ = chain_.commit_block({*add7_});
  }

  void open(RpcLimits limits = {}) {
    RpcDispatcher::Config config{dir_ / "ledger.db", SuiteId::standard, limits};
    auto opened = RpcDispatcher::open(config, node_, clock_);
    ASSERT_TRUE(opened) << opened.error();
    dispatcher_ = std::move(*opened);
  }

  json::value raw(std::string_view body, const RpcCaller& caller = {}) {
    if (!dispatcher_)
      open();
    const auto response = dispatcher_->handle(body, caller);
    return response ? json::parse(*response) : json::value(nullptr);
  }

  json::value request(std::string_view method, json::array params = {}) {
    const json::object body{
        {"jsonrpc", "2.0"}, {"id", 7}, {"method", method}, {"params", std::move(params)}};
    return raw(json::serialize(body));
  }

  // The result of a call that must succeed.
  json::value result(std::string_view method, json::array params = {}) {
    const json::value response = request(method, std::move(params));
    EXPECT_FALSE(response.as_object().contains("error")) << method << ": " << response;
    EXPECT_EQ(response.at("id"), 7);
    const json::value* found = response.as_object().if_contains("result");
    return found ? *found : json::value();
  }

  // The error object of a call that must fail.
  json::object error(std::string_view method, json::array params = {}) {
    const json::value response = request(method, std::move(params));
    EXPECT_TRUE(response.as_object().contains("error")) << method << ": " << response;
    const json::value* found = response.as_object().if_contains("error");
    return found ? found->as_object() : json::object();
  }

  std::string digest(const BlockHeader& header) {
    return block_digest(header, chain_.suite()).value().hex();
  }

  test::TempDir dir_;
  test_rpc::ChainBuilder chain_;
  test_rpc::FakeRpcNode node_;
  ManualClock clock_;
  std::unique_ptr<RpcDispatcher> dispatcher_;
  Address counter_;
  std::optional<Transaction> deploy_, transfer_, add5_, add7_;
  BlockHeader block1_, block2_, block3_;
};

TEST_F(RpcDispatcherTest, AnswersChainAndNodeInformation) {
  EXPECT_EQ(result("eth_chainId"), "0x539");
  EXPECT_EQ(result("net_version"), "1337");
  EXPECT_EQ(result("eth_blockNumber"), "0x3");
  EXPECT_EQ(result("web3_clientVersion"), "tally/0.1.0");
  EXPECT_EQ(result("eth_accounts"), json::array());
  EXPECT_EQ(result("eth_gasPrice"), "0x0");
  EXPECT_EQ(result("eth_maxPriorityFeePerGas"), "0x0");
  EXPECT_EQ(result("net_listening"), true);
  EXPECT_EQ(result("net_peerCount"), "0x1");
  EXPECT_EQ(result("eth_syncing"), false);
}

TEST_F(RpcDispatcherTest, EchoesIdsAndSkipsNotifications) {
  EXPECT_EQ(raw(R"({"jsonrpc":"2.0","id":"abc","method":"eth_chainId"})"),
            json::parse(R"({"jsonrpc":"2.0","id":"abc","result":"0x539"})"));
  EXPECT_EQ(raw(R"({"jsonrpc":"2.0","id":null,"method":"eth_chainId","params":[]})"),
            json::parse(R"({"jsonrpc":"2.0","id":null,"result":"0x539"})"));
  EXPECT_EQ(raw(R"({"jsonrpc":"2.0","id":-3,"method":"eth_chainId"})").at("id"), -3);
  EXPECT_FALSE(dispatcher_->handle(R"({"jsonrpc":"2.0","method":"eth_chainId"})"));
  EXPECT_FALSE(dispatcher_->handle(R"([{"jsonrpc":"2.0","method":"eth_chainId"}])"));
}

TEST_F(RpcDispatcherTest, AnswersABatchInOrderLeavingOutNotifications) {
  const json::value response = raw(R"([
    {"jsonrpc":"2.0","id":1,"method":"eth_chainId"},
    {"jsonrpc":"2.0","method":"eth_blockNumber"},
    {"jsonrpc":"2.0","id":2,"method":"nope"},
    5,
    {"jsonrpc":"2.0","id":3,"method":"eth_blockNumber"}])");
  ASSERT_TRUE(response.is_array());
  const json::array& items = response.as_array();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].at("result"), "0x539");
  EXPECT_EQ(items[1].at("error").at("code"), -32601);
  EXPECT_EQ(items[2].at("error").at("code"), -32600);
  EXPECT_EQ(items[2].at("id"), nullptr);
  EXPECT_EQ(items[3].at("result"), "0x3");
}

TEST_F(RpcDispatcherTest, GivesTheStandardErrorCodes) {
  EXPECT_EQ(raw("{nope").at("error").at("code"), -32700);
  EXPECT_EQ(raw("{nope").at("id"), nullptr);
  EXPECT_EQ(raw("[]").at("error").at("code"), -32600);
  EXPECT_EQ(raw(R"({"id":1,"method":"eth_chainId"})").at("error").at("code"), -32600);
  EXPECT_EQ(raw(R"({"jsonrpc":"1.0","id":1,"method":"eth_chainId"})").at("error").at("code"),
            -32600);
  EXPECT_EQ(raw(R"({"jsonrpc":"2.0","id":{},"method":"eth_chainId"})").at("error").at("code"),
            -32600);
  EXPECT_EQ(raw(R"({"jsonrpc":"2.0","id":1,"method":7})").at("error").at("code"), -32600);
  EXPECT_EQ(
      raw(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":5})").at("error").at("code"),
      -32602);
  EXPECT_EQ(error("eth_nothing").at("code"), -32601);
  EXPECT_EQ(error("eth_getBalance", {"0x12"}).at("code"), -32602);
  EXPECT_EQ(error("eth_getBalance").at("code"), -32602);
  EXPECT_EQ(error("eth_getBalance", {kRecipient.hex(), "latest", 1}).at("code"), -32602);
  EXPECT_EQ(error("eth_getBlockByNumber", {"0x01", false}).at("code"), -32602);  // leading zero
  EXPECT_EQ(error("eth_getBlockByNumber", {"newest", false}).at("code"), -32602);
  EXPECT_EQ(error("eth_getBalance", {kRecipient.hex(), "0x63"}).at("message"), "header not found");
}

TEST_F(RpcDispatcherTest, RefusesRequestsAndBatchesPastTheirLimits) {
  open(RpcLimits{.max_request_bytes = 200, .max_batch_length = 2});
  const std::string small = R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})";
  EXPECT_EQ(raw(small).at("result"), "0x539");
  std::string large = small;
  large.insert(large.size() - 1, std::string(", \"pad\": \"") + std::string(200, 'x') + "\"");
  EXPECT_EQ(raw(large).at("error").at("code"), -32600);
  EXPECT_EQ(raw("[" + small + "," + small + "]").as_array().size(), 2u);
  EXPECT_EQ(raw("[" + small + "," + small + "," + small + "]").at("error").at("code"), -32600);
}

TEST_F(RpcDispatcherTest, DescribesBlocksByNumberTagAndHash) {
  const json::value block = result("eth_getBlockByNumber", {"0x1", false});
  EXPECT_EQ(block.at("number"), "0x1");
  EXPECT_EQ(block.at("hash"), digest(block1_));
  EXPECT_EQ(block.at("hash"), chain_.ledger()
                                  .block_by_number(1)
                                  .value()
                                  ->header.hash(chain_.suite())
                                  .hex());  // unsealed: digest = header hash
  EXPECT_EQ(block.at("parentHash"), digest(chain_.ledger().header_by_number(0).value().value()));
  EXPECT_EQ(block.at("miner"), "0x00000000000000000000000000000000000000aa");
  EXPECT_EQ(block.at("stateRoot"), block1_.state_root.hex());
  EXPECT_EQ(block.at("transactionsRoot"), block1_.transactions_root.hex());
  EXPECT_EQ(block.at("receiptsRoot"), block1_.receipts_root.hex());
  EXPECT_EQ(block.at("gasLimit"), "0x1c9c380");
  EXPECT_EQ(block.at("gasUsed"), eth_quantity(block1_.gas_used));
  EXPECT_EQ(block.at("timestamp"), eth_quantity(block1_.timestamp));
  EXPECT_EQ(block.at("baseFeePerGas"), "0x0");
  EXPECT_EQ(block.at("difficulty"), "0x1");
  EXPECT_EQ(block.at("totalDifficulty"), "0x0");
  EXPECT_EQ(block.at("uncles"), json::array());
  EXPECT_EQ(block.at("nonce"), "0x0000000000000000");
  EXPECT_EQ(block.at("size"),
            eth_quantity(chain_.ledger().block_by_number(1).value()->encode().size()));
  EXPECT_EQ(block.at("transactions"),
            (json::array{deploy_->hash().hex(), transfer_->hash().hex()}));

  EXPECT_EQ(result("eth_getBlockByHash", {digest(block1_), false}), block);
  EXPECT_EQ(result("eth_getBlockByNumber", {"earliest", false}).at("number"), "0x0");
  for (const char* tag : {"latest", "pending", "safe", "finalized"})
    EXPECT_EQ(result("eth_getBlockByNumber", {tag, false}).at("number"), "0x3") << tag;
  EXPECT_EQ(result("eth_getBlockByNumber", {"0x4", false}), nullptr);
  EXPECT_EQ(result("eth_getBlockByHash", {Hash256{}.hex(), false}), nullptr);

  const json::value full = result("eth_getBlockByNumber", {"0x1", true});
  const json::value& transfer = full.at("transactions").at(1);
  EXPECT_EQ(transfer, result("eth_getTransactionByHash", {transfer_->hash().hex()}));
}

TEST_F(RpcDispatcherTest, DescribesTransactionsMinedAndPending) {
  const json::value tx = result("eth_getTransactionByHash", {transfer_->hash().hex()});
  EXPECT_EQ(tx.at("type"), "0x2");
  EXPECT_EQ(tx.at("hash"), transfer_->hash().hex());
  EXPECT_EQ(tx.at("from"), chain_.sender().hex());
  EXPECT_EQ(tx.at("to"), kRecipient.hex());
  EXPECT_EQ(tx.at("nonce"), "0x1");
  EXPECT_EQ(tx.at("gas"), "0xf4240");
  EXPECT_EQ(tx.at("value"), "0x3e8");
  EXPECT_EQ(tx.at("input"), "0x");
  EXPECT_EQ(tx.at("chainId"), "0x539");
  EXPECT_EQ(tx.at("maxFeePerGas"), "0x0");
  EXPECT_EQ(tx.at("maxPriorityFeePerGas"), "0x0");
  EXPECT_EQ(tx.at("gasPrice"), "0x0");
  EXPECT_EQ(tx.at("accessList"), json::array());
  const BytesView sig = transfer_->signature().encoded();
  EXPECT_EQ(tx.at("r"), u256::from_be_bytes(sig.subspan(0, 32)).value().hex());
  EXPECT_EQ(tx.at("s"), u256::from_be_bytes(sig.subspan(32, 32)).value().hex());
  EXPECT_EQ(tx.at("yParity"), eth_quantity(sig[64]));
  EXPECT_EQ(tx.at("v"), eth_quantity(sig[64]));
  EXPECT_EQ(tx.at("blockHash"), digest(block1_));
  EXPECT_EQ(tx.at("blockNumber"), "0x1");
  EXPECT_EQ(tx.at("transactionIndex"), "0x1");
  EXPECT_EQ(result("eth_getTransactionByHash", {Hash256{}.hex()}), nullptr);

  const Transaction pending = chain_.sign(chain_.fields(kRecipient, {}, 1));
  EXPECT_EQ(result("eth_sendRawTransaction", {eth_data(pending.encoded())}), pending.hash().hex());
  const json::value in_pool = result("eth_getTransactionByHash", {pending.hash().hex()});
  EXPECT_EQ(in_pool.at("blockHash"), nullptr);
  EXPECT_EQ(in_pool.at("blockNumber"), nullptr);
  EXPECT_EQ(in_pool.at("nonce"), "0x4");
}

TEST_F(RpcDispatcherTest, SendRawTransactionPassesThePoolsRefusal) {
  const Transaction tx = chain_.sign(chain_.fields(kRecipient, {}, 1));
  ASSERT_EQ(result("eth_sendRawTransaction", {eth_data(tx.encoded())}), tx.hash().hex());
  const json::object again = error("eth_sendRawTransaction", {eth_data(tx.encoded())});
  EXPECT_EQ(again.at("code"), -32000);
  EXPECT_EQ(again.at("message"), "already known");
  EXPECT_EQ(error("eth_sendRawTransaction", {"0x02c0"}).at("code"), -32000);
  EXPECT_EQ(error("eth_sendRawTransaction", {"0x2c0"}).at("code"), -32602);
}

TEST_F(RpcDispatcherTest, DescribesReceiptsWithTheirLogs) {
  const json::value deploy = result("eth_getTransactionReceipt", {deploy_->hash().hex()});
  EXPECT_EQ(deploy.at("status"), "0x1");
  EXPECT_EQ(deploy.at("contractAddress"), counter_.hex());
  EXPECT_EQ(deploy.at("to"), nullptr);
  EXPECT_EQ(deploy.at("from"), chain_.sender().hex());
  EXPECT_EQ(deploy.at("transactionIndex"), "0x0");
  EXPECT_EQ(deploy.at("type"), "0x2");
  EXPECT_EQ(deploy.at("effectiveGasPrice"), "0x0");
  const auto deploy_gas =
      u256::from_hex(std::string_view(deploy.at("gasUsed").as_string())).value();
  EXPECT_EQ(deploy.at("cumulativeGasUsed"), deploy.at("gasUsed"));

  const json::value transfer = result("eth_getTransactionReceipt", {transfer_->hash().hex()});
  EXPECT_EQ(transfer.at("gasUsed"), "0x5208");
  EXPECT_EQ(transfer.at("cumulativeGasUsed"), eth_quantity(deploy_gas + 21'000));
  EXPECT_EQ(transfer.at("contractAddress"), nullptr);
  EXPECT_EQ(transfer.at("logs"), json::array());
  EXPECT_EQ(transfer.at("blockHash"), digest(block1_));

  const json::value add = result("eth_getTransactionReceipt", {add7_->hash().hex()});
  ASSERT_EQ(add.at("logs").as_array().size(), 1u);
  const json::value& log = add.at("logs").at(0);
  EXPECT_EQ(log.at("address"), counter_.hex());
  EXPECT_EQ(log.at("topics").at(0), keccak256(as_bytes("Incremented(address,uint256)")).hex());
  EXPECT_EQ(log.at("data"), u256(12).to_be().hex());
  EXPECT_EQ(log.at("blockNumber"), "0x3");
  EXPECT_EQ(log.at("transactionHash"), add7_->hash().hex());
  EXPECT_EQ(log.at("logIndex"), "0x0");
  EXPECT_EQ(log.at("removed"), false);
  EXPECT_EQ(add.at("logsBloom"), block3_.logs_bloom.bits().hex());
  EXPECT_EQ(result("eth_getTransactionReceipt", {Hash256{}.hex()}), nullptr);
}

TEST_F(RpcDispatcherTest, StateReadsAtEachBlock) {
  EXPECT_EQ(result("eth_getBalance", {kRecipient.hex(), "latest"}), "0x3e8");
  EXPECT_EQ(result("eth_getBalance", {kRecipient.hex(), "0x0"}), "0x0");
  EXPECT_EQ(result("eth_getBalance", {kRecipient.hex()}), "0x3e8");
  EXPECT_EQ(
      result("eth_getBalance", {kRecipient.hex(), json::object{{"blockHash", digest(block1_)}}}),
      "0x3e8");
  const std::string code =
      std::string(result("eth_getCode", {counter_.hex(), "latest"}).as_string());
  EXPECT_GT(code.size(), 100u);
  EXPECT_EQ(result("eth_getCode", {counter_.hex(), "0x0"}), "0x");
  EXPECT_EQ(result("eth_getStorageAt", {counter_.hex(), "0x0", "0x2"}), u256(5).to_be().hex());
  EXPECT_EQ(result("eth_getStorageAt", {counter_.hex(), u256(0).to_be().hex(), "latest"}),
            u256(12).to_be().hex());
  EXPECT_EQ(result("eth_getTransactionCount", {chain_.sender().hex(), "latest"}), "0x4");
  EXPECT_EQ(result("eth_getTransactionCount", {chain_.sender().hex(), "0x1"}), "0x2");
  EXPECT_EQ(result("eth_getTransactionCount", {chain_.sender().hex(), "pending"}), "0x4");
  node_.set_pending_nonce(chain_.sender(), 9);
  EXPECT_EQ(result("eth_getTransactionCount", {chain_.sender().hex(), "pending"}), "0x9");
  EXPECT_EQ(result("eth_getTransactionCount", {chain_.sender().hex(), "latest"}), "0x4");
}

TEST_F(RpcDispatcherTest, CallsRunAtABlockAndReportReverts) {
  const json::object count_call{{"to", counter_.hex()}, {"data", eth_data(selector("count()"))}};
  EXPECT_EQ(result("eth_call", {count_call, "latest"}), u256(12).to_be().hex());
  EXPECT_EQ(result("eth_call", {count_call, "0x2"}), u256(5).to_be().hex());
  // The call changes nothing: the same answer twice.
  const json::object add{
      {"from", chain_.sender().hex()}, {"to", counter_.hex()}, {"input", eth_data(add_call(1))}};
  EXPECT_EQ(result("eth_call", {add, "latest"}), u256(13).to_be().hex());
  EXPECT_EQ(result("eth_call", {add, "latest"}), u256(13).to_be().hex());

  const json::object too_much{{"to", counter_.hex()}, {"data", eth_data(add_call(101))}};
  const json::object reverted = error("eth_call", {too_much, "latest"});
  EXPECT_EQ(reverted.at("code"), 3);
  EXPECT_EQ(reverted.at("message"), "execution reverted: amount above 100");
  EXPECT_EQ(reverted.at("data"), eth_data(encode_error_reason("amount above 100")));
  EXPECT_EQ(error("eth_estimateGas", {too_much}).at("code"), 3);
  EXPECT_EQ(error("eth_call", {json::object{{"to", counter_.hex()}, {"bogus", 1}}}).at("code"),
            -32602);
}

TEST_F(RpcDispatcherTest, EstimateGasIsTheLowestLimitThatSucceeds) {
  json::object add{
      {"from", chain_.sender().hex()}, {"to", counter_.hex()}, {"data", eth_data(add_call(3))}};
  const json::value estimate = result("eth_estimateGas", {add});
  const std::uint64_t gas = u256::from_hex(std::string_view(estimate.as_string())).value().limbs[0];
  EXPECT_GT(gas, 21'000u);
  add["gas"] = eth_quantity(gas);
  EXPECT_EQ(result("eth_call", {add}), u256(15).to_be().hex());
  add["gas"] = eth_quantity(gas - 1);
  EXPECT_EQ(error("eth_call", {add}).at("code"), -32000);
  EXPECT_EQ(result("eth_estimateGas", {json::object{{"to", kRecipient.hex()}}}), "0x5208");
}

// ethers passes a typed tx's accessList to eth_estimateGas; an estimate that ignored it fell short
// of what the signed tx then needed by the list's intrinsic gas, and the tx ran out of gas.
TEST_F(RpcDispatcherTest, EstimateGasAndCallCountTheAccessList) {
  json::object transfer{{"from", chain_.sender().hex()}, {"to", kRecipient.hex()}};
  EXPECT_EQ(result("eth_estimateGas", {transfer}), "0x5208");
  transfer["accessList"] = json::array{
      json::object{{"address", counter_.hex()}, {"storageKeys", json::array{Hash256{}.hex()}}},
      json::object{{"address", kRecipient.hex()}, {"storageKeys", json::array{}}}};
  // 21,000 + two addresses at 2,400 + one key at 1,900 (EIP-2930).
  EXPECT_EQ(result("eth_estimateGas", {transfer}), eth_quantity(21'000 + 2 * 2'400 + 1'900));
  transfer["gas"] = eth_quantity(21'000 + 2 * 2'400 + 1'900 - 1);
  EXPECT_EQ(error("eth_call", {transfer}).at("code"), -32000);
  transfer["gas"] = eth_quantity(21'000 + 2 * 2'400 + 1'900);
  EXPECT_EQ(result("eth_call", {transfer}), "0x");
}

TEST_F(RpcDispatcherTest, MalformedOrOversizedAccessListsAreRefusedByPlace) {
  const auto refusal = [&](json::value list) {
    const json::object call{{"to", kRecipient.hex()}, {"accessList", std::move(list)}};
    const json::object refused = error("eth_estimateGas", {call});
    return std::pair(refused.at("code").as_int64(), std::string(refused.at("message").as_string()));
  };
  EXPECT_EQ(refusal("0x").first, -32602);
  const auto no_keys = refusal(json::array{json::object{{"address", counter_.hex()}}});
  EXPECT_EQ(no_keys.first, -32602);
  EXPECT_NE(no_keys.second.find("accessList[0]"), std::string::npos) << no_keys.second;
  const auto bad_key =
      refusal(json::array{json::object{{"address", counter_.hex()}, {"storageKeys", json::array{}}},
                          json::object{{"address", counter_.hex()},
                                       {"storageKeys", json::array{Hash256{}.hex(), "0x01"}}}});
  EXPECT_EQ(bad_key.first, -32602);
  EXPECT_NE(bad_key.second.find("accessList[1].storageKeys[1]"), std::string::npos)
      << bad_key.second;
  const auto extra = refusal(json::array{json::object{
      {"address", counter_.hex()}, {"storageKeys", json::array{}}, {"slots", json::array{}}}});
  EXPECT_NE(extra.second.find("unknown member slots"), std::string::npos) << extra.second;

  // At the bound (one address and kMaxCallAccessListItems - 1 keys) it runs; one more is refused.
  json::array keys;
  for (std::size_t i = 0; i + 1 < kMaxCallAccessListItems; ++i)
    keys.emplace_back(Hash256{}.hex());
  json::object call{{"to", kRecipient.hex()},
                    {"accessList", json::array{json::object{{"address", counter_.hex()},
                                                            {"storageKeys", keys}}}}};
  EXPECT_TRUE(result("eth_estimateGas", {call}).is_string());
  keys.emplace_back(Hash256{}.hex());
  call["accessList"] =
      json::array{json::object{{"address", counter_.hex()}, {"storageKeys", std::move(keys)}}};
  const json::object over = error("eth_estimateGas", {call});
  EXPECT_EQ(over.at("code"), -32005);
}

TEST_F(RpcDispatcherTest, GetLogsFiltersByRangeAddressAndTopics) {
  const std::string topic = keccak256(as_bytes("Incremented(address,uint256)")).hex();
  const json::value all = result("eth_getLogs", {json::object{{"fromBlock", "earliest"}}});
  ASSERT_EQ(all.as_array().size(), 2u);
  EXPECT_EQ(all.at(0).at("blockNumber"), "0x2");
  EXPECT_EQ(all.at(1).at("data"), u256(12).to_be().hex());
  EXPECT_EQ(all.at(1).at("blockHash"), digest(block3_));
  EXPECT_EQ(result("eth_getLogs", {json::object{}}).as_array().size(), 1u);  // latest only
  EXPECT_EQ(
      result("eth_getLogs",
             {json::object{{"fromBlock", "0x0"}, {"toBlock", "0x2"}, {"address", counter_.hex()}}})
          .as_array()
          .size(),
      1u);
  EXPECT_EQ(result("eth_getLogs",
                   {json::object{{"fromBlock", "0x0"}, {"address", json::array{kRecipient.hex()}}}})
                .as_array()
                .size(),
            0u);
  const std::string sender_topic = u256::from_be_bytes(chain_.sender().bytes).value().to_be().hex();
  EXPECT_EQ(result("eth_getLogs", {json::object{{"fromBlock", "0x0"},
                                                {"topics", json::array{nullptr, sender_topic}}}})
                .as_array()
                .size(),
            2u);
  EXPECT_EQ(result("eth_getLogs",
                   {json::object{{"fromBlock", "0x0"},
                                 {"topics", json::array{json::array{Hash256{}.hex(), topic}}}}})
                .as_array()
                .size(),
            2u);
  EXPECT_EQ(result("eth_getLogs",
                   {json::object{{"fromBlock", "0x0"}, {"topics", json::array{Hash256{}.hex()}}}})
                .as_array()
                .size(),
            0u);
  EXPECT_EQ(result("eth_getLogs", {json::object{{"blockHash", digest(block2_)}}}).as_array().size(),
            1u);
  EXPECT_EQ(
      error("eth_getLogs", {json::object{{"blockHash", digest(block2_)}, {"fromBlock", "0x1"}}})
          .at("code"),
      -32602);
  EXPECT_EQ(
      error("eth_getLogs", {json::object{{"fromBlock", "0x3"}, {"toBlock", "0x1"}}}).at("code"),
      -32602);
}

TEST_F(RpcDispatcherTest, GetLogsRefusesRangesAndResultsPastTheLimits) {
  open(RpcLimits{.max_log_block_range = 3, .max_log_results = 1});
  EXPECT_EQ(error("eth_getLogs", {json::object{{"fromBlock", "0x0"}}}).at("code"), -32005);
  EXPECT_EQ(error("eth_getLogs", {json::object{{"fromBlock", "0x1"}}}).at("code"), -32005);
  EXPECT_EQ(result("eth_getLogs", {json::object{{"fromBlock", "0x3"}}}).as_array().size(), 1u);
}

TEST_F(RpcDispatcherTest, BlockAndLogFiltersReportWhatIsNew) {
  const json::value blocks = result("eth_newBlockFilter");
  const json::value logs = result("eth_newFilter", {json::object{{"address", counter_.hex()}}});
  EXPECT_EQ(result("eth_getFilterChanges", {blocks}), json::array());
  EXPECT_EQ(result("eth_getFilterChanges", {logs}), json::array());
  const BlockHeader block4 =
      chain_.commit_block({chain_.sign(chain_.fields(counter_, add_call(1)))});
  const BlockHeader block5 = chain_.commit_block({});
  EXPECT_EQ(result("eth_getFilterChanges", {blocks}),
            (json::array{digest(block4), digest(block5)}));
  EXPECT_EQ(result("eth_getFilterChanges", {blocks}), json::array());
  const json::value changes = result("eth_getFilterChanges", {logs});
  ASSERT_EQ(changes.as_array().size(), 1u);
  EXPECT_EQ(changes.at(0).at("data"), u256(13).to_be().hex());
  EXPECT_EQ(result("eth_getFilterChanges", {logs}), json::array());
  // Without fromBlock the range is the head alone (block 5, empty).
  EXPECT_EQ(result("eth_getFilterLogs", {logs}).as_array().size(), 0u);
  EXPECT_EQ(result("eth_uninstallFilter", {logs}), true);
  EXPECT_EQ(result("eth_uninstallFilter", {logs}), false);
  EXPECT_EQ(error("eth_getFilterChanges", {logs}).at("message"), "filter not found");
  EXPECT_EQ(error("eth_newPendingTransactionFilter").at("code"), -32601);
}

TEST_F(RpcDispatcherTest, FilterLogsCoverTheFiltersWholeRange) {
  const json::value logs = result("eth_newFilter", {json::object{{"fromBlock", "0x0"}}});
  EXPECT_EQ(result("eth_getFilterLogs", {logs}).as_array().size(), 2u);
  EXPECT_EQ(error("eth_getFilterLogs", {result("eth_newBlockFilter")}).at("code"), -32000);
}

TEST_F(RpcDispatcherTest, FiltersExpireWhenIdleAndAreBounded) {
  open(RpcLimits{.max_filters = 2});
  const json::value first = result("eth_newBlockFilter");
  const json::value second = result("eth_newBlockFilter");
  EXPECT_EQ(error("eth_newBlockFilter").at("code"), -32005);
  clock_.advance(std::chrono::minutes(4));
  EXPECT_EQ(result("eth_getFilterChanges", {first}), json::array());  // polled: kept alive
  clock_.advance(std::chrono::minutes(1) + std::chrono::seconds(1));
  EXPECT_EQ(error("eth_getFilterChanges", {second}).at("message"), "filter not found");
  EXPECT_EQ(result("eth_getFilterChanges", {first}), json::array());
  EXPECT_TRUE(result("eth_newBlockFilter").is_string());  // the expired one made room
}

TEST_F(RpcDispatcherTest, SubscriptionsNeedAConnectionAndGetNewBlocks) {
  open(RpcLimits{.max_subscriptions_per_connection = 2});
  EXPECT_EQ(error("eth_subscribe", {"newHeads"}).at("code"), -32000);
  std::vector<json::value> pushed;
  const RpcCaller ws{1, [&](std::string message) { pushed.push_back(json::parse(message)); }};
  const auto subscribe = [&](json::array params) {
    const json::object body{
        {"jsonrpc", "2.0"}, {"id", 1}, {"method", "eth_subscribe"}, {"params", std::move(params)}};
    return raw(json::serialize(body), ws);
  };
  const json::value heads = subscribe({"newHeads"}).at("result");
  const json::value logs =
      subscribe({"logs", json::object{{"address", counter_.hex()}}}).at("result");
  EXPECT_EQ(subscribe({"newHeads"}).at("error").at("code"), -32005);
  EXPECT_EQ(subscribe({"newPendingTransactions"}).at("error").at("code"), -32602);

  const BlockHeader block4 =
      chain_.commit_block({chain_.sign(chain_.fields(counter_, add_call(2)))});
  dispatcher_->publish_new_blocks();
  ASSERT_EQ(pushed.size(), 2u);
  // Subscriptions are served in no particular order.
  const bool heads_first = pushed[0].at("params").at("subscription") == heads;
  const json::value& head = pushed[heads_first ? 0 : 1];
  const json::value& log = pushed[heads_first ? 1 : 0];
  EXPECT_EQ(head.at("method"), "eth_subscription");
  EXPECT_EQ(head.at("params").at("subscription"), heads);
  EXPECT_EQ(head.at("params").at("result").at("hash"), digest(block4));
  EXPECT_EQ(head.at("params").at("result").at("number"), "0x4");
  EXPECT_FALSE(head.at("params").at("result").as_object().contains("transactions"));
  EXPECT_EQ(log.at("params").at("subscription"), logs);
  EXPECT_EQ(log.at("params").at("result").at("data"), u256(14).to_be().hex());
  dispatcher_->publish_new_blocks();
  EXPECT_EQ(pushed.size(), 2u);  // nothing new

  const json::object unsubscribe{
      {"jsonrpc", "2.0"}, {"id", 2}, {"method", "eth_unsubscribe"}, {"params", json::array{heads}}};
  EXPECT_EQ(raw(json::serialize(unsubscribe), ws).at("result"), true);
  EXPECT_EQ(raw(json::serialize(unsubscribe), ws).at("result"), false);
  dispatcher_->connection_closed(1);
  chain_.commit_block({chain_.sign(chain_.fields(counter_, add_call(2)))});
  dispatcher_->publish_new_blocks();
  EXPECT_EQ(pushed.size(), 2u);
}

TEST_F(RpcDispatcherTest, ProofsVerifyAgainstTheStateRoot) {
  const json::value proof = result(
      "eth_getProof", {counter_.hex(), json::array{u256(0).to_be().hex(), Hash256{}.hex()}, "0x2"});
  EXPECT_EQ(proof.at("nonce"), "0x1");
  EXPECT_EQ(proof.at("balance"), "0x0");
  std::vector<Bytes> nodes;
  for (const json::value& node : proof.at("accountProof").as_array())
    nodes.push_back(from_hex(std::string_view(node.as_string())).value());
  const auto account =
      SecureTrie::verify_proof(chain_.suite(), block2_.state_root, counter_.view(), nodes);
  ASSERT_TRUE(account && *account) << (account ? "absent" : account.error().message);
  const Account decoded = Account::decode(**account).value();
  EXPECT_EQ(proof.at("storageHash"), decoded.storage_root.hex());
  EXPECT_EQ(proof.at("codeHash"), decoded.code_hash.hex());
  const json::value& slot = proof.at("storageProof").at(0);
  EXPECT_EQ(slot.at("value"), "0x5");
  std::vector<Bytes> slot_nodes;
  for (const json::value& node : slot.at("proof").as_array())
    slot_nodes.push_back(from_hex(std::string_view(node.as_string())).value());
  EXPECT_TRUE(SecureTrie::verify_proof(chain_.suite(), decoded.storage_root, u256(0).to_be().view(),
                                       slot_nodes)
                  .value());
  EXPECT_EQ(error("eth_getProof", {counter_.hex(), json::array{"0x1"}}).at("code"), -32602);
}

TEST_F(RpcDispatcherTest, FeeHistoryHasTheShapeClientsExpect) {
  const json::value history = result("eth_feeHistory", {"0x2", "latest", json::array{25, 75}});
  EXPECT_EQ(history.at("oldestBlock"), "0x2");
  EXPECT_EQ(history.at("baseFeePerGas"), (json::array{"0x0", "0x0", "0x0"}));
  ASSERT_EQ(history.at("gasUsedRatio").as_array().size(), 2u);
  EXPECT_DOUBLE_EQ(history.at("gasUsedRatio").at(1).as_double(),
                   static_cast<double>(block3_.gas_used) / 30'000'000.0);
  EXPECT_EQ(history.at("reward"),
            (json::array{json::array{"0x0", "0x0"}, json::array{"0x0", "0x0"}}));
  EXPECT_EQ(result("eth_feeHistory", {100, "0x1"}).at("oldestBlock"), "0x0");
  EXPECT_EQ(error("eth_feeHistory", {"0x1", "latest", json::array{50, 10}}).at("code"), -32602);
}

TEST_F(RpcDispatcherTest, TallyMethodsDescribeConsensusAndFinality) {
  EXPECT_EQ(result("tally_consensusStatus"), json::parse(R"({"blockNumber":"0x4","round":"0x1",
              "proposer":"0x00000000000000000000000000000000000000aa","isValidator":true})"));
  EXPECT_EQ(result("tally_validators"),
            (json::array{"0x00000000000000000000000000000000000000aa"}));
  const json::value peers = result("tally_peers");
  ASSERT_EQ(peers.as_array().size(), 2u);
  EXPECT_EQ(peers.at(0).at("nodeId"), "node-b");
  EXPECT_EQ(peers.at(1).at("connected"), false);

  const json::value proof = result("tally_finalityProof", {"0x2"});
  EXPECT_EQ(proof.at("hash"), digest(block2_));
  EXPECT_EQ(proof.at("round"), "0x0");
  EXPECT_EQ(proof.at("commitSeals"), json::array());
  EXPECT_EQ(proof.at("validators"), (json::array{"0x00000000000000000000000000000000000000aa"}));
  const BlockHeader header =
      BlockHeader::decode(from_hex(std::string_view(proof.at("header").as_string())).value())
          .value();
  EXPECT_EQ(header, block2_);
  EXPECT_EQ(result("tally_finalityProof", {"0x9"}), nullptr);
}

}  // namespace
}  // namespace tally::chain
