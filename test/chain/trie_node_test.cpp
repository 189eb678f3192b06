#include <string_view>

#include <gtest/gtest.h>

#include <tally/chain/node_store.hpp>
#include <tally/chain/trie.hpp>
#include <tally/chain/trie_node.hpp>
#include <tally/core/rlp.hpp>

#include "chain/trie_model.hpp"

namespace tally::chain {
namespace {

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}

Errc decode_error(const Bytes& encoded) {
  const auto node = decode_trie_node(encoded);
  EXPECT_FALSE(node.has_value()) << to_hex(encoded);
  return node ? Errc::internal : node.error().code;
}

Bytes rlp_list(std::vector<RlpItem> items) {
  return rlp_encode(RlpItem::list(std::move(items)));
}

RlpItem str(std::string_view hex_text) {
  return RlpItem::string(hex(hex_text));
}

TEST(TrieNode, EveryNodeOfRealTriesDecodesAndEncodesBack) {
  test::TrieInputs inputs(11);
  Trie trie(CryptoSuite(SuiteId::standard));
  for (int i = 0; i < 400; ++i)
    ASSERT_TRUE(trie.put(inputs.key(), inputs.value()).has_value());
  NodeBatch batch;
  trie.commit(batch);
  ASSERT_GT(batch.size(), 10u);
  for (const NodeWrite& node : batch.nodes()) {
    const auto decoded = decode_trie_node(node.encoded);
    ASSERT_TRUE(decoded.has_value()) << to_hex(node.encoded);
    EXPECT_FALSE((*decoded)->dirty);
    EXPECT_EQ(encode_trie_node(**decoded), node.encoded);
  }
}

TEST(TrieNode, DecodesEachKindOfNode) {
  // Leaf "dog" -> "puppy" under an odd path, as Ethereum encodes it.
  const Bytes leaf = rlp_list({str("0x20646f67"), RlpItem::text("puppy")});
  const auto decoded = decode_trie_node(leaf);
  ASSERT_TRUE(decoded.has_value());
  const auto& body = std::get<LeafNode>((*decoded)->body);
  EXPECT_EQ(body.path, to_nibbles(as_bytes("dog")));
  EXPECT_EQ(body.value, to_bytes("puppy"));

  // A branch with a hashed child, an embedded leaf and a value.
  std::vector<RlpItem> slots(17, RlpItem::string({}));
  slots[3] = RlpItem::string(Bytes(32, 0xab));
  slots[7] = RlpItem::list({str("0x3f"), RlpItem::text("x")});
  slots[16] = RlpItem::text("v");
  const auto branch = decode_trie_node(rlp_list(slots));
  ASSERT_TRUE(branch.has_value());
  const auto& children = std::get<BranchNode>((*branch)->body).children;
  EXPECT_TRUE(std::holds_alternative<HashNode>(children[3]->body));
  EXPECT_TRUE(std::holds_alternative<LeafNode>(children[7]->body));
  EXPECT_FALSE(children[7]->ref.is_hash());
  EXPECT_EQ(encode_trie_node(**branch), rlp_list(slots));
}

TEST(TrieNode, RefusesWhatNoTrieEncodes) {
  const RlpItem hash = RlpItem::string(Bytes(32, 1));
  std::vector<RlpItem> branch(17, RlpItem::string({}));
  branch[0] = hash;
  branch[1] = hash;

  EXPECT_EQ(decode_error(hex("0x80")), Errc::malformed) << "not a list";
  EXPECT_EQ(decode_error(rlp_list({})), Errc::malformed);
  EXPECT_EQ(decode_error(rlp_list({str("0x20"), str("0x01"), str("0x02")})), Errc::malformed);
  EXPECT_EQ(decode_error(rlp_list({str("0x20"), RlpItem::string({})})), Errc::malformed)
      << "leaf with an empty value";
  EXPECT_EQ(decode_error(rlp_list({str("0x00"), hash})), Errc::malformed)
      << "extension with an empty path";
  EXPECT_EQ(decode_error(rlp_list({str("0x11"), RlpItem::string({})})), Errc::malformed)
      << "extension without a child";
  EXPECT_EQ(decode_error(rlp_list({str("0x11"), RlpItem::list({str("0x20"), str("0x01")})})),
            Errc::malformed)
      << "extension over an embedded leaf";
  EXPECT_EQ(decode_error(rlp_list({str("0x11"), RlpItem::string(Bytes(31, 1))})), Errc::malformed)
      << "31-byte reference";
  EXPECT_EQ(decode_error(rlp_list({str("0x40"), str("0x01")})), Errc::malformed) << "flags";
  EXPECT_EQ(decode_error(rlp_list({str("0x0101"), hash})), Errc::malformed) << "pad nibble";

  EXPECT_TRUE(decode_trie_node(rlp_list(branch)).has_value());
  std::vector<RlpItem> lonely = branch;
  lonely[1] = RlpItem::string({});
  EXPECT_EQ(decode_error(rlp_list(lonely)), Errc::malformed) << "one-entry branch";
  std::vector<RlpItem> nested = branch;
  nested[2] = RlpItem::list({str("0x20"), RlpItem::string(Bytes(40, 7))});
  EXPECT_EQ(decode_error(rlp_list(nested)), Errc::malformed) << "embedded node of 32+ bytes";
  std::vector<RlpItem> listed_value = branch;
  listed_value[16] = RlpItem::list({});
  EXPECT_EQ(decode_error(rlp_list(listed_value)), Errc::malformed) << "value that is a list";

  Bytes trailing = rlp_list(branch);
  trailing.push_back(0x80);
  EXPECT_EQ(decode_error(trailing), Errc::malformed) << "bytes after the node";
}

}  // namespace
}  // namespace tally::chain
