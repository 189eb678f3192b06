#include <tally/chain/tx_gossip.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/rlp_decode.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

Bytes encode_tx_gossip(std::span<const Bytes> raw_txs) {
  TALLY_ASSERT(raw_txs.size() <= kMaxGossipTxs);
  RlpWriter writer;
  writer.begin_list();
  for (const Bytes& tx : raw_txs) {
    TALLY_ASSERT(tx.size() <= kMaxGossipTxBytes);
    writer.add_string(tx);
  }
  writer.end_list();
  return writer.finish();
}

std::vector<std::vector<Bytes>> gossip_batches(std::span<const Bytes> raw_txs) {
  std::vector<std::vector<Bytes>> batches;
  for (const Bytes& tx : raw_txs) {
    if (tx.size() > kMaxGossipTxBytes)
      continue;
    if (batches.empty() || batches.back().size() == kMaxGossipTxs)
      batches.emplace_back();
    batches.back().push_back(tx);
  }
  return batches;
}

Result<std::vector<Bytes>> decode_tx_gossip(BytesView payload) {
  TALLY_TRY(RlpReader list, in_context(rlp_open_list(payload), "tx gossip"));
  std::vector<Bytes> txs;
  while (!list.at_end()) {
    if (txs.size() == kMaxGossipTxs)
      return fail(Errc::limit_exceeded, str_cat("tx gossip: more than ", kMaxGossipTxs, " txs"));
    const std::size_t offset = list.offset();
    TALLY_TRY(BytesView tx, in_context(list.read_string(), str_cat("tx gossip: tx ", txs.size())));
    if (tx.size() > kMaxGossipTxBytes) {
      return fail(Errc::limit_exceeded, str_cat("tx gossip: tx ", txs.size(), " at offset ", offset,
                                                " has ", tx.size(), " bytes"));
    }
    txs.emplace_back(tx.begin(), tx.end());
  }
  return txs;
}

}  // namespace tally::chain
