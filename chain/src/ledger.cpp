#include <tally/chain/block_seal.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/schemas/schemas.hpp>

#include "ledger_statements.hpp"

namespace tally::chain {
namespace {

// SQLite integers are signed 64-bit; block numbers beyond that cannot be stored.
std::int64_t as_sql(std::uint64_t value) {
  TALLY_ASSERT(value <= static_cast<std::uint64_t>(INT64_MAX));
  return static_cast<std::int64_t>(value);
}

Error corrupted(std::string_view what) {
  return Error{Errc::corrupted, str_cat("ledger: ", what)};
}

}  // namespace

Ledger::Ledger(sqlite::Database database, const CryptoSuite& suite)
    : database_(std::move(database)), suite_(suite) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

Result<Ledger> Ledger::open(const std::filesystem::path& path,
                            const CryptoSuite& suite,
                            const Options& options) {
  TALLY_TRY(auto database, sqlite::Database::open(path, {.read_only = options.read_only,
                                                         .create = !options.read_only,
                                                         .durability = options.durability,
                                                         .cache_kib = options.cache_kib}));
  Ledger ledger(std::move(database), suite);
  TALLY_TRY_VOID(ledger.initialise_or_check(options.read_only));
  TALLY_TRY(ledger.statements_, Statements::prepare(ledger.database_));
  TALLY_TRY_VOID(ledger.load_head());
  return ledger;
}

// What the file already holds, read before anything is written to it.
struct Ledger::Stamp {
  bool has_tables = false;  // any table at all: an empty file is the only one we may initialise
  bool has_meta = false;
  std::string version;
  std::string suite;
};

Result<Ledger::Stamp> Ledger::read_stamp() {
  Stamp stamp;
  TALLY_TRY(auto tables, database_.prepare("SELECT name FROM sqlite_master WHERE type = 'table'"));
  for (;;) {
    TALLY_TRY(const bool row, tables.step());
    if (!row)
      break;
    stamp.has_tables = true;
    if (tables.column_text(0) == "meta")
      stamp.has_meta = true;
  }
  if (!stamp.has_meta)
    return stamp;
  TALLY_TRY(auto meta, database_.prepare("SELECT key, CAST(value AS TEXT) FROM meta"));
  for (;;) {
    TALLY_TRY(const bool row, meta.step());
    if (!row)
      break;
    if (meta.column_text(0) == "format_version")
      stamp.version = meta.column_text(1);
    if (meta.column_text(0) == "suite")
      stamp.suite = meta.column_text(1);
  }
  return stamp;
}

Result<void> Ledger::initialise_or_check(bool read_only) {
  TALLY_TRY(Stamp stamp, read_stamp());
  if (!stamp.has_meta) {
    if (stamp.has_tables) {
      return fail(Errc::invalid_argument,
                  "ledger: the file is an SQLite database of something else");
    }
    if (read_only)
      return fail(Errc::not_found, "ledger: the file holds no ledger");
    // Creating the tables and stamping the format happen together, or not at all.
    const auto ddl = schemas::find("sql/ledger.sql");
    TALLY_ASSERT(ddl.has_value());
    TALLY_TRY(auto db_txn, sqlite::Transaction::begin(database_));
    TALLY_TRY_VOID(database_.execute(*ddl));
    TALLY_TRY(auto insert, database_.prepare("INSERT INTO meta (key, value) VALUES "
                                             "('format_version', ?1), ('suite', ?2)"));
    TALLY_TRY_VOID(insert.bind_text(1, str_cat(kLedgerFormatVersion)));
    TALLY_TRY_VOID(insert.bind_text(2, suite_.name()));
    TALLY_TRY_VOID(insert.run());
    TALLY_TRY_VOID(db_txn.commit());
    return {};
  }
  if (stamp.version != str_cat(kLedgerFormatVersion)) {
    return fail(Errc::unsupported, str_cat("ledger: format version '", stamp.version,
                                           "', this build reads ", kLedgerFormatVersion));
  }
  if (stamp.suite != suite_.name()) {
    return fail(Errc::invalid_argument, str_cat("ledger: the file belongs to a ", stamp.suite,
                                                " chain, not ", suite_.name()));
  }
  return {};
}

Result<void> Ledger::load_head() {
  TALLY_TRY(auto select, database_.prepare("SELECT block_number, hash FROM head WHERE id = 1"));
  TALLY_TRY(const bool has_head, select.step());
  TALLY_TRY(auto highest, database_.prepare("SELECT max(block_number) FROM blocks"));
  TALLY_TRY(const bool unused, highest.step());
  (void)unused;
  const bool has_blocks = !highest.is_null(0);
  if (!has_head) {
    if (has_blocks)
      return std::unexpected(corrupted("blocks are stored but no head"));
    head_.reset();
    return {};
  }
  const std::int64_t number = select.column_int64(0);
  if (number < 0)
    return std::unexpected(corrupted("negative head block number"));
  TALLY_TRY(const Hash256 hash,
            in_context(Hash256::from_span(select.column_blob(1)), "ledger: head hash"));
  if (highest.column_int64(0) != number) {
    return std::unexpected(corrupted(
        str_cat("head is block ", number, " but block ", highest.column_int64(0), " is stored")));
  }
  const Head head{static_cast<std::uint64_t>(number), hash};
  TALLY_TRY(const auto header, header_by_number(head.block_number));
  if (!header)
    return std::unexpected(corrupted(str_cat("head block ", number, " is missing")));
  const auto digest = block_digest(*header, suite_);
  if (!digest)
    return std::unexpected(corrupted(str_cat("head block ", number, ": ", digest.error().message)));
  if (*digest != hash) {
    return std::unexpected(corrupted(str_cat("head block ", number, " does not hash to the head")));
  }
  // The head's state must be readable: its root node is stored (or the state is empty).
  if (header->state_root != empty_trie_root(suite_)) {
    TALLY_TRY(const auto root_node, trie_node(header->state_root));
    if (!root_node) {
      return std::unexpected(
          corrupted(str_cat("the state root of head block ", number, " is not stored")));
    }
  }
  head_ = head;
  return {};
}

Result<void> Ledger::refresh_head() {
  return load_head();
}

Result<void> Ledger::check_next(const Block& block) const {
  const std::uint64_t number = block.header.block_number;
  if (!head_) {
    if (number != 0) {
      return fail(Errc::invalid_argument,
                  str_cat("ledger: the first block must be genesis, got ", number));
    }
    return {};
  }
  if (number != head_->block_number + 1) {
    return fail(Errc::invalid_argument,
                str_cat("ledger: expected block ", head_->block_number + 1, ", got ", number));
  }
  if (block.header.parent_hash != head_->hash) {
    return fail(Errc::invalid_argument,
                str_cat("ledger: block ", number, " does not extend the head ", head_->hash.hex()));
  }
  return {};
}

Result<void> Ledger::commit(const BlockWrite& write) {
  TALLY_TRY_VOID(check_next(write.block));
  if (write.receipts.size() != write.block.txs.size()) {
    return fail(Errc::invalid_argument,
                str_cat("ledger: ", write.block.txs.size(), " transactions but ",
                        write.receipts.size(), " receipts"));
  }
  // A block's identity is its digest (block_seal.hpp), not the hash of the sealed header: two
  // nodes may hold the same final block with different quorums of seals.
  TALLY_TRY(const Hash256 block_hash,
            in_context(block_digest(write.block.header, suite_),
                       str_cat("ledger: extra data of block ", write.block.header.block_number)));
  TALLY_TRY(auto db_txn, sqlite::Transaction::begin(database_));
  TALLY_TRY_VOID(write_block(write, block_hash));
  TALLY_TRY_VOID(write_logs(write));
  TALLY_TRY_VOID(write_state(write));
  sqlite::Statement& head = statements_->upsert_head;
  head.reset();
  TALLY_TRY_VOID(head.bind(1, as_sql(write.block.header.block_number)));
  TALLY_TRY_VOID(head.bind(2, block_hash.view()));
  TALLY_TRY_VOID(head.run());
  TALLY_TRY_VOID(db_txn.commit());
  head_ = Head{write.block.header.block_number, block_hash};
  return {};
}

Result<void> Ledger::write_block(const BlockWrite& write, const Hash256& block_hash) {
  const std::int64_t number = as_sql(write.block.header.block_number);
  RlpWriter body;
  body.begin_list();
  for (const Bytes& tx : write.block.txs)
    body.add_string(tx);
  body.end_list();

  sqlite::Statement& block = statements_->insert_block;
  block.reset();
  TALLY_TRY_VOID(block.bind(1, number));
  TALLY_TRY_VOID(block.bind(2, block_hash.view()));
  TALLY_TRY_VOID(block.bind(3, write.block.header.encode()));
  TALLY_TRY_VOID(block.bind(4, body.finish()));
  TALLY_TRY_VOID(block.run());

  for (std::size_t i = 0; i < write.block.txs.size(); ++i) {
    const auto tx_index = static_cast<std::int64_t>(i);
    sqlite::Statement& tx = statements_->insert_tx;
    tx.reset();
    TALLY_TRY_VOID(tx.bind(1, suite_.hash(write.block.txs[i]).view()));
    TALLY_TRY_VOID(tx.bind(2, number));
    TALLY_TRY_VOID(tx.bind(3, tx_index));
    TALLY_TRY_VOID(in_context(tx.run(), str_cat("ledger: transaction ", i, " of block ", number)));

    sqlite::Statement& receipt = statements_->insert_receipt;
    receipt.reset();
    TALLY_TRY_VOID(receipt.bind(1, number));
    TALLY_TRY_VOID(receipt.bind(2, tx_index));
    TALLY_TRY_VOID(receipt.bind(3, write.receipts[i].encode()));
    TALLY_TRY_VOID(receipt.run());
  }
  return {};
}

Result<void> Ledger::write_logs(const BlockWrite& write) {
  const std::int64_t number = as_sql(write.block.header.block_number);
  std::int64_t log_index = 0;
  for (std::size_t i = 0; i < write.receipts.size(); ++i) {
    for (const Log& log : write.receipts[i].logs) {
      sqlite::Statement& insert = statements_->insert_log;
      insert.reset();
      TALLY_TRY_VOID(insert.bind(1, number));
      TALLY_TRY_VOID(insert.bind(2, log_index++));
      TALLY_TRY_VOID(insert.bind(3, static_cast<std::int64_t>(i)));
      TALLY_TRY_VOID(insert.bind(4, log.address.view()));
      for (std::size_t t = 0; t < kMaxTopics; ++t) {
        const int column = static_cast<int>(5 + t);
        if (t < log.topics.size()) {
          TALLY_TRY_VOID(insert.bind(column, log.topics[t].view()));
        } else {
          TALLY_TRY_VOID(insert.bind_null(column));
        }
      }
      TALLY_TRY_VOID(insert.bind(9, log.data));
      TALLY_TRY_VOID(insert.run());
    }
  }
  return {};
}

Result<void> Ledger::write_state(const BlockWrite& write) {
  // Content-addressed rows: one already stored (an unchanged subtree, shared code) is the same.
  const auto insert = [](sqlite::Statement& statement, const Hash256& hash,
                         BytesView blob) -> Result<void> {
    statement.reset();
    TALLY_TRY_VOID(statement.bind(1, hash.view()));
    TALLY_TRY_VOID(statement.bind(2, blob));
    return statement.run();
  };
  for (const NodeWrite& node : write.trie_nodes.nodes()) {
    TALLY_TRY_VOID(insert(statements_->insert_trie_node, node.hash, node.encoded));
  }
  for (const auto& [hash, code] : write.code) {
    TALLY_TRY_VOID(insert(statements_->insert_code, hash, code));
  }
  return {};
}

}  // namespace tally::chain
