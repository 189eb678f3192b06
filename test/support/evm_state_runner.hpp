#pragma once
// Ethereum's GeneralStateTests (shared/testdata/evm/state, and the benchmarks, which use the same
// format) run through tally::chain::apply_tx. For each test and each post.Cancun entry: the `pre`
// accounts in a fresh in-memory state, the indexed transaction (data, gas, value) signed by
// transaction.secretKey, then the post state root (`hash`), the logs hash (`logs`, keccak of the
// RLP list of logs) and, with expectException, that the tx is refused and nothing changes.
// Entries that need blob transactions (type 3) are skipped with that reason: the chain has none.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include <tally/chain/code_store.hpp>
#include <tally/chain/evm_env.hpp>
#include <tally/chain/node_store.hpp>
#include <tally/chain/receipt.hpp>
#include <tally/chain/transaction.hpp>
#include <tally/core/error.hpp>

namespace tally::test {

struct StateEntryResult {
  std::string id;  // "<folder>/<file>:<test>:d<data>g<gas>v<value>"
  bool passed = false;
  bool skipped = false;
  std::string detail;  // why it failed or was skipped
};

// Every post.Cancun entry of every test in `file`; `folder` prefixes the ids.
std::vector<StateEntryResult> run_state_test_file(const std::filesystem::path& file,
                                                  const std::string& folder);

// The pieces, for the benchmark: the environment, one indexed tx and its sender.
Result<chain::BlockEnv> parse_block_env(const boost::json::object& env);
struct IndexedTx {
  chain::TxFields fields;
  Address sender;
};
Result<IndexedTx> parse_indexed_tx(const boost::json::object& tx,
                                   std::size_t data,
                                   std::size_t gas,
                                   std::size_t value);

// Writes the accounts of a `pre` (or legacy `post`) object into a fresh state in the stores and
// returns its root.
Result<Hash256> build_state(const boost::json::object& accounts,
                            chain::MemoryNodeStore& nodes,
                            chain::MemoryCodeStore& code);

// keccak256(rlp([log, ...])), the `logs` field of a state test.
Hash256 logs_hash(const std::vector<chain::Log>& logs);

}  // namespace tally::test
