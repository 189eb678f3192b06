// The read side of Ledger: blocks, headers, transaction locations, receipts, trie nodes, code.
#include <tally/chain/ledger.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>

#include "ledger_statements.hpp"

namespace tally::chain {
namespace {

// Rebuilds a block from its stored header and body (an RLP list of raw transactions).
Result<Block> assemble_block(BytesView header_bytes, BytesView body) {
  Block block;
  TALLY_TRY(block.header, in_context(BlockHeader::decode(header_bytes), "ledger: stored header"));
  TALLY_TRY(RlpReader txs, in_context(rlp_open_list(body), "ledger: stored body"));
  while (!txs.at_end()) {
    TALLY_TRY(const BytesView tx, in_context(txs.read_string(), "ledger: stored body"));
    block.txs.emplace_back(tx.begin(), tx.end());
  }
  return block;
}

// Stored data that fails to decode is damage, not bad input.
template <typename T>
Result<T> as_corruption(Result<T> result) {
  if (!result)
    result.error().code = Errc::corrupted;
  return result;
}

// The block of a bound "SELECT header, body" statement, if it has a row.
Result<std::optional<Block>> read_block(sqlite::Statement& select) {
  TALLY_TRY(const bool found, select.step());
  if (!found)
    return std::optional<Block>();
  TALLY_TRY(Block block,
            as_corruption(assemble_block(select.column_blob(0), select.column_blob(1))));
  return std::optional<Block>(std::move(block));
}

}  // namespace

Result<std::optional<Block>> Ledger::block_by_number(std::uint64_t block_number) {
  if (block_number > static_cast<std::uint64_t>(INT64_MAX))
    return std::optional<Block>();
  sqlite::Statement& select = statements_->block_by_number;
  select.reset();
  const sqlite::ResetOnExit done(select);
  TALLY_TRY_VOID(select.bind(1, static_cast<std::int64_t>(block_number)));
  return read_block(select);
}

Result<std::optional<Block>> Ledger::block_by_hash(const Hash256& hash) {
  sqlite::Statement& select = statements_->block_by_hash;
  select.reset();
  const sqlite::ResetOnExit done(select);
  TALLY_TRY_VOID(select.bind(1, hash.view()));
  return read_block(select);
}

Result<std::optional<BlockHeader>> Ledger::header_by_number(std::uint64_t block_number) {
  if (block_number > static_cast<std::uint64_t>(INT64_MAX))
    return std::optional<BlockHeader>();
  sqlite::Statement& select = statements_->block_by_number;
  select.reset();
  const sqlite::ResetOnExit done(select);
  TALLY_TRY_VOID(select.bind(1, static_cast<std::int64_t>(block_number)));
  TALLY_TRY(const bool found, select.step());
  if (!found)
    return std::optional<BlockHeader>();
  TALLY_TRY(BlockHeader header, as_corruption(in_context(BlockHeader::decode(select.column_blob(0)),
                                                         "ledger: stored header")));
  return std::optional<BlockHeader>(std::move(header));
}

Result<std::optional<TxLocation>> Ledger::tx_location(const Hash256& tx_hash) {
  sqlite::Statement& select = statements_->tx_location;
  select.reset();
  const sqlite::ResetOnExit done(select);
  TALLY_TRY_VOID(select.bind(1, tx_hash.view()));
  TALLY_TRY(const bool found, select.step());
  if (!found)
    return std::optional<TxLocation>();
  return std::optional<TxLocation>(TxLocation{static_cast<std::uint64_t>(select.column_int64(0)),
                                              static_cast<std::uint32_t>(select.column_int64(1))});
}

Result<std::optional<Receipt>> Ledger::receipt(std::uint64_t block_number, std::uint32_t tx_index) {
  if (block_number > static_cast<std::uint64_t>(INT64_MAX))
    return std::optional<Receipt>();
  sqlite::Statement& select = statements_->receipt;
  select.reset();
  const sqlite::ResetOnExit done(select);
  TALLY_TRY_VOID(select.bind(1, static_cast<std::int64_t>(block_number)));
  TALLY_TRY_VOID(select.bind(2, std::int64_t{tx_index}));
  TALLY_TRY(const bool found, select.step());
  if (!found)
    return std::optional<Receipt>();
  TALLY_TRY(Receipt receipt, as_corruption(in_context(Receipt::decode(select.column_blob(0)),
                                                      "ledger: stored receipt")));
  return std::optional<Receipt>(std::move(receipt));
}

Result<std::optional<Bytes>> Ledger::trie_node(const Hash256& hash) {
  return blob_by_key(statements_->trie_node, hash.view());
}

Result<std::optional<Bytes>> Ledger::code(const Hash256& code_hash) {
  return blob_by_key(statements_->code, code_hash.view());
}

Result<std::optional<Bytes>> Ledger::blob_by_key(sqlite::Statement& select, BytesView key) {
  select.reset();
  const sqlite::ResetOnExit done(select);
  TALLY_TRY_VOID(select.bind(1, key));
  TALLY_TRY(const bool found, select.step());
  if (!found)
    return std::optional<Bytes>();
  const BytesView blob = select.column_blob(0);
  return std::optional<Bytes>(Bytes(blob.begin(), blob.end()));
}

}  // namespace tally::chain
