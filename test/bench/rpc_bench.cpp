// The JSON-RPC dispatcher without sockets on a small real chain (test/chain/rpc_fixture.hpp): the
// protocol's own cost (eth_blockNumber), a block with its txs, a receipt, eth_getLogs, eth_call
// and eth_estimateGas on the Counter contract. Per request, a ledger handle comes from the pool
// and refreshes its head, so every figure includes one SQLite head read.
#include <benchmark/benchmark.h>

#include <tally/chain/eth_json.hpp>
#include <tally/chain/rpc_dispatcher.hpp>

#include "chain/rpc_fixture.hpp"

namespace tally::chain {
namespace {

namespace json = boost::json;

struct RpcBenchChain {
  RpcBenchChain() : chain(dir / "ledger.db") {
    counter = create_address(chain.sender(), 0);
    chain.commit_block(
        {chain.sign(chain.fields(std::nullopt, test_rpc::contract_code("Counter")))});
    std::vector<Transaction> adds;
    for (int i = 0; i < 20; ++i)
      adds.push_back(chain.sign(chain.fields(counter, test_rpc::add_call(1))));
    last_tx = adds.back().hash();
    chain.commit_block(adds);
    dispatcher =
        RpcDispatcher::open({dir / "ledger.db", SuiteId::standard, {}}, node, clock).value();
  }

  std::string body(std::string_view method, json::array params) const {
    return json::serialize(json::object{
        {"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}});
  }

  test::TempDir dir;
  test_rpc::ChainBuilder chain;
  test_rpc::FakeRpcNode node;
  ManualClock clock;
  std::unique_ptr<RpcDispatcher> dispatcher;
  Address counter;
  Hash256 last_tx;
};

RpcBenchChain& bench_chain() {
  static RpcBenchChain chain;
  return chain;
}

void run(benchmark::State& state, const std::string& body) {
  RpcBenchChain& chain = bench_chain();
  for (auto _ : state) {
    auto response = chain.dispatcher->handle(body);
    if (!response || response->find("\"error\"") != std::string::npos) {
      state.SkipWithError("request failed");
      break;
    }
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RpcBlockNumber(benchmark::State& state) {
  run(state, bench_chain().body("eth_blockNumber", {}));
}
BENCHMARK(BM_RpcBlockNumber);

void BM_RpcBlockWithTxs(benchmark::State& state) {  // 20 txs, senders recovered
  run(state, bench_chain().body("eth_getBlockByNumber", {"0x2", true}));
}
BENCHMARK(BM_RpcBlockWithTxs);

void BM_RpcReceipt(benchmark::State& state) {  // the last of 20: reads the receipts before it
  run(state, bench_chain().body("eth_getTransactionReceipt", {bench_chain().last_tx.hex()}));
}
BENCHMARK(BM_RpcReceipt);

void BM_RpcGetLogs(benchmark::State& state) {  // 20 logs
  run(state, bench_chain().body("eth_getLogs", {json::object{{"fromBlock", "earliest"}}}));
}
BENCHMARK(BM_RpcGetLogs);

void BM_RpcCall(benchmark::State& state) {
  const json::object call{{"to", bench_chain().counter.hex()},
                          {"data", eth_data(test_rpc::selector("count()"))}};
  run(state, bench_chain().body("eth_call", {call, "latest"}));
}
BENCHMARK(BM_RpcCall);

void BM_RpcEstimateGas(benchmark::State& state) {
  const json::object call{{"from", bench_chain().chain.sender().hex()},
                          {"to", bench_chain().counter.hex()},
                          {"data", eth_data(test_rpc::add_call(1))}};
  run(state, bench_chain().body("eth_estimateGas", {call}));
}
BENCHMARK(BM_RpcEstimateGas);

}  // namespace
}  // namespace tally::chain
