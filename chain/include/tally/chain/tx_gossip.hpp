#pragma once
// What a node sends its peers on the txs channel (peer_frame.hpp): the txs its clients submitted
// and its pool accepted, as rlp([tx, tx, ...]) where each tx is its wire encoding
// (transaction.hpp) as an RLP string. A receiver admits them into its own pool like a client's
// (every check again: a peer is not trusted), and does not pass them on: every node sends its
// clients' txs to every peer itself. Bounded: at most kMaxGossipTxs txs of at most
// kMaxGossipTxBytes each; a message beyond either is refused whole.

#include <cstddef>
#include <span>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

inline constexpr std::size_t kMaxGossipTxs = 4096;
inline constexpr std::size_t kMaxGossipTxBytes = 128 * 1024;

// Asserts the bounds: the sender splits larger batches (gossip_batches).
Bytes encode_tx_gossip(std::span<const Bytes> raw_txs);
// The batches of at most kMaxGossipTxs txs (and txs longer than kMaxGossipTxBytes left out: no
// pool admits them) that encode_tx_gossip takes.
std::vector<std::vector<Bytes>> gossip_batches(std::span<const Bytes> raw_txs);
// malformed (with the offset) or limit_exceeded.
Result<std::vector<Bytes>> decode_tx_gossip(BytesView payload);

}  // namespace tally::chain
