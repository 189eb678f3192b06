#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/ledger.hpp>

#include "support/temp_dir.hpp"

namespace tally::chain {
namespace {

const CryptoSuite kSuite(SuiteId::standard);

Hash256 filled(Byte value) {
  Hash256 out;
  out.bytes.fill(value);
  return out;
}

// The identity the ledger keys a block by.
Hash256 digest(const BlockHeader& header) {
  return block_digest(header, kSuite).value();
}

// A block of `tx_count` distinct typed-looking transactions, each with a receipt and one log.
BlockWrite make_block(std::uint64_t number, const Hash256& parent, std::size_t tx_count) {
  BlockWrite write;
  write.block.header.parent_hash = parent;
  write.block.header.block_number = number;
  write.block.header.state_root = filled(static_cast<Byte>(0x40 + number));  // stored below
  write.block.header.base_fee_per_gas = 0;
  write.block.header.extra_data = ConsensusExtra{}.encode();
  for (std::size_t i = 0; i < tx_count; ++i) {
    write.block.txs.push_back(Bytes{0x02, static_cast<Byte>(number), static_cast<Byte>(i),
                                    static_cast<Byte>(i >> 8), 0x99});
    Receipt receipt;
    receipt.tx_type = 2;
    receipt.cumulative_gas_used = 21'000 * (i + 1);
    Log log;
    log.address.bytes.fill(static_cast<Byte>(i));
    log.topics = {filled(0xaa), filled(static_cast<Byte>(number))};
    log.data = Bytes{static_cast<Byte>(i)};
    receipt.logs = {log};
    receipt.bloom = logs_bloom(receipt.logs);
    write.receipts.push_back(receipt);
  }
  write.trie_nodes.add(filled(static_cast<Byte>(0x40 + number)), Bytes{0xc0, 0x01});
  write.code = {{filled(0xcc), Bytes{0x60, 0x00}}};
  return write;
}

LogFilter blocks(std::uint64_t from, std::uint64_t to) {
  LogFilter filter;
  filter.from_block = from;
  filter.to_block = to;
  return filter;
}

class LedgerTest : public ::testing::Test {
 protected:
  Ledger open_ledger() {
    auto ledger = Ledger::open(dir_ / "ledger.db", kSuite);
    EXPECT_TRUE(ledger) << ledger.error();
    return std::move(*ledger);
  }

  // Commits blocks 0..count-1 and returns the hash of the last.
  Hash256 commit_chain(Ledger& ledger, std::uint64_t count) {
    Hash256 parent;
    for (std::uint64_t n = 0; n < count; ++n) {
      const BlockWrite write = make_block(n, parent, 3);
      EXPECT_TRUE(ledger.commit(write));
      parent = digest(write.block.header);
    }
    return parent;
  }

  test::TempDir dir_;
};

TEST_F(LedgerTest, StartsEmptyAndTakesGenesisFirst) {
  Ledger ledger = open_ledger();
  EXPECT_FALSE(ledger.head());
  const auto not_genesis = ledger.commit(make_block(1, Hash256{}, 0));
  ASSERT_FALSE(not_genesis);
  EXPECT_NE(not_genesis.error().message.find("genesis"), std::string::npos);
  ASSERT_TRUE(ledger.commit(make_block(0, Hash256{}, 0)));
  EXPECT_EQ(ledger.head()->block_number, 0U);
}

TEST_F(LedgerTest, ReadsBackEverythingACommitWrote) {
  Ledger ledger = open_ledger();
  const Hash256 head = commit_chain(ledger, 3);
  EXPECT_EQ(ledger.head(), (Head{2, head}));

  const BlockWrite expected = make_block(2, digest(ledger.block_by_number(1).value()->header), 3);
  EXPECT_EQ(ledger.block_by_number(2).value(), expected.block);
  EXPECT_EQ(ledger.block_by_hash(head).value(), expected.block);
  EXPECT_EQ(ledger.header_by_number(2).value(), expected.block.header);
  EXPECT_FALSE(ledger.block_by_number(3).value());
  EXPECT_FALSE(ledger.block_by_hash(Hash256{}).value());

  const Hash256 tx_hash = kSuite.hash(expected.block.txs[1]);
  EXPECT_EQ(ledger.tx_location(tx_hash).value(), (TxLocation{2, 1}));
  EXPECT_EQ(ledger.receipt(2, 1).value(), expected.receipts[1]);
  EXPECT_FALSE(ledger.receipt(2, 3).value());
  EXPECT_EQ(ledger.trie_node(filled(0x42)).value(), (Bytes{0xc0, 0x01}));
  EXPECT_EQ(ledger.code(filled(0xcc)).value(), (Bytes{0x60, 0x00}));
  EXPECT_FALSE(ledger.code(filled(0xcd)).value());
}

// Each validator may hold a final block with a different quorum of seals, and a later round
// re-seals it: the ledger names it by its digest, so any sealed copy is the same block.
TEST_F(LedgerTest, KeysBlocksByDigestWhateverTheirSeals) {
  Ledger ledger = open_ledger();
  const Hash256 head = commit_chain(ledger, 2);
  const BlockWrite unsealed = make_block(2, head, 2);
  BlockWrite first = unsealed;
  first.block = seal_block(unsealed.block, 1, {Bytes(65, 0x11), Bytes(65, 0x22)}).value();
  BlockWrite second = unsealed;
  second.block = seal_block(unsealed.block, 3, {Bytes(65, 0x33), Bytes(65, 0x44)}).value();
  ASSERT_NE(first.block.header.hash(kSuite), second.block.header.hash(kSuite));
  ASSERT_EQ(digest(first.block.header), digest(second.block.header));
  EXPECT_EQ(digest(first.block.header), digest(unsealed.block.header));

  // Either copy may be committed; the one committed is stored as sealed, under the digest.
  for (const BlockWrite* write : {&first, &second}) {
    test::TempDir dir;
    auto copy = Ledger::open(dir.path() / "ledger.db", kSuite);
    ASSERT_TRUE(copy) << copy.error();
    ASSERT_EQ(commit_chain(*copy, 2), head);
    ASSERT_TRUE(copy->commit(*write));
    EXPECT_EQ(copy->head(), (Head{2, digest(unsealed.block.header)}));
    EXPECT_EQ(copy->block_by_hash(digest(unsealed.block.header)).value(), write->block);
    EXPECT_FALSE(copy->block_by_hash(write->block.header.hash(kSuite)).value());
    // The next block links to the digest, whichever seals its parent carries.
    EXPECT_TRUE(copy->commit(make_block(3, digest(unsealed.block.header), 1)));
  }
  ASSERT_TRUE(ledger.commit(first));
  EXPECT_EQ(ledger.block_by_number(2).value(), first.block);
}

TEST_F(LedgerTest, RefusesABlockWithoutConsensusExtraData) {
  Ledger ledger = open_ledger();
  BlockWrite genesis = make_block(0, Hash256{}, 0);
  genesis.block.header.extra_data = Bytes{0x01, 0x02};
  const auto refused = ledger.commit(genesis);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("extra data of block 0"), std::string::npos)
      << refused.error();
  EXPECT_FALSE(ledger.head());
}

TEST_F(LedgerTest, RefusesBlocksThatDoNotExtendTheHead) {
  Ledger ledger = open_ledger();
  const Hash256 head = commit_chain(ledger, 2);
  EXPECT_FALSE(ledger.commit(make_block(3, head, 1)));
  EXPECT_FALSE(ledger.commit(make_block(1, head, 1)));
  const auto orphan = ledger.commit(make_block(2, filled(0x01), 1));
  ASSERT_FALSE(orphan);
  EXPECT_NE(orphan.error().message.find("does not extend"), std::string::npos);
  BlockWrite missing_receipt = make_block(2, head, 2);
  missing_receipt.receipts.pop_back();
  EXPECT_FALSE(ledger.commit(missing_receipt));
  EXPECT_EQ(ledger.head()->block_number, 1U);
}

std::int64_t rows_of_block(Ledger& ledger, const char* table, std::uint64_t block_number) {
  auto count = ledger.database().prepare(std::string("SELECT count(*) FROM ") + table +
                                         " WHERE block_number = ?1");
  EXPECT_TRUE(count);
  EXPECT_TRUE(count->bind(1, static_cast<std::int64_t>(block_number)));
  EXPECT_TRUE(count->step().value_or(false));
  return count->column_int64(0);
}

std::int64_t count_rows(Ledger& ledger, const char* table) {
  auto count = ledger.database().prepare(std::string("SELECT count(*) FROM ") + table);
  EXPECT_TRUE(count && count->step().value_or(false));
  return count->column_int64(0);
}

TEST_F(LedgerTest, AFailedCommitLeavesNothingBehind) {
  Ledger ledger = open_ledger();
  const Hash256 head = commit_chain(ledger, 2);
  const std::int64_t nodes = count_rows(ledger, "trie_nodes");
  const std::int64_t code = count_rows(ledger, "code");
  // The very last write of a commit, the head row, fails: everything before it must vanish.
  ASSERT_TRUE(ledger.database().execute(
      "CREATE TEMP TRIGGER fail_head BEFORE UPDATE ON head BEGIN SELECT RAISE(ABORT, 'no'); END;"));
  BlockWrite write = make_block(2, head, 3);
  write.code.emplace_back(filled(0xcd), Bytes{0x60, 0x01});
  ASSERT_FALSE(ledger.commit(write));
  EXPECT_EQ(ledger.head()->block_number, 1U);
  for (const char* table : {"blocks", "txs", "receipts", "logs"}) {
    EXPECT_EQ(rows_of_block(ledger, table, 2), 0) << table;
  }
  EXPECT_EQ(count_rows(ledger, "trie_nodes"), nodes);
  EXPECT_EQ(count_rows(ledger, "code"), code);
  EXPECT_FALSE(ledger.database().in_transaction());

  ASSERT_TRUE(ledger.database().execute("DROP TRIGGER fail_head;"));
  EXPECT_TRUE(ledger.commit(write));
  EXPECT_EQ(rows_of_block(ledger, "logs", 2), 3);
}

TEST_F(LedgerTest, ADuplicateTransactionInABlockIsRefusedWhole) {
  Ledger ledger = open_ledger();
  const Hash256 head = commit_chain(ledger, 2);
  BlockWrite duplicate = make_block(2, head, 2);
  duplicate.block.txs[1] = duplicate.block.txs[0];
  const auto refused = ledger.commit(duplicate);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("transaction 1 of block 2"), std::string::npos)
      << refused.error();
  EXPECT_EQ(refused.error().code, Errc::already_exists);
  EXPECT_EQ(rows_of_block(ledger, "blocks", 2), 0);
  EXPECT_TRUE(ledger.commit(make_block(2, head, 2)));
}

TEST_F(LedgerTest, AReaderSeesBlocksCommittedAfterItsReads) {
  Ledger writer = open_ledger();
  commit_chain(writer, 2);
  auto reader = Ledger::open(dir_ / "ledger.db", kSuite, {.read_only = true});
  ASSERT_TRUE(reader);
  ASSERT_TRUE(reader->header_by_number(0).value());  // a read that once pinned the snapshot
  const BlockWrite next = make_block(2, writer.head()->hash, 1);
  ASSERT_TRUE(writer.commit(next));

  EXPECT_EQ(reader->head()->block_number, 1U);  // until it looks again
  ASSERT_TRUE(reader->refresh_head());
  EXPECT_EQ(reader->head()->block_number, 2U);
  EXPECT_EQ(reader->tx_location(kSuite.hash(next.block.txs[0])).value(), (TxLocation{2, 0}));
  EXPECT_TRUE(reader->receipt(2, 0).value());
}

TEST_F(LedgerTest, ReadsDoNotHoldTheWalOpen) {
  Ledger ledger = open_ledger();
  Hash256 head = commit_chain(ledger, 1);
  ASSERT_TRUE(ledger.header_by_number(0).value());
  ASSERT_TRUE(ledger.block_by_hash(head).value());
  for (std::uint64_t n = 1; n < 250; ++n) {  // make_block keeps tx hashes unique below 256
    const BlockWrite write = make_block(n, head, 3);
    ASSERT_TRUE(ledger.commit(write));
    head = digest(write.block.header);
    ASSERT_TRUE(ledger.receipt(n, 0).value());
  }
  // SQLite checkpoints every 1,000 pages (4 MiB) when no reader pins the log; a pinned log grows
  // with every commit instead.
  const auto wal = std::filesystem::file_size(dir_ / "ledger.db-wal");
  EXPECT_LT(wal, std::uintmax_t{8} << 20) << wal << " bytes of WAL";
}

TEST_F(LedgerTest, FindsLogsByRangeAddressAndTopics) {
  Ledger ledger = open_ledger();
  commit_chain(ledger, 4);  // blocks 0..3, three txs each, one log per tx

  const auto range = ledger.logs(blocks(1, 2)).value();
  ASSERT_EQ(range.size(), 6U);
  EXPECT_EQ(range[0].block_number, 1U);
  EXPECT_EQ(range[5].block_number, 2U);
  EXPECT_EQ(range[4].log_index, 1U);
  EXPECT_EQ(range[4].tx_index, 1U);
  const Block block2 = ledger.block_by_number(2).value().value();
  EXPECT_EQ(range[4].block_hash, digest(block2.header));
  EXPECT_EQ(range[4].tx_hash, kSuite.hash(block2.txs[1]));
  EXPECT_EQ(range[4].log, ledger.receipt(2, 1).value()->logs[0]);

  Address one;
  one.bytes.fill(1);
  LogFilter from_one = blocks(0, 3);
  from_one.addresses = {one};
  const auto by_address = ledger.logs(from_one).value();
  ASSERT_EQ(by_address.size(), 4U);
  for (const LogEntry& entry : by_address)
    EXPECT_EQ(entry.log.address, one);

  LogFilter by_topic = blocks(0, 3);
  by_topic.topics[0] = {filled(0xaa)};
  by_topic.topics[1] = {filled(0), filled(2)};
  const auto topics = ledger.logs(by_topic).value();
  ASSERT_EQ(topics.size(), 6U);
  EXPECT_EQ(topics.front().block_number, 0U);
  EXPECT_EQ(topics.back().block_number, 2U);

  by_topic.topics[2] = {filled(0xaa)};  // no log has a third topic
  EXPECT_TRUE(ledger.logs(by_topic).value().empty());
}

TEST_F(LedgerTest, BoundsLogQueries) {
  Ledger ledger = open_ledger();
  ASSERT_TRUE(ledger.commit(make_block(0, Hash256{}, kMaxLogResults + 1)));
  const auto too_many = ledger.logs(blocks(0, 0));
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, Errc::limit_exceeded);
  LogFilter narrow = blocks(0, 0);
  narrow.topics[0] = {filled(0xaa)};
  narrow.addresses = {Address{}};
  EXPECT_EQ(ledger.logs(narrow).value().size(), 40U);  // tx indexes 0, 256, ... have address 0

  EXPECT_EQ(ledger.logs(blocks(2, 1)).error().code, Errc::invalid_argument);
  LogFilter crowded = blocks(0, 0);
  crowded.addresses.assign(kMaxFilterAddresses + 1, Address{});
  EXPECT_EQ(ledger.logs(crowded).error().code, Errc::limit_exceeded);
}

TEST_F(LedgerTest, ReopensAtItsHead) {
  Hash256 head;
  {
    Ledger ledger = open_ledger();
    head = commit_chain(ledger, 5);
  }
  Ledger reopened = open_ledger();
  EXPECT_EQ(reopened.head(), (Head{4, head}));
  auto read_only = Ledger::open(dir_ / "ledger.db", kSuite, {.read_only = true});
  ASSERT_TRUE(read_only) << read_only.error();
  EXPECT_EQ(read_only->head(), (Head{4, head}));
}

TEST_F(LedgerTest, RefusesAFileOfAnotherSuite) {
  { Ledger ledger = open_ledger(); }
  const auto guomi = Ledger::open(dir_ / "ledger.db", CryptoSuite(SuiteId::guomi));
  ASSERT_FALSE(guomi);
  EXPECT_NE(guomi.error().message.find("standard chain"), std::string::npos);
}

TEST_F(LedgerTest, SaysClearlyWhenTheHeadIsDamaged) {
  {
    Ledger ledger = open_ledger();
    commit_chain(ledger, 3);
    ASSERT_TRUE(ledger.database().execute("UPDATE head SET hash = zeroblob(32);"));
  }
  const auto wrong_hash = Ledger::open(dir_ / "ledger.db", kSuite);
  ASSERT_FALSE(wrong_hash);
  EXPECT_EQ(wrong_hash.error().code, Errc::corrupted);
  EXPECT_NE(wrong_hash.error().message.find("does not hash to the head"), std::string::npos);
}

TEST_F(LedgerTest, SaysClearlyWhenBlocksOutrunTheHead) {
  {
    Ledger ledger = open_ledger();
    commit_chain(ledger, 3);
    ASSERT_TRUE(ledger.database().execute("UPDATE head SET block_number = 1;"));
  }
  const auto behind = Ledger::open(dir_ / "ledger.db", kSuite);
  ASSERT_FALSE(behind);
  EXPECT_EQ(behind.error().code, Errc::corrupted);
  EXPECT_NE(behind.error().message.find("head is block 1 but block 2 is stored"), std::string::npos)
      << behind.error();
}

TEST_F(LedgerTest, RefusesAnotherDatabaseWithoutTouchingIt) {
  {
    auto other = sqlite::Database::open(dir_ / "ledger.db");
    ASSERT_TRUE(other);
    ASSERT_TRUE(other->execute("CREATE TABLE accounts (id INTEGER);"));
  }
  const auto refused = Ledger::open(dir_ / "ledger.db", kSuite);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("something else"), std::string::npos);
  auto other = sqlite::Database::open(dir_ / "ledger.db");
  auto tables = other->prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  ASSERT_TRUE(tables->step().value());
  EXPECT_EQ(tables->column_int64(0), 1);
}

TEST_F(LedgerTest, SaysClearlyWhenBlocksHaveNoHead) {
  {
    Ledger ledger = open_ledger();
    commit_chain(ledger, 2);
    ASSERT_TRUE(ledger.database().execute("DELETE FROM head;"));
  }
  const auto headless = Ledger::open(dir_ / "ledger.db", kSuite);
  ASSERT_FALSE(headless);
  EXPECT_EQ(headless.error().code, Errc::corrupted);
  EXPECT_NE(headless.error().message.find("no head"), std::string::npos);
}

TEST_F(LedgerTest, SaysClearlyWhenTheHeadStateIsMissing) {
  {
    Ledger ledger = open_ledger();
    commit_chain(ledger, 2);
    ASSERT_TRUE(ledger.database().execute("DELETE FROM trie_nodes;"));
  }
  const auto stateless = Ledger::open(dir_ / "ledger.db", kSuite);
  ASSERT_FALSE(stateless);
  EXPECT_NE(stateless.error().message.find("state root of head block 1 is not stored"),
            std::string::npos);
}

TEST_F(LedgerTest, RefusesVersionOneFilesKeyedBySealedHash) {
  {
    Ledger ledger = open_ledger();
    ASSERT_TRUE(
        ledger.database().execute("UPDATE meta SET value = '1' WHERE key = 'format_version';"));
  }
  const auto old = Ledger::open(dir_ / "ledger.db", kSuite);
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().code, Errc::unsupported);
  EXPECT_NE(old.error().message.find("format version '1'"), std::string::npos) << old.error();
}

TEST_F(LedgerTest, RefusesAnotherFormatVersion) {
  {
    Ledger ledger = open_ledger();
    ASSERT_TRUE(
        ledger.database().execute("UPDATE meta SET value = '99' WHERE key = 'format_version';"));
  }
  {
    auto database = sqlite::Database::open(dir_ / "ledger.db");
    ASSERT_TRUE(database->execute("DROP INDEX logs_by_topic3;"));
  }
  const auto newer = Ledger::open(dir_ / "ledger.db", kSuite);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, Errc::unsupported);
  // Refused before anything was written: the dropped index is still gone.
  auto database = sqlite::Database::open(dir_ / "ledger.db");
  auto index =
      database->prepare("SELECT count(*) FROM sqlite_master WHERE name = 'logs_by_topic3'");
  ASSERT_TRUE(index->step().value());
  EXPECT_EQ(index->column_int64(0), 0);
}

}  // namespace
}  // namespace tally::chain
