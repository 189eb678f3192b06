#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/rlp_encode.hpp>

namespace tally::chain {
namespace {

const CryptoSuite kStandard(SuiteId::standard);
const CryptoSuite kGuomi(SuiteId::guomi);

// What reference/mpt_reference.py's ordered_values(n) builds: value i is 1 + i % 40 bytes of
// i % 251, so both embedded and hashed leaves appear.
std::vector<Bytes> values(std::size_t count) {
  std::vector<Bytes> out;
  for (std::size_t i = 0; i < count; ++i)
    out.emplace_back(1 + i % 40, static_cast<Byte>(i % 251));
  return out;
}

TEST(OrderedTrie, EmptyListHasTheEmptyRoot) {
  EXPECT_EQ(ordered_trie_root({}, kStandard).hex(),
            "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
  EXPECT_EQ(ordered_trie_root({}, kGuomi), empty_trie_root(kGuomi));
}

// Expected roots from reference/mpt_reference.py, which builds tries another way. 128 and 129
// cross the index where rlp(i) grows from one byte to two (0x7f, then 0x8180).
TEST(OrderedTrie, MatchesTheReferenceInBothSuites) {
  struct Case {
    std::size_t count;
    const char* standard;
    const char* guomi;
  };
  const Case cases[] = {
      {1, "0x7da536f7df63a0dfb481590e53be0e3063d9b798925cc3d479a3eb3155d0b394",
       "0xb5d3c8d1892c641496b280e06e21a2dc0bdb2ed23beaf0fdfe86f7c7d65bebe0"},
      {3, "0xc144af7216ec5666b4cca99ed2d1cd454983d1c13c8e3ac8d7b638a6bc1c0206",
       "0x78340febcfbc3c84c18a1a86b77cc0b04d9cdcebac3bebccd53be258ccf71220"},
      {128, "0x2695ae12f944ae911270fc0457218c115d5eda80c662f5a1de95ca0737c37da5",
       "0x1272e4287d4d7b0777ee3cc1272c53678304581e6db87c7384a6703cd4d65e34"},
      {129, "0x348c5a76e430d703e4d02e80941e91081af2211e693d506e08efa096c2566ac4",
       "0x8be9955244feb06ee20680b5596c56725c18e7779d8b9589318358fe6b1bf793"},
      {300, "0xea3afa0c4c99035166582cd5e743b616316d87d460400a52d9154f32faaab35e",
       "0x4a63a031e9d53d0026559307ad8f2e22694395d5dc5f377985b595615e991a46"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.count);
    const std::vector<Bytes> list = values(c.count);
    EXPECT_EQ(ordered_trie_root(list, kStandard).hex(), c.standard);
    EXPECT_EQ(ordered_trie_root(list, kGuomi).hex(), c.guomi);
  }
}

TEST(OrderedTrie, IsATrieKeyedByRlpOfTheIndex) {
  const std::vector<Bytes> list = values(20);
  Trie trie(kStandard);
  for (std::size_t i = list.size(); i-- > 0;)
    ASSERT_TRUE(trie.put(rlp_encode_uint(i), list[i]).has_value());
  EXPECT_EQ(ordered_trie_root(list, kStandard), trie.root_hash());
}

TEST(OrderedTrie, DependsOnTheOrderOfValues) {
  std::vector<Bytes> list = values(5);
  const Hash256 before = ordered_trie_root(list, kStandard);
  std::swap(list[1], list[2]);
  EXPECT_NE(ordered_trie_root(list, kStandard), before);
}

}  // namespace
}  // namespace tally::chain
