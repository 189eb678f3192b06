#include <tally/chain/block.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

Bytes Block::encode() const {
  RlpWriter writer;
  writer.begin_list();
  writer.add_raw(header.encode());
  writer.begin_list();
  for (const Bytes& tx : txs) {
    // Typed transactions start with their type byte (below 0xc0) and travel as strings.
    if (!tx.empty() && tx[0] >= 0xc0) {
      writer.add_raw(tx);
    } else {
      writer.add_string(tx);
    }
  }
  writer.end_list();
  writer.begin_list();  // ommers
  writer.end_list();
  writer.end_list();
  return writer.finish();
}

Result<Block> Block::decode(BytesView encoded) {
  TALLY_TRY(RlpReader reader, in_context(rlp_open_list(encoded), "block"));
  Block block;
  TALLY_TRY(const BytesView header, in_context(reader.read_raw(), "block: header"));
  TALLY_TRY(block.header, BlockHeader::decode(header));

  TALLY_TRY(RlpReader txs, in_context(reader.read_list(), "block: transactions"));
  while (!txs.at_end()) {
    if (block.txs.size() == kMaxBlockTxs) {
      return fail(Errc::limit_exceeded,
                  str_cat("block: more than ", kMaxBlockTxs, " transactions"));
    }
    const std::string where = str_cat("block: transaction ", block.txs.size());
    TALLY_TRY(const RlpKind kind, in_context(txs.peek_kind(), where));
    // A legacy tx is the whole list item; a typed one is the string's payload.
    TALLY_TRY(const BytesView tx,
              in_context(kind == RlpKind::list ? txs.read_raw() : txs.read_string(), where));
    if (kind == RlpKind::string && (tx.empty() || tx[0] >= 0x80)) {
      return fail(Errc::malformed,
                  str_cat(where, ": a typed transaction must start with its type"));
    }
    block.txs.emplace_back(tx.begin(), tx.end());
  }

  TALLY_TRY(RlpReader ommers, in_context(reader.read_list(), "block: ommers"));
  if (!ommers.at_end())
    return fail(Errc::unsupported, "block: this chain has no ommers");
  TALLY_TRY_VOID(in_context(reader.finish(), "block: after ommers"));
  return block;
}

}  // namespace tally::chain
