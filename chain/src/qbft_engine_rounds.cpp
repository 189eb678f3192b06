// Round timers, round changes and proposing.
#include <algorithm>
#include <functional>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/qbft_engine.hpp>
#include <tally/core/assert.hpp>

namespace tally::chain {

void QbftEngine::note_activity() {
  if (!round_timer_running_)
    start_round_timer();
}

void QbftEngine::start_round_timer() {
  round_timer_running_ = true;
  ++round_timer_token_;
  std::uint64_t delay_ms = timeout_ms(round_);
  if (round_ == 0) {
    // Round 0 also waits out the block period before its proposer may build.
    const std::uint64_t earliest_ms = (parent_.timestamp + config_.block_period_s) * 1000;
    delay_ms += earliest_ms > now_ms_ ? earliest_ms - now_ms_ : 0;
  }
  emit(SetTimer{TimerKind::round, round_timer_token_, delay_ms});
}

bool QbftEngine::quorum_reached_round(std::uint32_t round) const {
  std::size_t count = 0;
  for (const auto& [validator, latest] : latest_round_)
    if (validator != self_ && latest >= round)
      ++count;
  return round == 0 || count + 1 >= config_.validators.quorum();
}

void QbftEngine::on_round_timeout() {
  round_timer_running_ = false;
  if (quorum_reached_round(round_)) {
    move_to_round(round_ + 1);
    return;
  }
  // Alone (or nearly) in this round: say so again rather than run ahead of the others.
  emit(Broadcast{round_change_message().encode()});
  start_round_timer();
}

void QbftEngine::move_to_round(std::uint32_t round) {
  TALLY_ASSERT(round > round_);
  round_ = round;
  building_round_.reset();
  forget_old_rounds();
  save();  // before the round change leaves
  round_timer_running_ = false;
  start_round_timer();
  // Each step below may finalise the block and move to the next block_number; then the rest
  // belongs to a finished round and must not run.
  const std::uint64_t number = block_number_;
  broadcast(round_change_message());
  for (const auto& step : {&QbftEngine::consider_proposing, &QbftEngine::consider_prepare,
                           &QbftEngine::check_prepared}) {
    if (block_number_ != number || round_ != round)
      return;
    (this->*step)();
  }
  std::vector<std::uint32_t> earlier;
  for (const auto& [kept, state] : rounds_) {
    if (kept < round_)
      earlier.push_back(kept);
  }
  for (const std::uint32_t kept : earlier) {
    if (block_number_ != number)
      return;
    check_committed(kept);
  }
}

void QbftEngine::forget_old_rounds() {
  while (!rounds_.empty() && rounds_.begin()->first + kKeptPastRounds < round_)
    rounds_.erase(rounds_.begin());
  std::set<Hash256> needed;
  if (prepared_) {
    const auto digest = block_digest(prepared_->block.header, config_.suite);
    TALLY_ASSERT(digest.has_value());
    needed.insert(*digest);
  }
  for (const auto& [round, state] : rounds_) {
    if (state.proposal)
      needed.insert(state.proposal_digest);
    for (const auto& [signer, change] : state.round_changes) {
      if (change.block)
        needed.insert(change.payload().digest);
    }
  }
  std::erase_if(blocks_, [&](const auto& entry) { return !needed.contains(entry.first); });
}

void QbftEngine::maybe_jump_round() {
  std::vector<std::uint32_t> ahead;
  for (const auto& [validator, latest] : latest_round_) {
    if (validator != self_ && latest > round_)
      ahead.push_back(latest);
  }
  const std::size_t needed = config_.validators.max_faulty() + 1;
  if (ahead.size() < needed)
    return;
  // The (f+1)-th highest: at least one honest validator is there or beyond.
  std::ranges::sort(ahead, std::greater<>());
  move_to_round(ahead[needed - 1]);
}

Message QbftEngine::round_change_message() const {
  Payload payload{MessageType::round_change, block_number_, round_, Hash256{}, std::nullopt, {}};
  if (!prepared_)
    return sign(std::move(payload));
  const auto digest = block_digest(prepared_->block.header, config_.suite);
  TALLY_ASSERT(digest.has_value());
  payload.prepared_round = prepared_->round;
  payload.digest = *digest;
  Message message = sign(std::move(payload));
  message.block = prepared_->block;
  message.prepares = prepared_->prepares;
  return message;
}

void QbftEngine::answer_lagging(const Address& validator) {
  // Once per validator and round of ours: enough to pull it along, not a flood amplifier.
  if (round_ == 0 || !answered_.emplace(validator, round_).second)
    return;
  emit(SendTo{validator, round_change_message().encode()});
}

void QbftEngine::consider_proposing() {
  if (config_.validators.proposer(block_number_, round_) != self_ || building_round_)
    return;
  RoundState& state = rounds_[round_];
  if (state.proposal)
    return;
  if (round_ == 0) {
    propose_round0();
    return;
  }
  if (state.round_changes.size() < config_.validators.quorum())
    return;
  if (const Message* highest = state.highest_prepared()) {
    propose(*highest->block);
    return;
  }
  if (pending_txs_ == 0)
    return;  // no empty blocks; txs arriving call this again
  building_round_ = round_;
  const auto extra = ConsensusExtra{{}, config_.validators.addresses(), 0, {}}.encode();
  emit(BuildBlock{parent_, block_number_,
                  std::max(now_ms_ / 1000, parent_.timestamp + config_.block_period_s), self_,
                  extra});
}

void QbftEngine::propose_round0() {
  if (pending_txs_ == 0)
    return;
  const std::uint64_t earliest_ms = (parent_.timestamp + config_.block_period_s) * 1000;
  if (now_ms_ < earliest_ms) {
    emit(SetTimer{TimerKind::block_period, ++period_timer_token_, earliest_ms - now_ms_});
    return;
  }
  building_round_ = 0;
  const auto extra = ConsensusExtra{{}, config_.validators.addresses(), 0, {}}.encode();
  emit(BuildBlock{parent_, block_number_, now_ms_ / 1000, self_, extra});
}

void QbftEngine::on_block_built(std::optional<Block> block) {
  if (!building_round_ || *building_round_ != round_)
    return;  // the round moved on while the block was built
  building_round_.reset();
  if (!block || block->header.block_number != block_number_)
    return;
  const auto digest = check_block(*block, context());
  if (!digest)
    return;  // the builder broke a rule; nothing is proposed and the round times out
  valid_.insert(*digest);
  // A round change with a prepared block may have arrived while building: it wins.
  if (round_ > 0) {
    if (const Message* highest = rounds_[round_].highest_prepared()) {
      propose(*highest->block);
      return;
    }
  }
  propose(*block);
}

void QbftEngine::propose(const Block& block) {
  const auto digest = block_digest(block.header, config_.suite);
  TALLY_ASSERT(digest.has_value());
  Message proposal =
      sign(Payload{MessageType::proposal, block_number_, round_, *digest, std::nullopt, {}});
  proposal.block = block;
  if (round_ > 0) {
    const RoundState& state = rounds_[round_];
    for (const auto& [signer, change] : state.round_changes)
      proposal.round_changes.push_back(change.signed_payload);
    if (const Message* highest = state.highest_prepared())
      proposal.prepares = highest->prepares;
  }
  broadcast(std::move(proposal));
}

}  // namespace tally::chain
