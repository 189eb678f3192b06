// Ethereum's legacy VMTests (shared/testdata/evm/legacy-vmtests): one frame of code run with the
// Frontier/Homestead rules they were filled with (Revision::homestead), checking the gas left, the
// output, the logs hash and the post state (by its root, so a missing or extra account counts).
// A test without `post` expects an exceptional halt. By the old runner's convention CALL and CREATE
// are recorded, not run; the expected records (`callcreates`) are compared too.

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <tally/chain/interpreter.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/str_cat.hpp>

#include "support/evm_state_runner.hpp"
#include "support/testdata.hpp"

namespace tally::test {
namespace {

namespace json = boost::json;
using namespace tally::chain;

const CryptoSuite kSuite(SuiteId::standard);

u256 word(const json::value& value) {
  return u256::from_hex(value.as_string()).value();
}

Address address(const json::value& value) {
  return Address::from_hex(value.as_string()).value();
}

Bytes bytes(const json::value& value) {
  return from_hex(std::string_view(value.as_string())).value();
}

// An empty string is a pass; otherwise what differed.
std::string run_vm_test(const json::object& test) {
  MemoryNodeStore nodes;
  MemoryCodeStore code;
  const Hash256 pre_root = build_state(test.at("pre").as_object(), nodes, code).value();
  BlockEnv block = parse_block_env(test.at("env").as_object()).value();
  const json::object& exec = test.at("exec").as_object();
  const TxEnv tx{address(exec.at("origin")), word(exec.at("gasPrice"))};

  WorldState state(kSuite, nodes, code, pre_root);
  CodeCache cache;
  Evm evm(state, cache, block, tx, Revision::homestead);
  std::vector<RecordedCall> recorded;
  evm.record_calls(&recorded);
  const Bytes input = bytes(exec.at("data"));
  Message message;
  message.gas = static_cast<std::int64_t>(word(exec.at("gas")).low_u64());
  message.recipient = address(exec.at("address"));
  message.code_address = message.recipient;
  message.sender = address(exec.at("caller"));
  message.value = word(exec.at("value"));
  message.input = input;
  const CodeAnalysis analysis(bytes(exec.at("code")));
  const ExecResult result = interpret(evm, message, analysis);
  evm.finalize();
  if (evm.store_error())
    return str_cat("store: ", evm.store_error()->message);

  if (!test.contains("post")) {
    return result.status == EvmStatus::success
               ? std::string("expected an exceptional halt, it succeeded")
               : std::string();
  }
  if (result.status != EvmStatus::success)
    return str_cat("halted: ", evm_status_name(result.status));
  std::string problems;
  const std::int64_t expected_gas = static_cast<std::int64_t>(word(test.at("gas")).low_u64());
  if (result.gas_left != expected_gas)
    problems += str_cat("gas left ", result.gas_left, ", expected ", expected_gas, ". ");
  if (to_hex(result.output) != test.at("out").as_string())
    problems += str_cat("output ", to_hex(result.output), ". ");
  if (logs_hash(evm.logs()).hex() != test.at("logs").as_string())
    problems += "logs hash differs. ";
  if (recorded.size() != test.at("callcreates").as_array().size())
    problems += str_cat(recorded.size(), " calls recorded. ");

  NodeBatch batch;
  CodeBatch new_code;
  const Hash256 root = state.commit(batch, new_code).value();
  MemoryNodeStore post_nodes;
  MemoryCodeStore post_code;
  const Hash256 expected_root =
      build_state(test.at("post").as_object(), post_nodes, post_code).value();
  if (root != expected_root)
    problems += "post state differs. ";
  return problems;
}

TEST(EvmLegacyVmTest, EveryTestMatchesGasOutputLogsAndPostState) {
  const auto root = testdata_dir() / "evm" / "legacy-vmtests";
  std::vector<std::filesystem::path> folders;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (entry.is_directory())
      folders.push_back(entry.path());
  }
  std::ranges::sort(folders);
  std::size_t total_passed = 0, total = 0;
  for (const auto& folder : folders) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      files.push_back(entry.path());
    std::ranges::sort(files);
    std::size_t passed = 0, count = 0;
    for (const auto& file : files) {
      const json::value document = read_json(file);
      for (const auto& [name, test] : document.as_object()) {
        ++count;
        const std::string problems = run_vm_test(test.as_object());
        EXPECT_EQ(problems, "") << folder.filename().string() << "/" << std::string(name);
        if (problems.empty())
          ++passed;
      }
    }
    std::cout << "legacy VM tests " << folder.filename().string() << ": " << passed << "/" << count
              << " passed\n";
    total_passed += passed;
    total += count;
  }
  std::cout << "legacy VM tests: " << total_passed << "/" << total << " passed\n";
  EXPECT_GT(total, 0u);
}

}  // namespace
}  // namespace tally::test
