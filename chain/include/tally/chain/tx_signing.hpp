#pragma once
// Signing a tx and recovering its sender.
//
// What is signed (the same rule in both suites, with the suite's hash H: Keccak-256 or SM3):
//   legacy without a chain id:  H(rlp([nonce, gasPrice, gasLimit, to, value, data]))
//   legacy with a chain id:     H(rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0]))
//                               (EIP-155; every guomi legacy tx has a chain id)
//   typed:                      H(type || rlp([the envelope's fields before the signature]))
// CryptoSuite::sign then signs that 32-byte hash (ECDSA digest; SM2 message, see crypto_suite.hpp).
//
// Threads. Sender recovery is the expensive step of admitting a tx (an EC recovery or an SM2
// verification), so it is done once and its result kept: recover_sender() takes a Transaction and
// gives back a VerifiedTx holding the tx and its sender. Both are immutable values with no lazy
// caches and recover_sender() is a pure function (the CryptoSuite is safe from any thread), so a tx
// pool may hand different txs to different threads, recover them in parallel, and share the
// results (std::shared_ptr<const VerifiedTx>) among readers without locks.

#include <tally/chain/transaction.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

// The bytes whose suite hash is signed. `fields` must pass check_tx_shape for some suite
// (asserted: a typed tx without a chain id cannot be encoded).
Bytes signing_payload(const TxFields& fields);
Hash256 signing_hash(CryptoSuite suite, const TxFields& fields);

// Signs `fields` with `key_pair` in the key pair's suite. invalid_argument for fields that
// check_tx_shape refuses.
Result<Transaction> sign_tx(TxFields fields, const KeyPair& key_pair);

// A tx whose signature verified, with its sender. Made only by recover_sender(), so holding one
// means the check was done; immutable, so it may be read from any number of threads.
class VerifiedTx {
 public:
  const Transaction& tx() const noexcept { return tx_; }
  // The last 20 bytes of the suite hash of the signer's public key.
  const Address& sender() const noexcept { return sender_; }
  const Hash256& hash() const noexcept { return tx_.hash(); }

  bool operator==(const VerifiedTx&) const = default;

 private:
  friend Result<VerifiedTx> recover_sender(Transaction tx);
  VerifiedTx(Transaction tx, const Address& sender) : tx_(std::move(tx)), sender_(sender) {}

  Transaction tx_;
  Address sender_;
};

// Who signed `tx`: standard recovers the public key from (v, r, s); guomi verifies the signature
// against the embedded public key, which is then the signer. verification_failed (or malformed,
// for a public key off the curve) when there is no signer.
Result<VerifiedTx> recover_sender(Transaction tx);

}  // namespace tally::chain
