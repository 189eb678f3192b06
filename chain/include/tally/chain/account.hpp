#pragma once
// An account of the world state, stored in the state trie as Ethereum stores it:
// rlp([nonce, balance, storage_root, code_hash]). The storage root is a trie root, so it uses the
// chain suite's hash; the code hash is Keccak-256 in both suites, because contracts read it
// (EXTCODEHASH, Solidity's address.codehash) and must behave the same on every chain.

#include <cstdint>

#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

// Keccak-256 of no code: c5d24601...a470.
Hash256 empty_code_hash();

struct Account {
  std::uint64_t nonce = 0;
  u256 balance;
  Hash256 storage_root;  // empty_trie_root(suite) for no storage
  Hash256 code_hash;     // empty_code_hash() for no code

  // A fresh account of `suite`: nonce 0, no balance, no storage, no code.
  static Account empty(const CryptoSuite& suite);

  // EIP-161: no nonce, no balance, no code (storage does not count).
  bool is_empty() const noexcept;

  Bytes encode() const;
  static Result<Account> decode(BytesView encoded);

  bool operator==(const Account&) const = default;
};

}  // namespace tally::chain
