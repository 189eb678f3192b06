// BlockExecutor (block_executor.hpp): blocks built, validated and committed through the EVM on
// real ledgers, in both suites; tampered headers and invalid txs refused.
#include <gtest/gtest.h>

#include <tally/chain/create_address.hpp>

#include "chain/chain_fixture.hpp"
#include "support/temp_dir.hpp"

namespace tally::chain::test {
namespace {

class BlockExecutorTest : public ::testing::TestWithParam<SuiteId> {
 protected:
  TestChain chain_{GetParam(), 4, 3};
  tally::test::TempDir dir_;
  Node a_{chain_, dir_.path() / "a.db"};
  Node b_{chain_, dir_.path() / "b.db"};

  // `a_` builds from its source, `b_` validates, both commit the sealed block.
  Block agree_on_next_block() {
    auto built = a_.executor.build(chain_.build_request(a_.head_header()));
    EXPECT_TRUE(built) << built.error();
    EXPECT_TRUE(built && *built);
    const Block block = built.value().value();
    const auto valid = b_.executor.validate(block, b_.head_header());
    EXPECT_TRUE(valid) << valid.error();
    const Block sealed = chain_.seal(block);
    const auto committed_a = a_.executor.commit(sealed);
    EXPECT_TRUE(committed_a) << committed_a.error();
    const auto committed_b = b_.executor.commit(sealed);
    EXPECT_TRUE(committed_b) << committed_b.error();
    EXPECT_EQ(a_.ledger.head(), b_.ledger.head());
    return sealed;
  }
};

INSTANTIATE_TEST_SUITE_P(Suites,
                         BlockExecutorTest,
                         ::testing::Values(SuiteId::standard, SuiteId::guomi),
                         [](const auto& param) { return std::string(suite_name(param.param)); });

TEST_P(BlockExecutorTest, BuildsValidatesAndCommitsTransfersAndAContract) {
  const Address receiver = chain_.account(2);
  const u256 before = a_.balance(receiver);
  a_.txs.add(chain_.transfer(0, 0, receiver, 1'000));
  a_.txs.add(chain_.transfer(0, 1, receiver, 2'000));
  a_.txs.add(chain_.transfer(1, 0, receiver, 30));
  const Address counter = create_address(chain_.account(1), 1);
  a_.txs.add(
      chain_.tx(1, TestChain::fields(1, std::nullopt, 0, contract_code("Counter"), 1'000'000)));
  const Block first = agree_on_next_block();
  ASSERT_EQ(first.txs.size(), 4U);
  EXPECT_EQ(a_.txs.pending_count(), 0U);
  EXPECT_EQ(a_.txs.committed, 1U);
  EXPECT_EQ(b_.txs.committed, 1U);  // told even though it never held the txs
  EXPECT_EQ(a_.balance(receiver), before + u256(3'030));
  EXPECT_EQ(b_.balance(receiver), before + u256(3'030));
  EXPECT_GT(first.header.gas_used, 3 * kTxGas);
  const auto deploy_receipt = b_.ledger.receipt(1, 3).value().value();
  EXPECT_TRUE(deploy_receipt.success);
  EXPECT_EQ(deploy_receipt.cumulative_gas_used, first.header.gas_used);

  Bytes add = selector("add(uint256)");
  add.resize(add.size() + 32);
  add.back() = 5;
  a_.txs.add(chain_.tx(2, TestChain::fields(0, counter, 0, add, 200'000)));
  const Block second = agree_on_next_block();
  ASSERT_EQ(second.txs.size(), 1U);
  EXPECT_EQ(a_.storage(counter, 0), u256(5));
  EXPECT_EQ(b_.storage(counter, 0), u256(5));
  const auto receipt = b_.ledger.receipt(2, 0).value().value();
  ASSERT_TRUE(receipt.success);
  ASSERT_EQ(receipt.logs.size(), 1U);
  EXPECT_EQ(receipt.logs[0].address, counter);
  EXPECT_TRUE(second.header.logs_bloom.may_contain(counter.view()));
  EXPECT_EQ(b_.ledger.block_by_number(2).value().value(), second);
}

TEST_P(BlockExecutorTest, BuildsNothingFromAnEmptySource) {
  const auto built = a_.executor.build(chain_.build_request(a_.head_header()));
  ASSERT_TRUE(built) << built.error();
  EXPECT_FALSE(*built);
}

TEST_P(BlockExecutorTest, RefusesABuildOnAParentThatIsNotTheHead) {
  BlockHeader other = a_.head_header();
  other.timestamp += 1;
  a_.txs.add(chain_.transfer(0, 0, chain_.account(1), 1));
  const auto built = a_.executor.build(chain_.build_request(other));
  ASSERT_FALSE(built);
  EXPECT_EQ(built.error().code, Errc::invalid_argument);
}

TEST_P(BlockExecutorTest, LeavesOutAndReportsTxsTheStateRefuses) {
  const Address to = chain_.account(2);
  a_.txs.add(chain_.transfer(0, 0, to, 1));
  const auto gap = chain_.transfer(1, 3, to, 1);  // nonce 3, the account is at 0
  a_.txs.add(gap);
  TxFields other_chain = TestChain::fields(0, to, 1, {}, kTxGas);
  other_chain.chain_id = kChainId + 1;
  const auto wrong_chain = chain_.tx(2, other_chain);
  a_.txs.add(wrong_chain);
  TxFields huge = TestChain::fields(1, to, 0, {}, kTxGas);
  huge.value = u256(1) << 200;  // far above any balance
  const auto overdraft = chain_.tx(0, huge);
  a_.txs.add(overdraft);
  const auto after_overdraft = chain_.transfer(0, 2, to, 1);  // waits behind it, unreported
  a_.txs.add(after_overdraft);

  const auto built = a_.executor.build(chain_.build_request(a_.head_header()));
  ASSERT_TRUE(built && *built) << (built ? "nothing built" : built.error().message);
  ASSERT_EQ((*built)->txs.size(), 1U);
  ASSERT_EQ(a_.txs.rejected.size(), 3U);
  EXPECT_EQ(a_.txs.rejected[0].first, gap->hash());
  EXPECT_NE(a_.txs.rejected[0].second.message.find("nonce"), std::string::npos)
      << a_.txs.rejected[0].second;
  EXPECT_EQ(a_.txs.rejected[1].first, wrong_chain->hash());
  EXPECT_EQ(a_.txs.rejected[2].first, overdraft->hash());
  EXPECT_EQ(a_.txs.pending_count(), 2U);  // the included one and the one waiting behind
  EXPECT_TRUE(b_.executor.validate(**built, b_.head_header()));
}

TEST_P(BlockExecutorTest, RefusesAProposalWithAnInvalidTx) {
  a_.txs.add(chain_.transfer(0, 0, chain_.account(1), 1));
  Block block = a_.executor.build(chain_.build_request(a_.head_header())).value().value();
  // The same tx again: its nonce is used by then.
  block.txs.push_back(block.txs[0]);
  const auto refused = b_.executor.validate(block, b_.head_header());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::verification_failed);
  EXPECT_NE(refused.error().message.find("tx 1"), std::string::npos) << refused.error();

  block.txs[1] = Bytes{0x02, 0xc0};
  const auto undecodable = b_.executor.validate(block, b_.head_header());
  ASSERT_FALSE(undecodable);
  EXPECT_NE(undecodable.error().message.find("tx 1"), std::string::npos) << undecodable.error();
}

TEST_P(BlockExecutorTest, RefusesEveryTamperedRootOrGasFigure) {
  a_.txs.add(chain_.transfer(0, 0, chain_.account(1), 1));
  const Block block = a_.executor.build(chain_.build_request(a_.head_header())).value().value();
  ASSERT_TRUE(b_.executor.validate(block, b_.head_header()));
  const auto tampered = [&](std::string_view field, auto change) {
    Block copy = block;
    change(copy.header);
    const auto refused = b_.executor.validate(copy, b_.head_header());
    ASSERT_FALSE(refused) << field;
    EXPECT_EQ(refused.error().code, Errc::verification_failed) << field;
    EXPECT_NE(refused.error().message.find(field), std::string::npos) << refused.error();
    // A sealed copy arriving by sync is checked the same way before anything is written.
    const auto not_written = b_.executor.commit(chain_.seal(copy));
    ASSERT_FALSE(not_written) << field;
    EXPECT_NE(not_written.error().message.find(field), std::string::npos) << not_written.error();
    EXPECT_EQ(b_.ledger.head()->block_number, 0U);
  };
  tampered("state_root", [](BlockHeader& h) { h.state_root.bytes[0] ^= 1; });
  tampered("receipts_root", [](BlockHeader& h) { h.receipts_root.bytes[5] ^= 1; });
  tampered("transactions_root", [](BlockHeader& h) { h.transactions_root.bytes[9] ^= 1; });
  tampered("gas_used", [](BlockHeader& h) { h.gas_used += 1; });
  tampered("logs_bloom", [](BlockHeader& h) {
    FixedBytes<Bloom::kSize> bits = h.logs_bloom.bits();
    bits.bytes[0] ^= 1;
    h.logs_bloom = Bloom(bits);
  });
  tampered("gas_limit", [](BlockHeader& h) { h.gas_limit += 1; });
  tampered("base_fee_per_gas", [](BlockHeader& h) { h.base_fee_per_gas = u256(7); });
  tampered("parent_hash", [](BlockHeader& h) { h.parent_hash.bytes[0] ^= 1; });
  EXPECT_TRUE(b_.executor.commit(chain_.seal(block)));
}

TEST_P(BlockExecutorTest, CommitsWithoutValidatingByExecutingFirst) {
  a_.txs.add(chain_.transfer(0, 0, chain_.account(1), 77));
  const Block block = a_.executor.build(chain_.build_request(a_.head_header())).value().value();
  EXPECT_EQ(a_.executor.cached_results(), 1U);
  EXPECT_EQ(b_.executor.cached_results(), 0U);
  const Block sealed = chain_.seal(block, 2);
  ASSERT_TRUE(b_.executor.commit(sealed));
  ASSERT_TRUE(a_.executor.commit(sealed));
  EXPECT_EQ(a_.executor.cached_results(), 0U);
  EXPECT_EQ(a_.ledger.head(), b_.ledger.head());
  EXPECT_EQ(b_.balance(chain_.account(1)), a_.balance(chain_.account(1)));
  EXPECT_EQ(b_.ledger.block_by_number(1).value().value(), sealed);
}

TEST_P(BlockExecutorTest, ValidatesWithTheSendersItsSourceAlreadyRecovered) {
  const auto tx = chain_.transfer(0, 0, chain_.account(1), 5);
  a_.txs.add(tx);
  b_.txs.add(tx);  // gossiped to b's pool too
  const Block block = a_.executor.build(chain_.build_request(a_.head_header())).value().value();
  ASSERT_TRUE(b_.executor.validate(block, b_.head_header()));
  EXPECT_EQ(b_.txs.finds, 1U);
  ASSERT_TRUE(b_.executor.commit(chain_.seal(block)));
  EXPECT_EQ(b_.txs.pending_count(), 0U);
}

TEST_P(BlockExecutorTest, KeepsOnlyAFewExecutedResults) {
  a_.txs.add(chain_.transfer(0, 0, chain_.account(1), 1));
  for (std::uint32_t round = 0; round < kExecutedBlockCacheSize + 3; ++round)
    ASSERT_TRUE(a_.executor.build(chain_.build_request(a_.head_header(), round)).value());
  EXPECT_EQ(a_.executor.cached_results(), kExecutedBlockCacheSize);
}

}  // namespace
}  // namespace tally::chain::test
