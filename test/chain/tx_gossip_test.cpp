#include <gtest/gtest.h>

#include <tally/chain/tx_gossip.hpp>
#include <tally/core/rlp_encode.hpp>

namespace tally::chain {
namespace {

TEST(TxGossip, RoundTrips) {
  const std::vector<Bytes> txs{Bytes{1, 2, 3}, Bytes(200, 0xab), Bytes{0x7f}};
  const auto decoded = decode_tx_gossip(encode_tx_gossip(txs));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(*decoded, txs);
  EXPECT_EQ(decode_tx_gossip(encode_tx_gossip({})).value(), std::vector<Bytes>{});
}

TEST(TxGossip, RefusesWhatIsNotAListOfStrings) {
  EXPECT_EQ(decode_tx_gossip(Bytes{}).error().code, Errc::malformed);
  EXPECT_EQ(decode_tx_gossip(Bytes{0x83, 1, 2, 3}).error().code, Errc::malformed);  // a string
  RlpWriter nested;
  nested.begin_list();
  nested.begin_list();
  nested.end_list();
  nested.end_list();
  EXPECT_FALSE(decode_tx_gossip(nested.finish()).has_value());
  Bytes trailing = encode_tx_gossip(std::vector<Bytes>{Bytes{1}});
  trailing.push_back(0);
  EXPECT_FALSE(decode_tx_gossip(trailing).has_value());
}

TEST(TxGossip, RefusesMoreTxsOrLargerTxsThanTheBounds) {
  RlpWriter many;
  many.begin_list();
  for (std::size_t i = 0; i <= kMaxGossipTxs; ++i)
    many.add_string(Bytes{1});
  many.end_list();
  EXPECT_EQ(decode_tx_gossip(many.finish()).error().code, Errc::limit_exceeded);

  RlpWriter large;
  large.begin_list();
  large.add_string(Bytes(kMaxGossipTxBytes + 1, 1));
  large.end_list();
  EXPECT_EQ(decode_tx_gossip(large.finish()).error().code, Errc::limit_exceeded);
  EXPECT_TRUE(decode_tx_gossip(encode_tx_gossip(std::vector<Bytes>{Bytes(kMaxGossipTxBytes, 1)}))
                  .has_value());
}

TEST(TxGossip, BatchesStayWithinTheBoundsAndDropOversizedTxs) {
  std::vector<Bytes> txs(kMaxGossipTxs + 5, Bytes{1});
  txs.push_back(Bytes(kMaxGossipTxBytes + 1, 2));
  const auto batches = gossip_batches(txs);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].size(), kMaxGossipTxs);
  EXPECT_EQ(batches[1].size(), 5u);
}

}  // namespace
}  // namespace tally::chain
