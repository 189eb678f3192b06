#pragma once
// The prepared statements of a Ledger (private to chain/src): prepared once when the ledger opens,
// reset and reused by every commit and read.

#include <memory>

#include <tally/chain/ledger.hpp>
#include <tally/core/sqlite.hpp>

namespace tally::chain {

struct Ledger::Statements {
  sqlite::Statement insert_block;
  sqlite::Statement insert_tx;
  sqlite::Statement insert_receipt;
  sqlite::Statement insert_log;
  sqlite::Statement insert_trie_node;
  sqlite::Statement insert_code;
  sqlite::Statement upsert_head;
  sqlite::Statement block_by_number;
  sqlite::Statement block_by_hash;
  sqlite::Statement tx_location;
  sqlite::Statement receipt;
  sqlite::Statement trie_node;
  sqlite::Statement code;

  static Result<std::unique_ptr<Statements>> prepare(sqlite::Database& db) {
    const auto p = [&db](std::string_view sql) { return db.prepare(sql); };
    TALLY_TRY(auto insert_block,
              p("INSERT INTO blocks (block_number, hash, header, body) VALUES (?1, ?2, ?3, ?4)"));
    TALLY_TRY(auto insert_tx,
              p("INSERT INTO txs (hash, block_number, tx_index) VALUES (?1, ?2, ?3)"));
    TALLY_TRY(auto insert_receipt,
              p("INSERT INTO receipts (block_number, tx_index, receipt) VALUES (?1, ?2, ?3)"));
    TALLY_TRY(auto insert_log,
              p("INSERT INTO logs (block_number, log_index, tx_index, address, topic0, topic1, "
                "topic2, topic3, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    TALLY_TRY(auto insert_trie_node,
              p("INSERT OR IGNORE INTO trie_nodes (hash, node) VALUES (?1, ?2)"));
    TALLY_TRY(auto insert_code, p("INSERT OR IGNORE INTO code (hash, code) VALUES (?1, ?2)"));
    TALLY_TRY(auto upsert_head, p("INSERT INTO head (id, block_number, hash) VALUES (1, ?1, ?2) "
                                  "ON CONFLICT (id) DO UPDATE SET block_number = ?1, hash = ?2"));
    TALLY_TRY(auto block_by_number, p("SELECT header, body FROM blocks WHERE block_number = ?1"));
    TALLY_TRY(auto block_by_hash, p("SELECT header, body FROM blocks WHERE hash = ?1"));
    TALLY_TRY(auto tx_location, p("SELECT block_number, tx_index FROM txs WHERE hash = ?1"));
    TALLY_TRY(auto receipt,
              p("SELECT receipt FROM receipts WHERE block_number = ?1 AND tx_index = ?2"));
    TALLY_TRY(auto trie_node, p("SELECT node FROM trie_nodes WHERE hash = ?1"));
    TALLY_TRY(auto code, p("SELECT code FROM code WHERE hash = ?1"));
    return std::unique_ptr<Statements>(new Statements{
        std::move(insert_block), std::move(insert_tx), std::move(insert_receipt),
        std::move(insert_log), std::move(insert_trie_node), std::move(insert_code),
        std::move(upsert_head), std::move(block_by_number), std::move(block_by_hash),
        std::move(tx_location), std::move(receipt), std::move(trie_node), std::move(code)});
  }
};

}  // namespace tally::chain
