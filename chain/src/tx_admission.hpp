#pragma once
// The part of tx admission that needs neither state nor the pool, and so runs on any thread:
// from raw bytes to a checked Transaction, then to its sender (tx_pool.hpp has the order).

#include <tally/chain/transaction.hpp>
#include <tally/chain/tx_pool.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

// Size, encoding, chain id and the stateless checks of tx_validation.hpp.
Result<Transaction> decode_pool_tx(const CryptoSuite& suite,
                                   const TxPoolConfig& config,
                                   BytesView raw_tx);

// The signature, then the sender's admission and the gas limit against the block's.
Result<VerifiedTx> verify_pool_tx(Transaction tx,
                                  const TxPoolConfig& config,
                                  const SenderAdmission& admitted);

// The sender's admission and the gas limit against the block's, for a tx whose sender is known.
Result<void> check_sender_and_gas(const VerifiedTx& tx,
                                  const TxPoolConfig& config,
                                  const SenderAdmission& admitted);

}  // namespace tally::chain
