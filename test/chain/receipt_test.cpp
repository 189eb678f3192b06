#include <gtest/gtest.h>

#include <tally/chain/receipt.hpp>
#include <tally/core/rlp.hpp>

namespace tally::chain {
namespace {

Log sample_log(Byte seed, std::size_t topics) {
  Log log;
  log.address.bytes.fill(seed);
  for (std::size_t i = 0; i < topics; ++i) {
    Hash256 topic;
    topic.bytes.fill(static_cast<Byte>(seed + i + 1));
    log.topics.push_back(topic);
  }
  log.data = Bytes(static_cast<std::size_t>(seed) * 3, seed);
  return log;
}

TEST(Receipt, LegacyEncodingIsEthereums) {
  Receipt receipt;
  receipt.cumulative_gas_used = 21'000;
  // rlp([0x01, 21000, 256 zero bytes, []]): payload 1 + 3 + 259 + 1 = 264 = 0x108 bytes.
  EXPECT_EQ(to_hex(receipt.encode()),
            "0xf90108"
            "01"
            "825208"
            "b90100" +
                std::string(512, '0') + "c0");
  receipt.success = false;
  EXPECT_EQ(receipt.encode()[3], 0x80);  // status 0 is the empty string
}

TEST(Receipt, EveryTypeRoundTripsWithLogsAndBloom) {
  for (std::uint8_t type = 0; type <= 2; ++type) {
    Receipt receipt;
    receipt.tx_type = type;
    receipt.success = type != 1;
    receipt.cumulative_gas_used = 1'000'000 + type;
    receipt.logs = {sample_log(1, 0), sample_log(2, 4), sample_log(3, 2)};
    receipt.bloom = logs_bloom(receipt.logs);
    const Bytes encoded = receipt.encode();
    EXPECT_EQ(encoded[0] == type, type != 0);
    const auto decoded = Receipt::decode(encoded);
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(*decoded, receipt);
  }
}

TEST(Receipt, BloomHoldsEveryAddressAndTopic) {
  const std::vector<Log> logs = {sample_log(5, 3)};
  const Bloom bloom = logs_bloom(logs);
  EXPECT_TRUE(bloom.may_contain(logs[0].address.view()));
  for (const Hash256& topic : logs[0].topics)
    EXPECT_TRUE(bloom.may_contain(topic.view()));
}

TEST(Receipt, RefusesWhatEthereumWouldNot) {
  Receipt receipt;
  receipt.logs = {sample_log(1, 4)};
  Bytes typed = receipt.encode();
  typed.insert(typed.begin(), 3);  // blob receipts: not on this chain
  EXPECT_EQ(Receipt::decode(typed).error().code, Errc::unsupported);

  RlpWriter status_two;
  status_two.begin_list();
  status_two.add_uint(2);
  status_two.add_uint(0);
  status_two.add_string(Bloom{}.bits().view());
  status_two.begin_list();
  status_two.end_list();
  status_two.end_list();
  const auto two = Receipt::decode(status_two.finish());
  ASSERT_FALSE(two);
  EXPECT_NE(two.error().message.find("status 2 is not 0 or 1"), std::string::npos) << two.error();

  // A failed status is the empty string; 0x00 would be a second encoding of the same receipt.
  Bytes zero_status = Receipt{}.encode();
  ASSERT_EQ(zero_status[3], 0x01);
  zero_status[3] = 0x00;
  EXPECT_FALSE(Receipt::decode(zero_status));

  RlpWriter five_topics;
  five_topics.begin_list();
  five_topics.add_uint(1);
  five_topics.add_uint(0);
  five_topics.add_string(Bloom{}.bits().view());
  five_topics.begin_list();
  five_topics.begin_list();
  five_topics.add_string(Address{}.view());
  five_topics.begin_list();
  for (int i = 0; i < 5; ++i)
    five_topics.add_string(Hash256{}.view());
  five_topics.end_list();
  five_topics.add_string(BytesView{});
  five_topics.end_list();
  five_topics.end_list();
  five_topics.end_list();
  const auto refused = Receipt::decode(five_topics.finish());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("four topics"), std::string::npos);

  Bytes trailing = receipt.encode();
  trailing.push_back(0);
  EXPECT_FALSE(Receipt::decode(trailing));
}

}  // namespace
}  // namespace tally::chain
