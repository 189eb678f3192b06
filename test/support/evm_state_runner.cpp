#include "support/evm_state_runner.hpp"

#include <boost/json.hpp>

#include <tally/chain/state_transition.hpp>
#include <tally/chain/trie.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>

#include "support/testdata.hpp"

namespace tally::test {
namespace {

namespace json = boost::json;
using chain::MemoryCodeStore;
using chain::MemoryNodeStore;
using chain::WorldState;

// A function, not a global: the benchmarks call this file during static initialisation.
CryptoSuite suite() {
  return CryptoSuite(SuiteId::standard);
}

Result<std::string_view> text(const json::object& object, std::string_view key) {
  const json::value* found = object.if_contains(key);
  if (found == nullptr || !found->is_string())
    return fail(Errc::malformed, str_cat("state test: field ", key, " missing"));
  return std::string_view(found->as_string());
}

Result<u256> word(std::string_view hex) {
  return u256::from_hex(hex);
}

Result<std::uint64_t> number(std::string_view hex) {
  TALLY_TRY(const u256 value, word(hex));
  return value.to_u64();
}

Result<std::uint64_t> number_field(const json::object& object, std::string_view key) {
  TALLY_TRY(const std::string_view hex, text(object, key));
  return number(hex);
}

Result<u256> word_field(const json::object& object, std::string_view key) {
  TALLY_TRY(const std::string_view hex, text(object, key));
  return word(hex);
}

Result<Bytes> bytes_of(const json::value& value) {
  if (!value.is_string())
    return fail(Errc::malformed, "state test: expected a hex string");
  // The filler's ":raw 0x..." prefixes never reach filled tests, but a bare "0x" does.
  return from_hex(std::string_view(value.as_string()));
}

Result<const json::value*> element(const json::object& object,
                                   std::string_view key,
                                   std::size_t index) {
  const json::value* found = object.if_contains(key);
  if (found == nullptr || !found->is_array() || index >= found->as_array().size())
    return fail(Errc::malformed, str_cat("state test: ", key, "[", index, "] missing"));
  return &found->as_array()[index];
}

Result<chain::AccessList> access_list(const json::value& value) {
  chain::AccessList out;
  if (value.is_null())
    return out;
  for (const json::value& item : value.as_array()) {
    const json::object& entry = item.as_object();
    chain::AccessListEntry parsed;
    TALLY_TRY(const std::string_view address, text(entry, "address"));
    TALLY_TRY(parsed.address, Address::from_hex(address));
    for (const json::value& key : entry.at("storageKeys").as_array()) {
      TALLY_TRY(const u256 slot, word(key.as_string()));
      parsed.storage_keys.push_back(slot.to_be());
    }
    out.push_back(std::move(parsed));
  }
  return out;
}

std::string entry_id(const std::string& folder,
                     const std::filesystem::path& file,
                     const std::string& test,
                     const json::object& indexes) {
  return str_cat(folder, "/", file.filename().string(), ":", test, ":d",
                 indexes.at("data").as_int64(), "g", indexes.at("gas").as_int64(), "v",
                 indexes.at("value").as_int64());
}

// Runs one post entry; an empty string is a pass, anything else says what differed.
std::string run_entry(const json::object& test,
                      const json::object& entry,
                      const MemoryNodeStore& nodes,
                      const MemoryCodeStore& code,
                      const Hash256& pre_root) {
  const json::object& indexes = entry.at("indexes").as_object();
  const auto env = parse_block_env(test.at("env").as_object());
  if (!env)
    return str_cat("env: ", env.error().message);
  const auto tx = parse_indexed_tx(test.at("transaction").as_object(),
                                   static_cast<std::size_t>(indexes.at("data").as_int64()),
                                   static_cast<std::size_t>(indexes.at("gas").as_int64()),
                                   static_cast<std::size_t>(indexes.at("value").as_int64()));
  const bool expect_refusal = entry.contains("expectException");

  WorldState state(suite(), nodes, code, pre_root);
  chain::CodeCache cache;
  Result<chain::TxOutcome> outcome =
      tx ? chain::apply_tx(state, cache, *env, tx->fields, tx->sender)
         : Result<chain::TxOutcome>(std::unexpected(tx.error()));
  if (expect_refusal && outcome)
    return str_cat("the tx should be refused (", entry.at("expectException").as_string().c_str(),
                   ") but ran: ", chain::evm_status_name(outcome->status));
  if (!expect_refusal && !outcome)
    return str_cat("the tx was refused: ", outcome.error().message);

  chain::NodeBatch batch;
  chain::CodeBatch new_code;
  const auto root = state.commit(batch, new_code);
  if (!root)
    return str_cat("commit: ", root.error().message);
  const std::string expected_root(entry.at("hash").as_string());
  std::string problems;
  if (root->hex() != expected_root)
    problems += str_cat("state root ", root->hex(), ", expected ", expected_root, ". ");
  const Hash256 logs = logs_hash(outcome ? outcome->logs : std::vector<chain::Log>{});
  const std::string expected_logs(entry.at("logs").as_string());
  if (logs.hex() != expected_logs)
    problems += str_cat("logs hash ", logs.hex(), ", expected ", expected_logs, ". ");
  if (!problems.empty() && outcome)
    problems += str_cat("(status ", chain::evm_status_name(outcome->status), ", gas used ",
                        outcome->gas_used, ")");
  return problems;
}

bool needs_blobs(const json::object& tx) {
  return tx.contains("blobVersionedHashes") || tx.contains("maxFeePerBlobGas");
}

}  // namespace

Result<chain::BlockEnv> parse_block_env(const json::object& env) {
  chain::BlockEnv out;
  TALLY_TRY(const std::string_view coinbase, text(env, "currentCoinbase"));
  TALLY_TRY(out.coinbase, Address::from_hex(coinbase));
  TALLY_TRY(out.number, number_field(env, "currentNumber"));
  TALLY_TRY(out.timestamp, number_field(env, "currentTimestamp"));
  TALLY_TRY(out.gas_limit, number_field(env, "currentGasLimit"));
  if (env.contains("currentBaseFee")) {
    TALLY_TRY(out.base_fee, word_field(env, "currentBaseFee"));
  }
  if (env.contains("currentRandom")) {
    TALLY_TRY(const u256 random, word_field(env, "currentRandom"));
    out.prev_randao = random.to_be();
  }
  if (env.contains("currentDifficulty")) {
    TALLY_TRY(out.difficulty, word_field(env, "currentDifficulty"));
  }
  if (env.contains("currentExcessBlobGas")) {
    TALLY_TRY(out.excess_blob_gas, number_field(env, "currentExcessBlobGas"));
  }
  // The test suites' convention: the hash of block n is keccak256 of n in decimal.
  out.block_hash = [](std::uint64_t block_number) {
    return keccak256(as_bytes(u256(block_number).decimal()));
  };
  return out;
}

Result<IndexedTx> parse_indexed_tx(const json::object& tx,
                                   std::size_t data,
                                   std::size_t gas,
                                   std::size_t value) {
  IndexedTx out;
  chain::TxFields& fields = out.fields;
  fields.chain_id = 1;
  TALLY_TRY(fields.nonce, number_field(tx, "nonce"));
  if (tx.contains("maxFeePerGas")) {
    fields.type = chain::TxType::dynamic_fee;
    TALLY_TRY(fields.max_fee_per_gas, word_field(tx, "maxFeePerGas"));
    TALLY_TRY(fields.max_priority_fee_per_gas, word_field(tx, "maxPriorityFeePerGas"));
  } else {
    fields.type = tx.contains("accessLists") ? chain::TxType::access_list : chain::TxType::legacy;
    TALLY_TRY(const u256 price, word_field(tx, "gasPrice"));
    fields.set_gas_price(price);
  }
  if (tx.contains("accessLists")) {
    TALLY_TRY(const json::value* list, element(tx, "accessLists", data));
    TALLY_TRY(fields.access_list, access_list(*list));
  }
  TALLY_TRY(const json::value* gas_limit, element(tx, "gasLimit", gas));
  TALLY_TRY(fields.gas_limit, number(gas_limit->as_string()));
  TALLY_TRY(const json::value* amount, element(tx, "value", value));
  TALLY_TRY(fields.value, word(amount->as_string()));
  TALLY_TRY(const json::value* input, element(tx, "data", data));
  TALLY_TRY(fields.data, bytes_of(*input));
  TALLY_TRY(const std::string_view to, text(tx, "to"));
  if (!to.empty()) {
    TALLY_TRY(fields.to, Address::from_hex(to));
  }
  TALLY_TRY(const std::string_view secret, text(tx, "secretKey"));
  TALLY_TRY(const Bytes key, from_hex(secret));
  TALLY_TRY(const KeyPair pair, suite().key_pair_from_private_key(key));
  out.sender = suite().address(pair.public_key());
  return out;
}

Result<Hash256> build_state(const json::object& accounts,
                            MemoryNodeStore& nodes,
                            MemoryCodeStore& code) {
  WorldState state(suite(), nodes, code, chain::empty_trie_root(suite()));
  for (const auto& [key, value] : accounts) {
    const json::object& account = value.as_object();
    TALLY_TRY(const Address address, Address::from_hex(key));
    TALLY_TRY(const u256 balance, word_field(account, "balance"));
    TALLY_TRY(const std::uint64_t nonce, number_field(account, "nonce"));
    TALLY_TRY(Bytes bytes, bytes_of(account.at("code")));
    TALLY_TRY_VOID(state.add_balance(address, balance));
    TALLY_TRY_VOID(state.set_nonce(address, nonce));
    TALLY_TRY_VOID(state.set_code(address, std::move(bytes)));
    for (const auto& [slot_hex, slot_value] : account.at("storage").as_object()) {
      TALLY_TRY(const u256 slot, word(slot_hex));
      TALLY_TRY(const u256 stored, word(slot_value.as_string()));
      if (!stored.is_zero()) {
        TALLY_TRY_VOID(state.set_storage(address, slot, stored));
      }
    }
  }
  chain::NodeBatch batch;
  chain::CodeBatch new_code;
  TALLY_TRY(const Hash256 root, state.commit(batch, new_code));
  nodes.write(batch);
  for (auto& [hash, bytes] : new_code)
    code.put(hash, std::move(bytes));
  return root;
}

Hash256 logs_hash(const std::vector<chain::Log>& logs) {
  RlpWriter writer;
  writer.begin_list();
  for (const chain::Log& log : logs) {
    writer.begin_list();
    writer.add_string(log.address.view());
    writer.begin_list();
    for (const Hash256& topic : log.topics)
      writer.add_string(topic.view());
    writer.end_list();
    writer.add_string(log.data);
    writer.end_list();
  }
  writer.end_list();
  return keccak256(writer.finish());
}

std::vector<StateEntryResult> run_state_test_file(const std::filesystem::path& file,
                                                  const std::string& folder) {
  std::vector<StateEntryResult> results;
  const json::value document = read_json(file);
  for (const auto& [name, test_value] : document.as_object()) {
    const json::object& test = test_value.as_object();
    const json::object& post_forks = test.at("post").as_object();
    const json::value* post = post_forks.if_contains("Cancun");
    if (post == nullptr)
      continue;
    MemoryNodeStore nodes;
    MemoryCodeStore code;
    const auto pre_root = build_state(test.at("pre").as_object(), nodes, code);
    const bool blobs = needs_blobs(test.at("transaction").as_object());
    for (const json::value& entry_value : post->as_array()) {
      const json::object& entry = entry_value.as_object();
      StateEntryResult result;
      result.id = entry_id(folder, file, std::string(name), entry.at("indexes").as_object());
      if (blobs) {
        result.skipped = true;
        result.detail = "needs a blob transaction (type 3): the chain has none";
      } else if (!pre_root) {
        result.detail = str_cat("pre state: ", pre_root.error().message);
      } else {
        result.detail = run_entry(test, entry, nodes, code, *pre_root);
        result.passed = result.detail.empty();
      }
      results.push_back(std::move(result));
    }
  }
  return results;
}

}  // namespace tally::test
