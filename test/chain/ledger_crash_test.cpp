// Crash safety of Ledger::commit: a child process commits blocks (with real state changes) in a
// loop and is killed with SIGKILL at random moments; after every kill the ledger must reopen at
// its last whole block with nothing of a later block visible, and the head's state root must
// recompute from the trie nodes stored. The seed is printed; TALLY_SEED replays the kill schedule
// (the exact kill points also depend on timing, so a replay is close, not identical).
#include <chrono>
#include <random>
#include <signal.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/ledger_store.hpp>
#include <tally/chain/trie.hpp>
#include <tally/chain/world_state.hpp>

#include "support/seed.hpp"
#include "support/temp_dir.hpp"

namespace tally::chain {
namespace {

const CryptoSuite kSuite(SuiteId::standard);

BlockWrite next_block(std::uint64_t number,
                      const Hash256& parent,
                      std::size_t tx_count,
                      WorldState& state) {
  BlockWrite write;
  write.block.header.parent_hash = parent;
  write.block.header.block_number = number;
  write.block.header.base_fee_per_gas = 0;
  write.block.header.extra_data = ConsensusExtra{}.encode();
  for (std::size_t i = 0; i < tx_count; ++i) {
    Bytes tx{0x02};
    for (int shift = 0; shift < 64; shift += 8)
      tx.push_back(static_cast<Byte>(number >> shift));
    tx.push_back(static_cast<Byte>(i));
    tx.push_back(static_cast<Byte>(i >> 8));
    write.block.txs.push_back(tx);
    Receipt receipt;
    receipt.cumulative_gas_used = 21'000 * (i + 1);
    Log log;
    log.topics = {kSuite.hash(tx)};
    receipt.logs = {log};
    receipt.bloom = logs_bloom(receipt.logs);
    write.receipts.push_back(receipt);
    // Each transaction credits one of 1,000 accounts, so the state trie grows and changes.
    Address to;
    to.bytes[0] = static_cast<Byte>((number + i) % 1000 >> 8);
    to.bytes[1] = static_cast<Byte>((number + i) % 1000);
    if (!state.add_balance(to, 1 + i))
      _exit(5);
  }
  CodeBatch code;
  const auto root = state.commit(write.trie_nodes, code);
  if (!root)
    _exit(6);
  write.block.header.state_root = *root;
  return write;
}

// The child: continue the chain from the head, forever, until killed. A byte goes down
// `committed_fd` after every commit, so the parent can kill at a point of real progress however
// loaded the machine is.
[[noreturn]] void commit_forever(const std::filesystem::path& path,
                                 std::uint64_t seed,
                                 int committed_fd) {
  auto ledger = Ledger::open(path, kSuite, {.durability = sqlite::Durability::normal});
  if (!ledger)
    _exit(3);
  std::mt19937_64 rng(seed);
  std::uint64_t number = ledger->head() ? ledger->head()->block_number + 1 : 0;
  Hash256 parent = ledger->head() ? ledger->head()->hash : Hash256{};
  LedgerStore store(*ledger);
  Hash256 state_root = empty_trie_root(kSuite);
  if (ledger->head())
    state_root = ledger->header_by_number(number - 1).value()->state_root;
  for (;; ++number) {
    WorldState state(kSuite, store, store, state_root);
    const BlockWrite write = next_block(number, parent, rng() % 200, state);
    state_root = write.block.header.state_root;
    if (!ledger->commit(write))
      _exit(4);
    const char one = 1;
    if (::write(committed_fd, &one, 1) != 1)
      _exit(5);
    parent = block_digest(write.block.header, kSuite).value();
  }
}

// Every block up to the head is whole and linked, and nothing beyond the head is stored.
void expect_whole_chain(Ledger& ledger) {
  ASSERT_TRUE(ledger.head());
  const std::uint64_t head = ledger.head()->block_number;
  Hash256 parent;
  for (std::uint64_t n = 0; n <= head; ++n) {
    const auto block = ledger.block_by_number(n);
    ASSERT_TRUE(block && *block) << "block " << n;
    EXPECT_EQ((*block)->header.parent_hash, parent) << "block " << n;
    parent = block_digest((*block)->header, kSuite).value();
    const std::size_t txs = (*block)->txs.size();
    if (txs > 0) {
      ASSERT_TRUE(ledger.receipt(n, static_cast<std::uint32_t>(txs - 1)).value()) << "block " << n;
    }
  }
  EXPECT_EQ(parent, ledger.head()->hash);

  // Every node under the head's state root is stored: walking the trie loads each of them, and the
  // same keys and values put into a fresh trie give the same root.
  const Hash256 state_root = ledger.header_by_number(head).value()->state_root;
  LedgerStore store(ledger);
  const Trie stored(kSuite, store, state_root);
  Trie rebuilt(kSuite);
  std::size_t accounts = 0;
  bool all_put = true;
  ASSERT_TRUE(stored.for_each([&](BytesView key, BytesView value) {
    all_put = rebuilt.put(key, value).has_value() && all_put;
    ++accounts;
  }));
  ASSERT_TRUE(all_put);
  EXPECT_EQ(rebuilt.root_hash(), state_root) << "head " << head << ", " << accounts << " accounts";
  for (const char* table : {"blocks", "txs", "receipts", "logs"}) {
    auto beyond = ledger.database().prepare(std::string("SELECT count(*) FROM ") + table +
                                            " WHERE block_number > ?1");
    ASSERT_TRUE(beyond);
    ASSERT_TRUE(beyond->bind(1, static_cast<std::int64_t>(head)));
    ASSERT_TRUE(beyond->step().value());
    EXPECT_EQ(beyond->column_int64(0), 0) << table << " beyond head " << head;
  }
}

TEST(LedgerCrash, ReopensAtTheLastWholeBlockAfterEverySigkill) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  test::TempDir dir;
  const auto path = dir / "ledger.db";
  const std::uint64_t kill_points = test::property_iterations(50);
  std::uint64_t previous_head = 0;
  for (std::uint64_t kill_point = 0; kill_point < kill_points; ++kill_point) {
    int committed[2];
    ASSERT_EQ(::pipe(committed), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(committed[0]);
      commit_forever(path, seed + kill_point, committed[1]);
    }
    ::close(committed[1]);
    // Kill after 0 to 2 more commits, then somewhere within the next ones.
    for (std::uint64_t wait_for = rng() % 3; wait_for > 0; --wait_for) {
      char byte = 0;
      ASSERT_EQ(::read(committed[0], &byte, 1), 1) << "the child stopped committing";
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20'000));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    ::close(committed[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself, status " << status;

    auto ledger = Ledger::open(path, kSuite);
    ASSERT_TRUE(ledger) << "kill point " << kill_point << ": " << ledger.error();
    if (!ledger->head())
      continue;  // killed before genesis was committed
    EXPECT_GE(ledger->head()->block_number, previous_head);
    previous_head = ledger->head()->block_number;
    expect_whole_chain(*ledger);
    if (HasFatalFailure())
      return;
  }
  EXPECT_GT(previous_head, 0U) << "no block was ever committed";
}

}  // namespace
}  // namespace tally::chain
