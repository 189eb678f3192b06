#pragma once
// Whether a block is final, from the block and the validator set alone (no peer, no ledger): its
// extra_data names exactly this validator set and carries at least a quorum of commit seals, each
// a valid signature over commit_seal_hash(digest, round) by a distinct validator. A seal from
// anyone else, a repeated signer or an unreadable seal refuses the block: a sealed block is
// written once by an honest node and never needs to be lenient.

#include <tally/chain/block.hpp>
#include <tally/chain/validator_set.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

Result<void> verify_finality(const Block& block,
                             const ValidatorSet& validators,
                             const CryptoSuite& suite);

}  // namespace tally::chain
