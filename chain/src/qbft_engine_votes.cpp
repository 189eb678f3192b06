// Prepare, commit and finalisation in the current block_number.
#include <algorithm>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/qbft_engine.hpp>
#include <tally/core/assert.hpp>

namespace tally::chain {

void QbftEngine::consider_prepare() {
  RoundState& state = rounds_[round_];
  if (!state.proposal || state.sent_prepare)
    return;
  const Hash256& digest = state.proposal_digest;
  if (invalid_.contains(digest))
    return;
  if (!valid_.contains(digest)) {
    // Execute before preparing: the state root is part of what is agreed on.
    if (validating_.insert(digest).second)
      emit(ValidateBlock{*state.proposal->block, parent_});
    return;
  }
  state.sent_prepare = true;
  Payload prepare{MessageType::prepare, block_number_, round_, digest, std::nullopt, {}};
  broadcast(sign(std::move(prepare)));
}

void QbftEngine::check_prepared() {
  RoundState& state = rounds_[round_];
  if (!state.proposal || state.sent_commit || !valid_.contains(state.proposal_digest))
    return;
  const Hash256 digest = state.proposal_digest;
  if (state.prepares_for(digest) < config_.validators.quorum())
    return;
  state.sent_commit = true;
  prepared_ =
      PreparedCertificate{round_, *state.proposal->block, state.prepare_certificate(digest)};
  save();  // before the commit leaves: a restarted node must still report this certificate

  const auto seal = config_.suite.sign(commit_seal_hash(digest, round_, config_.suite), key_pair_);
  TALLY_ASSERT(seal.has_value());
  const BytesView encoded = seal->encoded();
  Payload commit{MessageType::commit,
                 block_number_,
                 round_,
                 digest,
                 std::nullopt,
                 Bytes(encoded.begin(), encoded.end())};
  broadcast(sign(std::move(commit)));
}

void QbftEngine::check_committed(std::uint32_t round) {
  const auto found = rounds_.find(round);
  if (found == rounds_.end())
    return;
  const auto digest = found->second.committed_digest(config_.validators.quorum());
  if (!digest)
    return;
  const Block* block = known_block(*digest);
  if (block == nullptr)
    return;  // final, but we never saw it: sync brings it
  commit_block(*block, round, found->second.commits_for(*digest));
}

void QbftEngine::commit_block(const Block& block,
                              std::uint32_t round,
                              const std::vector<SignedPayload>& commits) {
  // Seals in validator order, so every node that saw the same commits writes the same header.
  std::vector<std::pair<std::size_t, Bytes>> ordered;
  for (const SignedPayload& commit : commits) {
    const auto index = config_.validators.index_of(commit.signer);
    TALLY_ASSERT(index.has_value());
    ordered.emplace_back(*index, commit.payload.commit_seal);
  }
  std::ranges::sort(ordered);
  std::vector<Bytes> seals;
  for (auto& [index, seal] : ordered)
    seals.push_back(std::move(seal));
  auto sealed = seal_block(block, round, std::move(seals));
  TALLY_ASSERT(sealed.has_value());
  emit(CommitBlock{*sealed});
  enter_block_number(sealed->header);
}

}  // namespace tally::chain
