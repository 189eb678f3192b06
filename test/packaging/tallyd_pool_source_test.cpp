// tallyd's tx pool wiring: the pool checks txs against the ledger's head through a read-only
// connection (LedgerStateView) while the executor, building from the pool (PoolTxSource), writes
// blocks through the writer; after a commit the pool forgets what the block included.

#include <gtest/gtest.h>

#include "chain/chain_fixture.hpp"
#include "ledger_state_view.hpp"
#include "pool_tx_source.hpp"
#include "support/temp_dir.hpp"

namespace tally::tallyd {
namespace {

using chain::test::TestChain;

class PoolWiring : public ::testing::Test {
 protected:
  chain::TxPoolConfig pool_config() const {
    chain::TxPoolConfig config;
    config.chain_id = chain::test::kChainId;
    config.block_gas_limit = chain::test::kBlockGasLimit;
    config.recovery_threads = 1;
    return config;
  }

  TestChain chain_{SuiteId::standard, 4, 3};
  tally::test::TempDir directory_;
  chain::Ledger writer_ = chain_.open_ledger(directory_ / "ledger");
  std::unique_ptr<LedgerStateView> view_ =
      LedgerStateView::open(directory_ / "ledger", chain_.suite()).value();
  chain::TxPool pool_{pool_config(), [this](const Address& sender) {
                        return sender == chain_.account(0) || sender == chain_.account(1);
                      }};
  PoolTxSource source_{pool_, *view_, chain_.suite()};
  chain::BlockExecutor executor_{writer_, chain_.suite(), chain_.params(), source_};
};

TEST_F(PoolWiring, PoolAdmitsAgainstTheHeadAndForgetsWhatABlockIncluded) {
  const auto first = chain_.transfer(0, 0, chain_.account(2), 5);
  const auto second = chain_.transfer(0, 1, chain_.account(2), 5);
  ASSERT_TRUE(pool_.add_one(first->tx().encoded(), *view_).has_value());
  ASSERT_TRUE(pool_.add_one(second->tx().encoded(), *view_).has_value());
  // Account 2 is funded but not admitted.
  EXPECT_FALSE(pool_.add_one(chain_.transfer(2, 0, chain_.account(0), 1)->tx().encoded(), *view_));
  EXPECT_EQ(source_.pending_count(), 2u);

  const chain::BlockHeader genesis = writer_.header_by_number(0).value().value();
  auto built = executor_.build(chain_.build_request(genesis));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_TRUE(built->has_value());
  EXPECT_EQ((*built)->txs.size(), 2u);
  ASSERT_TRUE(executor_.commit(chain_.seal(**built)).has_value());

  EXPECT_EQ(view_->head_block_number(), 1u);  // refreshed by on_committed
  EXPECT_EQ(view_->nonce(chain_.account(0)), 2u);
  EXPECT_EQ(pool_.size(), 0u);
  EXPECT_EQ(source_.pending_count(), 0u);
  // Included: now "nonce too low" (or already known), never admitted again.
  EXPECT_FALSE(pool_.add_one(first->tx().encoded(), *view_).has_value());
}

TEST_F(PoolWiring, ViewKeepsAccountsReadUntilTheHeadMovesThenReadsTheNewState) {
  const u256 balance_before = view_->balance(chain_.account(0));
  const u256 receiver_before = view_->balance(chain_.account(2));
  EXPECT_EQ(view_->nonce(chain_.account(0)), 0u);
  EXPECT_EQ(view_->nonce(Address{}), 0u);  // absent accounts are answered too
  ASSERT_TRUE(pool_.add_one(chain_.transfer(0, 0, chain_.account(2), 5)->tx().encoded(), *view_));

  const chain::BlockHeader genesis = writer_.header_by_number(0).value().value();
  auto built = executor_.build(chain_.build_request(genesis));
  ASSERT_TRUE(built.has_value() && built->has_value());
  ASSERT_TRUE(executor_.commit(chain_.seal(**built)).has_value());  // refreshes the view

  EXPECT_EQ(view_->nonce(chain_.account(0)), 1u);
  EXPECT_LT(view_->balance(chain_.account(0)), balance_before);
  EXPECT_EQ(view_->balance(chain_.account(2)), receiver_before + u256(5));
  // A refresh with the head unmoved keeps the answers.
  ASSERT_TRUE(view_->refresh().has_value());
  EXPECT_EQ(view_->nonce(chain_.account(0)), 1u);
}

TEST_F(PoolWiring, TxTheStateRefusesIsSkippedUntilTheNextCommit) {
  const auto tx = chain_.transfer(1, 0, chain_.account(2), 5);
  ASSERT_TRUE(pool_.add_one(tx->tx().encoded(), *view_).has_value());
  source_.on_rejected(tx->hash(), Error{Errc::out_of_range, "insufficient funds"});
  EXPECT_EQ(source_.pending_count(), 0u);
  EXPECT_TRUE(source_.select(chain::test::kBlockGasLimit, 10).empty());
  EXPECT_EQ(pool_.size(), 1u);  // kept: a later block may make it valid
}

}  // namespace
}  // namespace tally::tallyd
