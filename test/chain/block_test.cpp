#include <string>

#include <gtest/gtest.h>

#include <tally/chain/block.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/core/rlp.hpp>

#include "support/testdata.hpp"

namespace tally::chain {
namespace {

const CryptoSuite kStandard(SuiteId::standard);

std::string json_string(const boost::json::value& value) {
  return std::string(value.as_string());
}

TEST(BlockConformance, MainnetGenesisDecodesHashesAndReencodes) {
  const auto vector =
      test::read_json(test::testdata_dir() / "eth" / "BasicTests" / "genesishashestest.json");
  const Bytes encoded = from_hex(json_string(vector.at("genesis_rlp_hex"))).value();
  const auto block = Block::decode(encoded);
  ASSERT_TRUE(block) << block.error();
  EXPECT_EQ(block->header.hash(kStandard).hex(false), json_string(vector.at("genesis_hash")));
  EXPECT_EQ(block->header.state_root.hex(false), json_string(vector.at("genesis_state_root")));
  EXPECT_EQ(block->header.block_number, 0U);
  EXPECT_FALSE(block->header.base_fee_per_gas);
  EXPECT_TRUE(block->txs.empty());
  EXPECT_EQ(block->encode(), encoded);
}

BlockHeader london_header() {
  BlockHeader header;
  header.parent_hash.bytes.fill(0x11);
  header.beneficiary.bytes.fill(0x22);
  header.state_root.bytes.fill(0x33);
  header.difficulty = 1;
  header.block_number = 1'000'000;
  header.gas_limit = 30'000'000;
  header.gas_used = 21'000;
  header.timestamp = 1'795'000'000;
  header.extra_data = ConsensusExtra{{}, {Address{}}, 2, {Bytes(65, 0xab)}}.encode();
  header.base_fee_per_gas = 0;
  return header;
}

TEST(BlockHeader, LondonHeaderRoundTripsWithItsBaseFee) {
  const BlockHeader header = london_header();
  const auto decoded = BlockHeader::decode(header.encode());
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(*decoded, header);
  EXPECT_EQ(decoded->base_fee_per_gas, u256(0));
  // The hash is the suite's: the same header hashes differently on a guomi chain.
  EXPECT_NE(header.hash(kStandard), header.hash(CryptoSuite(SuiteId::guomi)));
}

TEST(BlockHeader, RefusesLaterForksAndNamesBadFields) {
  const Bytes encoded = london_header().encode();
  // Append one more field (Shanghai's withdrawals root) by re-wrapping the list.
  RlpWriter writer;
  writer.begin_list();
  RlpReader fields = rlp_open_list(encoded).value();
  while (!fields.at_end())
    writer.add_raw(fields.read_raw().value());
  writer.add_string(Hash256{}.view());
  writer.end_list();
  const auto shanghai = BlockHeader::decode(writer.finish());
  ASSERT_FALSE(shanghai);
  EXPECT_NE(shanghai.error().message.find("after base_fee_per_gas"), std::string::npos);

  BlockHeader bad = london_header();
  bad.extra_data.assign(kMaxExtraDataBytes + 1, 0);
  const auto too_much = BlockHeader::decode(bad.encode());
  ASSERT_FALSE(too_much);
  EXPECT_EQ(too_much.error().code, Errc::limit_exceeded);
  bad.extra_data.assign(kMaxExtraDataBytes, 0);
  EXPECT_TRUE(BlockHeader::decode(bad.encode()));

  // A 19-byte beneficiary: the error names the field.
  const Bytes short_address = london_header().encode();
  RlpWriter broken;
  broken.begin_list();
  RlpReader items = rlp_open_list(short_address).value();
  for (int i = 0; !items.at_end(); ++i) {
    const BytesView raw = items.read_raw().value();
    if (i == 2) {
      broken.add_string(Bytes(19, 0x22));
    } else {
      broken.add_raw(raw);
    }
  }
  broken.end_list();
  const auto wrong = BlockHeader::decode(broken.finish());
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("beneficiary"), std::string::npos) << wrong.error();
}

TEST(Block, CarriesLegacyAndTypedTransactionsAsEthereumDoes) {
  Block block{london_header(), {}};
  const Bytes legacy = from_hex("0xc3010203").value();   // a list: embedded as is
  const Bytes typed = from_hex("0x02c3010203").value();  // type byte first: a string
  block.txs = {legacy, typed};
  const Bytes encoded = block.encode();
  const auto decoded = Block::decode(encoded);
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(*decoded, block);

  RlpReader parts = rlp_open_list(encoded).value();
  (void)parts.read_raw().value();
  RlpReader txs = parts.read_list().value();
  EXPECT_EQ(txs.peek_kind().value(), RlpKind::list);
  (void)txs.read_raw().value();
  EXPECT_EQ(txs.peek_kind().value(), RlpKind::string);
}

TEST(Block, RefusesOmmersAndUntypedStrings) {
  RlpWriter with_ommers;
  with_ommers.begin_list();
  with_ommers.add_raw(london_header().encode());
  with_ommers.begin_list();
  with_ommers.end_list();
  with_ommers.begin_list();
  with_ommers.add_raw(london_header().encode());
  with_ommers.end_list();
  with_ommers.end_list();
  EXPECT_EQ(Block::decode(with_ommers.finish()).error().code, Errc::unsupported);

  RlpWriter untyped;
  untyped.begin_list();
  untyped.add_raw(london_header().encode());
  untyped.begin_list();
  untyped.add_string(from_hex("0x8001").value());
  untyped.end_list();
  untyped.begin_list();
  untyped.end_list();
  untyped.end_list();
  const auto refused = Block::decode(untyped.finish());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("transaction 0"), std::string::npos);
}

TEST(ConsensusExtra, RoundTripsAndBoundsItsParts) {
  ConsensusExtra extra{Bytes(32, 0x01), {}, 7, {}};
  for (Byte i = 0; i < 4; ++i) {
    Address validator;
    validator.bytes.fill(i);
    extra.validators.push_back(validator);
    extra.commit_seals.push_back(Bytes(128, i));
  }
  EXPECT_EQ(ConsensusExtra::decode(extra.encode()).value(), extra);

  ConsensusExtra long_vanity = extra;
  long_vanity.vanity.push_back(0);
  EXPECT_EQ(ConsensusExtra::decode(long_vanity.encode()).error().code, Errc::limit_exceeded);

  ConsensusExtra big_seal = extra;
  big_seal.commit_seals[0].push_back(0);
  EXPECT_EQ(ConsensusExtra::decode(big_seal.encode()).error().code, Errc::limit_exceeded);

  ConsensusExtra crowd = extra;
  crowd.validators.assign(kMaxValidators + 1, Address{});
  EXPECT_EQ(ConsensusExtra::decode(crowd.encode()).error().code, Errc::limit_exceeded);
  crowd.validators.resize(kMaxValidators);
  EXPECT_TRUE(ConsensusExtra::decode(crowd.encode()));

  EXPECT_FALSE(ConsensusExtra::decode(from_hex("0xc0").value()));
  EXPECT_FALSE(ConsensusExtra::decode(BytesView{}));
}

}  // namespace
}  // namespace tally::chain
