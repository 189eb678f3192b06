#pragma once
// Whether a decoded consensus message (signatures already recovered) is acceptable at the
// block_number being decided. Pure functions of the message and what the node knows, each failure
// a value naming the rule, so every rule has its own test (test/chain/qbft_checks_test.cpp).
// Round windows (stale, far future) are the engine's business, not these checks'.

#include <cstdint>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/chain/qbft_message.hpp>
#include <tally/chain/signer_cache.hpp>
#include <tally/chain/validator_set.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

// A proposed block may be stamped this far past the receiver's clock.
inline constexpr std::uint64_t kMaxClockDriftMs = 15'000;

struct CheckContext {
  const ValidatorSet& validators;
  const CryptoSuite& suite;
  std::uint64_t block_number = 0;  // being decided
  const BlockHeader& parent;       // the last final block
  Hash256 parent_digest;
  std::uint64_t block_period_s = 0;
  std::uint64_t now_ms = 0;
  SignerCache& signers;  // for commit seals
};

// A block fit to be proposed on the parent: its number, parent link, consensus extra data (this
// validator set, round 0, no seals), a validator as beneficiary, a timestamp at least one block
// period after the parent's and not in the future, at least one tx, and a transactions_root
// that is the txs' (the digest covers the header only). Returns its digest.
Result<Hash256> check_block(const Block& block, const CheckContext& context);

// At least a quorum of prepares from distinct validators for (block_number, round, digest).
Result<void> check_prepares(const std::vector<SignedPayload>& prepares,
                            std::uint32_t round,
                            const Hash256& digest,
                            const CheckContext& context);

// From the round's proposer, for this block_number, its block fit (check_block) and its digest
// the payload's; in round 0 without justification, above it justified: a quorum of round changes
// for this round from distinct validators, and when any reports a prepared block, this block is
// the one prepared in the highest such round, shown by a quorum of prepares.
Result<Hash256> check_proposal(const Message& proposal, const CheckContext& context);

// From a validator, for this block_number and a round above 0; a prepared round below the round,
// with the prepared block fit and a quorum of prepares for it.
Result<void> check_round_change(const Message& round_change, const CheckContext& context);

// A prepare or commit from a validator for this block_number; a commit's seal is its signer's
// signature over commit_seal_hash(digest, round).
Result<void> check_vote(const Message& vote, const CheckContext& context);

}  // namespace tally::chain
