#pragma once
// A block as Ethereum encodes it: rlp([header, [transactions...], ommers]). Transactions are kept
// as their raw signed bytes (a legacy one is itself an RLP list and is embedded as such; a typed
// one is a byte string), so the block's bytes, its transactionsRoot and every tx hash come from
// the same bytes the senders signed. This chain has no ommers: the list is always empty.

#include <vector>

#include <tally/chain/block_header.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

// A block's transactions are bounded by its gas limit; this caps what a hostile peer can make us
// hold before that check.
inline constexpr std::size_t kMaxBlockTxs = 100'000;

struct Block {
  BlockHeader header;
  std::vector<Bytes> txs;  // raw signed transactions, in block order

  Bytes encode() const;
  // Strict: the three parts, canonical, an empty ommers list, every legacy tx a single RLP list.
  static Result<Block> decode(BytesView encoded);

  bool operator==(const Block&) const = default;
};

}  // namespace tally::chain
