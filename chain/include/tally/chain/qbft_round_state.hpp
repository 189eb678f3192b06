#pragma once
// What a validator has seen in one round of the block_number being decided: the accepted
// proposal, the first prepare, commit and round change of each validator (a second one, equal or
// conflicting, is ignored, so a duplicate or an equivocation counts once), and what this node
// itself has done in the round. Bounded by the validator count.

#include <cstddef>
#include <map>
#include <optional>
#include <vector>

#include <tally/chain/qbft_message.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

struct RoundState {
  std::optional<Message> proposal;
  Hash256 proposal_digest;
  std::map<Address, SignedPayload> prepares;
  std::map<Address, SignedPayload> commits;
  std::map<Address, Message> round_changes;
  bool sent_prepare = false;
  bool sent_commit = false;

  // False when the signer already has one of that kind here.
  bool add_vote(const SignedPayload& vote);

  std::size_t prepares_for(const Hash256& digest) const;
  std::vector<SignedPayload> prepare_certificate(const Hash256& digest) const;
  // A digest a quorum committed, with their commits.
  std::optional<Hash256> committed_digest(std::size_t quorum) const;
  std::vector<SignedPayload> commits_for(const Hash256& digest) const;
  // The round change reporting the highest prepared round, if any reports one.
  const Message* highest_prepared() const;
};

}  // namespace tally::chain
