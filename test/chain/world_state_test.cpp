#include <random>

#include <gtest/gtest.h>

#include <tally/chain/trie.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/keccak.hpp>

#include "support/seed.hpp"

namespace tally::chain {
namespace {

const CryptoSuite kSuite(SuiteId::standard);

Address address(Byte value) {
  Address out;
  out.bytes.fill(value);
  return out;
}

class WorldStateTest : public ::testing::Test {
 protected:
  WorldState at(const Hash256& root) { return WorldState(kSuite, nodes_, code_, root); }
  WorldState empty() { return at(empty_trie_root(kSuite)); }

  // Commits `state`, stores what it produced, and returns the new root.
  Hash256 commit(WorldState& state) {
    NodeBatch batch;
    CodeBatch code;
    const Hash256 root = state.commit(batch, code).value();
    nodes_.write(batch);
    for (auto& [hash, bytes] : code)
      code_.put(hash, bytes);
    return root;
  }

  MemoryNodeStore nodes_;
  MemoryCodeStore code_;
};

TEST(Account, EncodesAsEthereumDoes) {
  const Account account = Account::empty(kSuite);
  // rlp([0, 0, empty trie root, keccak("")])
  EXPECT_EQ(to_hex(account.encode()),
            "0xf8448080a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460"
            "186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_TRUE(account.is_empty());
  Account rich = account;
  rich.nonce = 7;
  rich.balance = u256::max();
  EXPECT_EQ(Account::decode(rich.encode()).value(), rich);
  EXPECT_FALSE(rich.is_empty());
  EXPECT_FALSE(Account::decode(from_hex("0xc0").value()));
}

TEST_F(WorldStateTest, AnEmptyStateHasTheEmptyRootAndNoAccounts) {
  WorldState state = empty();
  EXPECT_FALSE(state.account(address(1)).value());
  EXPECT_EQ(state.storage(address(1), 5).value(), u256(0));
  EXPECT_TRUE(state.code(address(1)).value().empty());
  EXPECT_EQ(commit(state), empty_trie_root(kSuite));
}

TEST_F(WorldStateTest, CommittedChangesReadBackFromTheStoredTries) {
  WorldState state = empty();
  ASSERT_TRUE(state.add_balance(address(1), 1000));
  ASSERT_TRUE(state.set_nonce(address(1), 3));
  ASSERT_TRUE(state.set_code(address(2), Bytes{0x60, 0x00, 0x60, 0x00}));
  ASSERT_TRUE(state.set_storage(address(2), 1, 42));
  ASSERT_TRUE(state.set_storage(address(2), u256::max(), 7));
  const Hash256 root = commit(state);

  WorldState reopened = at(root);
  const Account one = reopened.account(address(1)).value().value();
  EXPECT_EQ(one.balance, u256(1000));
  EXPECT_EQ(one.nonce, 3U);
  const Account two = reopened.account(address(2)).value().value();
  EXPECT_EQ(two.code_hash, keccak256(Bytes{0x60, 0x00, 0x60, 0x00}));
  EXPECT_NE(two.storage_root, empty_trie_root(kSuite));
  EXPECT_EQ(reopened.code(address(2)).value(), (Bytes{0x60, 0x00, 0x60, 0x00}));
  EXPECT_EQ(reopened.storage(address(2), 1).value(), u256(42));
  EXPECT_EQ(reopened.storage(address(2), u256::max()).value(), u256(7));
  EXPECT_EQ(reopened.storage(address(2), 2).value(), u256(0));
}

TEST_F(WorldStateTest, ZeroingASlotRemovesItFromTheTrie) {
  WorldState state = empty();
  ASSERT_TRUE(state.set_storage(address(3), 1, 9));
  const Hash256 with_slot = commit(state);
  WorldState next = at(with_slot);
  ASSERT_TRUE(next.set_storage(address(3), 1, 0));
  const Hash256 cleared = commit(next);
  WorldState last = at(cleared);
  EXPECT_EQ(last.account(address(3)).value()->storage_root, empty_trie_root(kSuite));
}

TEST_F(WorldStateTest, RollbackUndoesEverythingSinceItsCheckpoint) {
  WorldState state = empty();
  ASSERT_TRUE(state.add_balance(address(1), 100));
  ASSERT_TRUE(state.set_storage(address(1), 1, 11));
  const std::size_t outer = state.checkpoint();
  ASSERT_TRUE(state.sub_balance(address(1), 40));
  ASSERT_TRUE(state.set_storage(address(1), 1, 12));
  const std::size_t inner = state.checkpoint();
  ASSERT_TRUE(state.set_storage(address(1), 2, 21));
  ASSERT_TRUE(state.add_balance(address(9), 5));
  state.destroy_account(address(1));
  EXPECT_FALSE(state.account(address(1)).value());
  EXPECT_EQ(state.storage(address(1), 1).value(), u256(0));

  state.rollback_to(inner);
  EXPECT_EQ(state.account(address(1)).value()->balance, u256(60));
  EXPECT_EQ(state.storage(address(1), 1).value(), u256(12));
  EXPECT_EQ(state.storage(address(1), 2).value(), u256(0));
  EXPECT_FALSE(state.account(address(9)).value());

  state.rollback_to(outer);
  EXPECT_EQ(state.account(address(1)).value()->balance, u256(100));
  EXPECT_EQ(state.storage(address(1), 1).value(), u256(11));
}

TEST_F(WorldStateTest, OriginalStorageIsTheValueAtTheStartOfTheTransaction) {
  WorldState state = empty();
  ASSERT_TRUE(state.set_storage(address(4), 1, 5));
  state.end_tx();
  EXPECT_EQ(state.original_storage(address(4), 1).value(), u256(5));
  ASSERT_TRUE(state.set_storage(address(4), 1, 6));
  ASSERT_TRUE(state.set_storage(address(4), 1, 7));
  EXPECT_EQ(state.original_storage(address(4), 1).value(), u256(5));
  EXPECT_EQ(state.storage(address(4), 1).value(), u256(7));
  state.end_tx();
  EXPECT_EQ(state.original_storage(address(4), 1).value(), u256(7));
}

TEST_F(WorldStateTest, DestroyingAnAccountForgetsItsStoredStorage) {
  WorldState state = empty();
  ASSERT_TRUE(state.set_storage(address(5), 1, 1));
  ASSERT_TRUE(state.add_balance(address(5), 10));
  WorldState next = at(commit(state));
  EXPECT_EQ(next.storage(address(5), 1).value(), u256(1));
  ASSERT_TRUE(next.create_account(address(5)));  // contract creation at an address with a balance
  EXPECT_EQ(next.storage(address(5), 1).value(), u256(0));
  EXPECT_EQ(next.account(address(5)).value()->balance, u256(10));
  WorldState last = at(commit(next));
  EXPECT_EQ(last.storage(address(5), 1).value(), u256(0));
  EXPECT_EQ(last.account(address(5)).value()->storage_root, empty_trie_root(kSuite));
}

TEST_F(WorldStateTest, BalancesNeitherWrapNorGoNegative) {
  WorldState state = empty();
  ASSERT_TRUE(state.add_balance(address(6), u256::max()));
  EXPECT_EQ(state.add_balance(address(6), 1).error().code, Errc::overflow);
  EXPECT_EQ(state.sub_balance(address(7), 1).error().code, Errc::out_of_range);
  EXPECT_FALSE(state.account(address(7)).value());  // the failed write created nothing
  EXPECT_EQ(state.account(address(6)).value()->balance, u256::max());
}

TEST_F(WorldStateTest, TheRootDependsOnTheStateNotTheOrderOfWrites) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  struct Write {
    Byte account;
    std::uint64_t slot;
    std::uint64_t value;
  };
  std::vector<Write> writes;
  for (int i = 0; i < 200; ++i) {
    writes.push_back({static_cast<Byte>(rng() % 16), rng() % 8, rng() % 4});
  }
  // The last write of each slot decides; replaying in another order must keep those last writes.
  std::map<std::pair<Byte, std::uint64_t>, std::uint64_t> final_values;
  for (const Write& w : writes)
    final_values[{w.account, w.slot}] = w.value;

  WorldState forward = empty();
  for (const Write& w : writes)
    ASSERT_TRUE(forward.set_storage(address(w.account), w.slot, w.value));
  WorldState direct = empty();
  for (auto it = final_values.rbegin(); it != final_values.rend(); ++it) {
    ASSERT_TRUE(direct.set_storage(address(it->first.first), it->first.second, it->second));
  }
  EXPECT_EQ(commit(forward), commit(direct));
}

TEST_F(WorldStateTest, GuomiStateRootsUseSm3) {
  MemoryNodeStore nodes;
  WorldState standard(kSuite, nodes, code_, empty_trie_root(kSuite));
  const CryptoSuite guomi(SuiteId::guomi);
  WorldState gm(guomi, nodes, code_, empty_trie_root(guomi));
  ASSERT_TRUE(standard.add_balance(address(1), 1));
  ASSERT_TRUE(gm.add_balance(address(1), 1));
  NodeBatch a;
  NodeBatch b;
  CodeBatch code;
  EXPECT_NE(standard.commit(a, code).value(), gm.commit(b, code).value());
}

}  // namespace
}  // namespace tally::chain
