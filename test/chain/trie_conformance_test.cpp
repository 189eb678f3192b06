// Ethereum's TrieTests (shared/testdata/eth/TrieTests), every file:
//   trietest.json, trietest_secureTrie.json: "in" is a list of [key, value] pairs applied in
//     order; a null value deletes the key;
//   trieanyorder.json, trieanyorder_secureTrie.json: "in" is an object; the root must not depend
//     on the order, so each case is also applied in reverse and in sorted order;
//   hex_encoded_securetrie_test.json: an object whose keys and values are all hex ("hexEncoded");
//   trietestnextprev.json: keys, then [key, previous key, next key] queries of the ordered walk
//     ("" for none).
// Strings starting with "0x" are hex, others stand for their own bytes. The *_secureTrie files and
// the hex-encoded one hash keys (SecureTrie). Beyond the root, every case checks that each final
// key reads back, that a commit reopened from a store gives the same root and values, and that
// every key's proof verifies.

#include <algorithm>
#include <cstddef>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <tally/chain/node_store.hpp>
#include <tally/chain/secure_trie.hpp>
#include <tally/chain/trie.hpp>
#include <tally/chain/trie_proof.hpp>
#include <tally/core/crypto_suite.hpp>

#include "support/testdata.hpp"

namespace tally::chain {
namespace {

namespace json = boost::json;

const CryptoSuite kStandard(SuiteId::standard);

std::filesystem::path trie_tests_dir() {
  return test::testdata_dir() / "eth" / "TrieTests";
}

Bytes decode_string(const json::string& text, bool hex_encoded) {
  const std::string_view view(text.data(), text.size());
  if (hex_encoded || view.starts_with("0x"))
    return from_hex(view).value();
  return to_bytes(view);
}

// Byte order of keys. std::less<Bytes> would do, but g++ 12 at -O3 warns (falsely) that its
// memcmp may read past the object.
struct KeyLess {
  bool operator()(const Bytes& a, const Bytes& b) const {
    const std::string_view left(reinterpret_cast<const char*>(a.data()), a.size());
    const std::string_view right(reinterpret_cast<const char*>(b.data()), b.size());
    return left < right;
  }
};

// One operation of a case: put, or erase when the value is absent.
struct Op {
  Bytes key;
  std::optional<Bytes> value;
};

Op read_op(const json::string& key, const json::value& value, bool hex_encoded) {
  Op op{decode_string(key, hex_encoded), std::nullopt};
  if (!value.is_null())
    op.value = decode_string(value.as_string(), hex_encoded);
  return op;
}

std::vector<Op> read_ops(const json::value& in, bool hex_encoded) {
  std::vector<Op> ops;
  if (in.is_array()) {
    for (const json::value& pair : in.as_array())
      ops.push_back(read_op(pair.as_array().at(0).as_string(), pair.as_array().at(1), hex_encoded));
  } else {
    for (const auto& [key, value] : in.as_object())
      ops.push_back(read_op(json::string(key), value, hex_encoded));
  }
  return ops;
}

// Failures recorded so far in the running test, to tell whether one case passed.
int failures_so_far() {
  const ::testing::TestResult* result =
      ::testing::UnitTest::GetInstance()->current_test_info()->result();
  int failures = 0;
  for (int i = 0; i < result->total_part_count(); ++i)
    failures += result->GetTestPartResult(i).failed() ? 1 : 0;
  return failures;
}

// A Trie, or a SecureTrie when `secure`, with the same calls.
class AnyTrie {
 public:
  AnyTrie(bool secure, const NodeStore& store, const Hash256& root)
      : secure_(secure), plain_(kStandard, store, root), hashed_(kStandard, store, root) {}

  Result<void> put(BytesView key, BytesView value) {
    return secure_ ? hashed_.put(key, value) : plain_.put(key, value);
  }
  Result<std::optional<Bytes>> get(BytesView key) const {
    return secure_ ? hashed_.get(key) : plain_.get(key);
  }
  Hash256 root_hash() { return secure_ ? hashed_.root_hash() : plain_.root_hash(); }
  Hash256 commit(NodeBatch& out) { return secure_ ? hashed_.commit(out) : plain_.commit(out); }
  Result<std::vector<Bytes>> prove(BytesView key) {
    return secure_ ? hashed_.prove(key) : plain_.prove(key);
  }
  Result<std::optional<Bytes>> verify(const Hash256& root,
                                      BytesView key,
                                      const std::vector<Bytes>& proof) const {
    return secure_ ? SecureTrie::verify_proof(kStandard, root, key, proof)
                   : verify_trie_proof(kStandard, root, key, proof);
  }

 private:
  bool secure_;
  Trie plain_;
  SecureTrie hashed_;
};

// Applies `ops`, checks the root and then everything the file header lists. Returns whether the
// case passed, so the caller can count.
bool run_case(const std::vector<Op>& ops, bool secure, const Hash256& expected_root) {
  const int failures_before = failures_so_far();
  MemoryNodeStore store;
  AnyTrie trie(secure, store, empty_trie_root(kStandard));
  std::map<Bytes, Bytes, KeyLess> model;
  for (const Op& op : ops) {
    const BytesView value = op.value ? BytesView(*op.value) : BytesView();
    EXPECT_TRUE(trie.put(op.key, value).has_value());
    if (!value.empty())
      model[op.key] = *op.value;
    else
      model.erase(op.key);
  }
  EXPECT_EQ(trie.root_hash().hex(), expected_root.hex());
  for (const auto& [key, value] : model)
    EXPECT_EQ(trie.get(key).value(), value) << to_hex(key);

  NodeBatch batch;
  const Hash256 committed = trie.commit(batch);
  EXPECT_EQ(committed, expected_root);
  store.write(batch);
  AnyTrie reopened(secure, store, committed);
  for (const auto& [key, value] : model) {
    EXPECT_EQ(reopened.get(key).value(), value) << "reopened, " << to_hex(key);
    const auto proof = reopened.prove(key);
    EXPECT_TRUE(proof.has_value());
    if (!proof)
      return false;
    EXPECT_EQ(reopened.verify(committed, key, *proof).value(), value) << "proof of " << to_hex(key);
  }
  return failures_so_far() == failures_before;
}

struct Tally {
  std::size_t passed = 0;
  std::size_t total = 0;
};

void report(const std::string& file, const Tally& tally, const std::string& note = "") {
  std::cout << "TrieTests conformance: " << file << " " << tally.passed << "/" << tally.total
            << note << "\n";
  EXPECT_EQ(tally.passed, tally.total) << file;
  EXPECT_GT(tally.total, 0u) << file << " has no cases";
}

// Runs every case of a root-checking file. `any_order` also applies each case reversed and sorted.
void run_root_file(const std::string& file, bool secure, bool any_order) {
  const json::object cases = test::read_json(trie_tests_dir() / file).as_object();
  Tally tally;
  for (const auto& [name, body] : cases) {
    SCOPED_TRACE(file + " / " + std::string(name));
    const json::object& test = body.as_object();
    const bool hex_encoded = test.contains("hexEncoded") && test.at("hexEncoded").as_bool();
    std::vector<Op> ops = read_ops(test.at("in"), hex_encoded);
    const Hash256 root = Hash256::from_hex(test.at("root").as_string()).value();
    bool passed = run_case(ops, secure, root);
    if (any_order) {
      std::ranges::reverse(ops);
      passed = run_case(ops, secure, root) && passed;
      std::ranges::sort(ops, KeyLess{}, &Op::key);
      passed = run_case(ops, secure, root) && passed;
    }
    ++tally.total;
    tally.passed += passed ? 1u : 0u;
  }
  report(file, tally);
}

TEST(TrieTests, TrietestAppliesPairsInOrder) {
  run_root_file("trietest.json", false, false);
}

TEST(TrieTests, TrieanyorderRootIsIndependentOfOrder) {
  run_root_file("trieanyorder.json", false, true);
}

TEST(TrieTests, SecureTrietestAppliesPairsInOrder) {
  run_root_file("trietest_secureTrie.json", true, false);
}

TEST(TrieTests, SecureTrieanyorderRootIsIndependentOfOrder) {
  run_root_file("trieanyorder_secureTrie.json", true, true);
}

TEST(TrieTests, HexEncodedSecureTrie) {
  run_root_file("hex_encoded_securetrie_test.json", true, true);
}

TEST(TrieTests, NextPrevWalksKeysInOrder) {
  const std::string file = "trietestnextprev.json";
  const json::object cases = test::read_json(trie_tests_dir() / file).as_object();
  Tally tally;
  std::size_t queries = 0;
  for (const auto& [name, body] : cases) {
    SCOPED_TRACE(file + " / " + std::string(name));
    const int failures_before = failures_so_far();
    Trie trie(kStandard);
    for (const json::value& key : body.at("in").as_array()) {
      const Bytes bytes = decode_string(key.as_string(), false);
      ASSERT_TRUE(trie.put(bytes, bytes).has_value());
    }
    const std::size_t queries_before = queries;
    for (const json::value& query : body.at("tests").as_array()) {
      const json::array& row = query.as_array();
      const Bytes key = decode_string(row.at(0).as_string(), false);
      const Bytes prev = decode_string(row.at(1).as_string(), false);
      const Bytes next = decode_string(row.at(2).as_string(), false);
      SCOPED_TRACE("query " + std::string(row.at(0).as_string()));
      const auto found_prev = trie.prev_key(key);
      const auto found_next = trie.next_key(key);
      ASSERT_TRUE(found_prev.has_value() && found_next.has_value());
      EXPECT_EQ(found_prev->value_or(Bytes{}), prev);
      EXPECT_EQ(found_next->value_or(Bytes{}), next);
      ++queries;
    }
    EXPECT_GT(queries, queries_before);
    ++tally.total;
    tally.passed += failures_so_far() == failures_before ? 1u : 0u;
  }
  report(file, tally, " (" + std::to_string(queries) + " next/prev queries)");
}

// Every file in the folder is run by one of the tests above: a new file fails here until it is.
TEST(TrieTests, EveryFileIsCovered) {
  const std::vector<std::string> covered = {
      "hex_encoded_securetrie_test.json", "trieanyorder.json",
      "trieanyorder_secureTrie.json",     "trietest.json",
      "trietest_secureTrie.json",         "trietestnextprev.json"};
  std::vector<std::string> present;
  for (const auto& entry : std::filesystem::directory_iterator(trie_tests_dir()))
    present.push_back(entry.path().filename().string());
  std::ranges::sort(present);
  EXPECT_EQ(present, covered);
}

}  // namespace
}  // namespace tally::chain
