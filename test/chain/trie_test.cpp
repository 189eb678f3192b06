// The trie's behaviour case by case. Conformance with Ethereum's vectors is in
// trie_conformance_test.cpp, random histories in trie_property_test.cpp.

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/node_store.hpp>
#include <tally/chain/secure_trie.hpp>
#include <tally/chain/trie.hpp>

namespace tally::chain {
namespace {

const CryptoSuite kStandard(SuiteId::standard);
const CryptoSuite kGuomi(SuiteId::guomi);

using Pairs = std::vector<std::pair<std::string, std::string>>;

template <typename AnyTrie>
Hash256 root_of(AnyTrie trie, const Pairs& pairs) {
  for (const auto& [key, value] : pairs)
    EXPECT_TRUE(trie.put(as_bytes(key), as_bytes(value)).has_value());
  return trie.root_hash();
}

Bytes text(std::string_view value) {
  return to_bytes(value);
}

TEST(Trie, EmptyRootIsTheHashOfTheEmptyString) {
  EXPECT_EQ(empty_trie_root(kStandard).hex(),
            "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
  // SM3(0x80), from Python's hashlib.
  EXPECT_EQ(empty_trie_root(kGuomi).hex(),
            "0x995b949869f80fa1465a9d8b6fa759ec65c3020d59c2624662bdff059bdf19b3");
  Trie trie(kGuomi);
  EXPECT_TRUE(trie.empty());
  EXPECT_EQ(trie.root_hash(), empty_trie_root(kGuomi));
}

// Guomi roots from reference/mpt_reference.py, a separate implementation that reproduces every
// standard root of TrieTests; the inputs are cases of trieanyorder.json.
TEST(Trie, GuomiRootsMatchTheReferenceAndDifferFromStandard) {
  struct Case {
    Pairs pairs;
    const char* plain;
    const char* secure;
  };
  const Case cases[] = {
      {{{"doe", "reindeer"}, {"dog", "puppy"}, {"dogglesworth", "cat"}},
       "0xac0c2b00e9f978a86713cc6dddea3972925f0d29243a2b51a3b597afaf1c7451",
       "0xfc7b49b3492fec20bfd915c412a0c68c6d9110ddbf7c6606750f771f63f5f336"},
      {{{"do", "verb"}, {"horse", "stallion"}, {"doge", "coin"}, {"dog", "puppy"}},
       "0xe44b8f303adcc7d704ded98a390dbc782519bb30388cf26e9a62eb14c1c63d38",
       "0xa522ad50586a7413544c6e50cd03e01c1f26a5c26babd57538ea1709fa198911"},
      {{{"foo", "bar"}, {"food", "bass"}},
       "0x94701dccf4c9927d5d4452581ae599b4c29d80bc4125ea25c3458168642f5b5d",
       "0x58015eef2e2b0b3d61e644cc77a7edf741507ae533b97a63a2c9c284d81aa58d"},
      {{{"be", "e"}, {"dog", "puppy"}, {"bed", "d"}},
       "0x267871b83c50432bd075f09449460ef334a1e7a871a1038e2eae1d420294375d",
       "0xbd566aa060a5c6edb99c114ee53cde7d7b6bba45f57124c2e9fb6cb92de375da"},
      {{{"test", "test"}, {"te", "testy"}},
       "0x370815cb0134d858e59aad1805573be1bab96f27726bcbe87316bd488bf31c30",
       "0x78c7297aaf5606032b5e5f4fa00fd7bf2efce128e5206661691e24f4e801a485"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.plain);
    const Hash256 guomi = root_of(Trie(kGuomi), c.pairs);
    EXPECT_EQ(guomi.hex(), c.plain);
    EXPECT_NE(guomi, root_of(Trie(kStandard), c.pairs));
    const Hash256 guomi_secure = root_of(SecureTrie(kGuomi), c.pairs);
    EXPECT_EQ(guomi_secure.hex(), c.secure);
    EXPECT_NE(guomi_secure, root_of(SecureTrie(kStandard), c.pairs));
  }
}

TEST(Trie, GetsWhatWasPutAndNothingElse) {
  Trie trie(kStandard);
  ASSERT_TRUE(trie.put(text("dog"), text("puppy")).has_value());
  ASSERT_TRUE(trie.put(text("do"), text("verb")).has_value());
  EXPECT_EQ(trie.get(text("dog")).value(), text("puppy"));
  EXPECT_EQ(trie.get(text("do")).value(), text("verb"));
  EXPECT_EQ(trie.get(text("d")).value(), std::nullopt);
  EXPECT_EQ(trie.get(text("doge")).value(), std::nullopt);
  EXPECT_EQ(trie.get({}).value(), std::nullopt);
}

TEST(Trie, EmptyKeyIsAKeyLikeAnyOther) {
  Trie trie(kStandard);
  ASSERT_TRUE(trie.put({}, text("root value")).has_value());
  ASSERT_TRUE(trie.put(text("a"), text("x")).has_value());
  EXPECT_EQ(trie.get({}).value(), text("root value"));
  ASSERT_TRUE(trie.erase({}).has_value());
  EXPECT_EQ(trie.get({}).value(), std::nullopt);
  EXPECT_EQ(trie.root_hash(), root_of(Trie(kStandard), {{"a", "x"}}));
}

TEST(Trie, PuttingAnEmptyValueErases) {
  Trie trie(kStandard);
  ASSERT_TRUE(trie.put(text("horse"), text("stallion")).has_value());
  ASSERT_TRUE(trie.put(text("dog"), text("puppy")).has_value());
  ASSERT_TRUE(trie.put(text("horse"), {}).has_value());
  EXPECT_EQ(trie.get(text("horse")).value(), std::nullopt);
  EXPECT_EQ(trie.root_hash(), root_of(Trie(kStandard), {{"dog", "puppy"}}));
  ASSERT_TRUE(trie.put(text("dog"), {}).has_value());
  EXPECT_TRUE(trie.empty());
  EXPECT_EQ(trie.root_hash(), empty_trie_root(kStandard));
}

TEST(Trie, CommitHandsOverOnlyWhatChanged) {
  MemoryNodeStore store;
  Trie trie(kStandard, store, empty_trie_root(kStandard));
  for (int i = 0; i < 200; ++i)
    ASSERT_TRUE(trie.put(as_bytes("key" + std::to_string(i)), as_bytes(std::string(40, 'v'))));
  NodeBatch first;
  const Hash256 root = trie.commit(first);
  EXPECT_EQ(root, trie.root_hash());
  EXPECT_GT(first.size(), 10u);
  store.write(first);

  NodeBatch again;
  EXPECT_EQ(trie.commit(again), root);
  EXPECT_TRUE(again.empty()) << "nothing changed";

  // Writing a value that is already there, or erasing a missing key, changes nothing either.
  ASSERT_TRUE(trie.put(text("key7"), as_bytes(std::string(40, 'v'))).has_value());
  ASSERT_TRUE(trie.erase(text("no such key")).has_value());
  EXPECT_EQ(trie.commit(again), root);
  EXPECT_TRUE(again.empty());

  ASSERT_TRUE(trie.put(text("key7"), text("changed")).has_value());
  NodeBatch changed;
  EXPECT_NE(trie.commit(changed), root);
  EXPECT_FALSE(changed.empty());
  EXPECT_LE(changed.size(), 4u) << "one path: a few branches and the leaf";
}

TEST(Trie, ShortRootIsStoredUnderItsHashToo) {
  MemoryNodeStore store;
  Trie trie(kStandard, store, empty_trie_root(kStandard));
  ASSERT_TRUE(trie.put(text("a"), text("b")).has_value());  // root encoding: 4 bytes
  NodeBatch batch;
  const Hash256 root = trie.commit(batch);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch.nodes()[0].hash, root);
  EXPECT_LT(batch.nodes()[0].encoded.size(), 32u);
  store.write(batch);
  const Trie reopened(kStandard, store, root);
  EXPECT_EQ(reopened.get(text("a")).value(), text("b"));
}

TEST(Trie, ReopensAtACommittedRootAndChangesFromThere) {
  MemoryNodeStore store;
  Trie trie(kStandard, store, empty_trie_root(kStandard));
  ASSERT_TRUE(trie.put(text("doe"), text("reindeer")).has_value());
  ASSERT_TRUE(trie.put(text("dog"), text("puppy")).has_value());
  NodeBatch batch;
  const Hash256 first = trie.commit(batch);
  store.write(batch);

  Trie reopened(kStandard, store, first);
  ASSERT_TRUE(reopened.put(text("dogglesworth"), text("cat")).has_value());
  EXPECT_EQ(reopened.root_hash().hex(),
            "0x8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3");
  // The old root is still readable: nothing is ever overwritten.
  const Trie old(kStandard, store, first);
  EXPECT_EQ(old.get(text("dogglesworth")).value(), std::nullopt);
  EXPECT_EQ(old.get(text("doe")).value(), text("reindeer"));
}

TEST(Trie, MissingNodeIsNotFound) {
  MemoryNodeStore store;
  const Hash256 absent = kStandard.hash(text("nothing stored here"));
  Trie trie(kStandard, store, absent);
  EXPECT_EQ(trie.get(text("a")).error().code, Errc::not_found);
  EXPECT_EQ(trie.put(text("a"), text("b")).error().code, Errc::not_found);
  EXPECT_EQ(trie.prove(text("a")).error().code, Errc::not_found);
  EXPECT_EQ(trie.next_key(text("a")).error().code, Errc::not_found);
  EXPECT_EQ(trie.root_hash(), absent) << "hashing needs no node";
}

// A store that returns whatever bytes it holds, checked by nobody.
class GarbageStore final : public NodeStore {
 public:
  Result<std::optional<Bytes>> get(const Hash256&) const override {
    return std::optional<Bytes>(from_hex("0xc3010203").value());  // a list of three items
  }
};

TEST(Trie, UndecodableStoredNodeIsMalformed) {
  const GarbageStore store;
  const Trie trie(kStandard, store, kStandard.hash(text("x")));
  const auto read = trie.get(text("a"));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, Errc::malformed);
  EXPECT_NE(read.error().message.find("trie node 0x"), std::string::npos) << read.error();
}

TEST(Trie, ForEachVisitsKeysInByteOrder) {
  Trie trie(kStandard);
  for (const char* key : {"b", "a", "ab", "", "ba", "aa"})
    ASSERT_TRUE(trie.put(as_bytes(key), as_bytes(std::string("v") + key)).has_value());
  std::vector<std::string> keys;
  ASSERT_TRUE(trie.for_each([&](BytesView key, BytesView value) {
    keys.emplace_back(key.begin(), key.end());
    EXPECT_EQ(std::string(value.begin(), value.end()), "v" + keys.back());
  }));
  EXPECT_EQ(keys, (std::vector<std::string>{"", "a", "aa", "ab", "b", "ba"}));
}

}  // namespace
}  // namespace tally::chain
