#include <tally/chain/qbft_round_state.hpp>

namespace tally::chain {
namespace {

std::vector<SignedPayload> matching(const std::map<Address, SignedPayload>& votes,
                                    const Hash256& digest) {
  std::vector<SignedPayload> out;
  for (const auto& [signer, vote] : votes) {
    if (vote.payload.digest == digest)
      out.push_back(vote);
  }
  return out;
}

}  // namespace

bool RoundState::add_vote(const SignedPayload& vote) {
  auto& votes = vote.payload.type == MessageType::prepare ? prepares : commits;
  return votes.emplace(vote.signer, vote).second;
}

std::size_t RoundState::prepares_for(const Hash256& digest) const {
  std::size_t count = 0;
  for (const auto& [signer, prepare] : prepares)
    if (prepare.payload.digest == digest)
      ++count;
  return count;
}

std::vector<SignedPayload> RoundState::prepare_certificate(const Hash256& digest) const {
  return matching(prepares, digest);
}

std::optional<Hash256> RoundState::committed_digest(std::size_t quorum) const {
  std::map<Hash256, std::size_t> counts;
  for (const auto& [signer, commit] : commits) {
    if (++counts[commit.payload.digest] >= quorum)
      return commit.payload.digest;
  }
  return std::nullopt;
}

std::vector<SignedPayload> RoundState::commits_for(const Hash256& digest) const {
  return matching(commits, digest);
}

const Message* RoundState::highest_prepared() const {
  const Message* highest = nullptr;
  for (const auto& [signer, change] : round_changes) {
    const auto& prepared = change.payload().prepared_round;
    if (prepared && (!highest || *prepared > *highest->payload().prepared_round))
      highest = &change;
  }
  return highest;
}

}  // namespace tally::chain
