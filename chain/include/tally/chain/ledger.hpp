#pragma once
// A node's ledger on SQLite (schemas/sql/ledger.sql): blocks, where each transaction is, receipts,
// logs indexed for eth_getLogs, the state's trie nodes and contract code, and the head.
//
// Crash safety: commit() writes one whole block (its body, indexes, receipts, logs, the new trie
// nodes and code, and the head row, last) in ONE database transaction. SQLite's WAL makes that
// transaction atomic: after a crash the ledger reopens at the last committed block, never part of
// one. Durability::full (the default) also makes a returned commit survive a power cut;
// Durability::normal may lose the last commits on power loss (never tear one), which a validator
// can afford because its peers hold every final block. open() checks the head against the blocks
// and says clearly when the file is damaged.
//
// One Ledger is one connection: use it from one thread at a time.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/chain/log_filter.hpp>
#include <tally/chain/node_store.hpp>
#include <tally/chain/receipt.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/sqlite.hpp>

namespace tally::chain {

// The on-disk format this code reads and writes (meta.format_version). Version 2 keys blocks by
// their digest (block_seal.hpp); version 1 files (keyed by the sealed header's hash) are refused.
inline constexpr std::int64_t kLedgerFormatVersion = 2;

// Everything one block adds to the ledger, written together or not at all.
struct BlockWrite {
  Block block;
  std::vector<Receipt> receipts;  // one per transaction, in block order
  NodeBatch trie_nodes;           // new nodes of the state and storage tries (WorldState::commit)
  CodeBatch code;                 // new contract code by its code hash
};

struct Head {
  std::uint64_t block_number = 0;
  Hash256 hash;  // the block's digest
  bool operator==(const Head&) const = default;
};

struct TxLocation {
  std::uint64_t block_number = 0;
  std::uint32_t tx_index = 0;
  bool operator==(const TxLocation&) const = default;
};

class Ledger {
 public:
  struct Options {
    sqlite::Durability durability = sqlite::Durability::full;
    bool read_only = false;
    // SQLite's page cache: interior pages of the trie node and index B-trees stay in memory.
    std::int64_t cache_kib = 256 * 1024;
  };

  // Opens or creates the ledger file of a chain using `suite`. An existing file must be of this
  // format version and suite, and its head must be consistent; otherwise corrupted (or
  // unsupported for another version), with what is wrong.
  static Result<Ledger> open(const std::filesystem::path& path,
                             const CryptoSuite& suite,
                             const Options& options);
  static Result<Ledger> open(const std::filesystem::path& path, const CryptoSuite& suite) {
    return open(path, suite, Options{});
  }

  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

  const CryptoSuite& suite() const noexcept { return suite_; }
  // The last whole block; none before genesis is committed.
  const std::optional<Head>& head() const noexcept { return head_; }

  // Reads the head again: a reader (read-only, or another connection than the writer's) sees the
  // blocks committed since it opened.
  Result<void> refresh_head();

  // Appends the next block: genesis (block 0, any parent) on an empty ledger, else head + 1 whose
  // parent hash is the head's hash. One receipt per transaction. Nothing is written on failure.
  // A block is stored and linked under its digest, block_digest(header, suite) (so its
  // extra_data must be a ConsensusExtra); the sealed header, seals included, is what is stored
  // and read back. Two copies of a block with different seal sets are the same block.
  Result<void> commit(const BlockWrite& write);

  Result<std::optional<Block>> block_by_number(std::uint64_t block_number);
  // By digest (block_seal.hpp), the hash RPC and sync name a block by.
  Result<std::optional<Block>> block_by_hash(const Hash256& hash);
  Result<std::optional<BlockHeader>> header_by_number(std::uint64_t block_number);
  Result<std::optional<TxLocation>> tx_location(const Hash256& tx_hash);
  Result<std::optional<Receipt>> receipt(std::uint64_t block_number, std::uint32_t tx_index);
  // The logs `filter` selects, in chain order. More than kMaxLogResults, or more addresses or
  // topics than the filter bounds allow, is limit_exceeded: narrow the range.
  Result<std::vector<LogEntry>> logs(const LogFilter& filter);
  Result<std::optional<Bytes>> trie_node(const Hash256& hash);
  Result<std::optional<Bytes>> code(const Hash256& code_hash);

  sqlite::Database& database() noexcept { return database_; }

 private:
  struct Statements;  // prepared once at open, reused by every commit and read

  Ledger(sqlite::Database database, const CryptoSuite& suite);

  struct Stamp;
  Result<Stamp> read_stamp();
  Result<void> initialise_or_check(bool read_only);
  Result<void> load_head();
  Result<void> check_next(const Block& block) const;
  Result<void> write_block(const BlockWrite& write, const Hash256& block_hash);
  Result<void> write_logs(const BlockWrite& write);
  Result<void> write_state(const BlockWrite& write);

  Result<std::optional<Bytes>> blob_by_key(sqlite::Statement& statement, BytesView key);

  sqlite::Database database_;
  CryptoSuite suite_;
  std::unique_ptr<Statements> statements_;
  std::optional<Head> head_;
};

}  // namespace tally::chain
