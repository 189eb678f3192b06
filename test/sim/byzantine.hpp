#pragma once
// Byzantine validators. A byzantine node runs the honest engine (so it knows the block_number and
// round and holds real blocks) but the simulator passes everything it sends through tamper() and
// adds what forge() makes up, signed with its real validator key:
// - equivocate: as proposer, a different valid block (another timestamp) to half the validators;
// - conflicting_votes: prepares and commits (with valid seals) for another digest to half;
// - bad_signatures: some messages with a corrupted signature;
// - unknown_votes: prepares and commits for digests of blocks that do not exist;
// - flood: stale, far-future block_numbers and rounds, and the nearer future up to the buffers'
//   bounds.

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include <tally/chain/qbft_message.hpp>
#include <tally/core/crypto_suite.hpp>

#include "sim/invariants.hpp"

namespace tally::sim {

enum Misbehaviour : std::uint32_t {
  kEquivocate = 1,
  kConflictingVotes = 2,
  kBadSignatures = 4,
  kUnknownVotes = 8,
  kFlood = 16,
  kAllMisbehaviours = 31,
};

class ByzantineBehaviour {
 public:
  ByzantineBehaviour(std::uint32_t misbehaviours,
                     const KeyPair& key_pair,
                     CryptoSuite suite,
                     std::mt19937_64& rng,
                     InvariantChecker& checker)
      : misbehaviours_(misbehaviours),
        key_pair_(key_pair),
        suite_(suite),
        rng_(rng),
        checker_(checker) {}

  // What validator `to` receives instead of `message`.
  Bytes tamper(const Bytes& message, std::size_t to);
  // Messages made up now, for every other validator.
  std::vector<Bytes> forge(std::uint64_t block_number, std::uint32_t round);

 private:
  bool has(Misbehaviour m) const { return (misbehaviours_ & m) != 0; }
  Bytes signed_message(chain::Payload payload, std::optional<chain::Block> block = std::nullopt);
  chain::Payload vote(chain::MessageType type,
                      std::uint64_t block_number,
                      std::uint32_t round,
                      const Hash256& digest);
  Hash256 random_digest();
  Bytes equivocate(const chain::Message& proposal);
  Bytes corrupt_signature(chain::Message message);

  std::uint32_t misbehaviours_;
  const KeyPair& key_pair_;
  CryptoSuite suite_;
  std::mt19937_64& rng_;
  InvariantChecker& checker_;
  std::optional<Hash256> other_digest_;
  chain::SignerCache signers_;  // the other block of the last equivocation
};

}  // namespace tally::sim
