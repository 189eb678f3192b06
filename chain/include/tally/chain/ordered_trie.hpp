#pragma once
// The root of a list committed as a trie keyed by rlp(index): Ethereum's transactionsRoot (values:
// the transactions' canonical encodings, typed ones as type byte || payload) and receiptsRoot
// (values: the receipts' encodings, typed likewise), in the chain's suite.

#include <span>

#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

// An empty list gives the empty trie root. Every value must be non-empty (asserted): an empty
// value would be no entry at all, and no encoded transaction or receipt is empty.
Hash256 ordered_trie_root(std::span<const Bytes> values, CryptoSuite suite);

}  // namespace tally::chain
