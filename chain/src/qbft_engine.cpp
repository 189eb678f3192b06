// The engine's entry points, block_number transitions and incoming messages. Voting is in
// qbft_engine_votes.cpp, rounds and proposing in qbft_engine_rounds.cpp.
#include <tally/chain/block_seal.hpp>
#include <tally/chain/finality.hpp>
#include <tally/chain/qbft_engine.hpp>
#include <tally/core/assert.hpp>

namespace tally::chain {

QbftEngine::QbftEngine(EngineConfig config,
                       const KeyPair& key_pair,
                       ConsensusStore& store,
                       const BlockHeader& head)
    : config_(std::move(config)),
      key_pair_(key_pair),
      self_(config_.suite.address(key_pair.public_key())),
      store_(store),
      parent_(head) {
  TALLY_ASSERT(config_.validators.contains(self_));
  if (!config_.signers)
    config_.signers = std::make_shared<SignerCache>();
}

std::vector<Action> QbftEngine::start(std::uint64_t now_ms) {
  now_ms_ = now_ms;
  out_.clear();
  const std::optional<ConsensusSnapshot> saved = store_.load();
  enter_block_number(parent_);
  if (saved && saved->block_number == block_number_) {
    // It may have voted in the saved round: it acts again only in a later one.
    round_ = saved->round;
    prepared_ = saved->prepared;
    if (prepared_) {
      const auto digest = block_digest(prepared_->block.header, config_.suite);
      TALLY_ASSERT(digest.has_value());
      remember_block(prepared_->block, *digest);
    }
    move_to_round(round_ + 1);
  }
  return std::move(out_);
}

std::vector<Action> QbftEngine::handle(const Event& event) {
  TALLY_ASSERT(event.now_ms >= now_ms_);
  now_ms_ = event.now_ms;
  out_.clear();
  std::visit(
      [this](const auto& what) {
        using T = std::decay_t<decltype(what)>;
        if constexpr (std::is_same_v<T, MessageReceived>) {
          on_message(what.message);
        } else if constexpr (std::is_same_v<T, TimerFired>) {
          if (what.kind == TimerKind::round && what.token == round_timer_token_ &&
              round_timer_running_) {
            on_round_timeout();
          } else if (what.kind == TimerKind::block_period && what.token == period_timer_token_) {
            consider_proposing();
          }
        } else if constexpr (std::is_same_v<T, TxsAvailable>) {
          pending_txs_ = what.pending;
          if (pending_txs_ > 0) {
            note_activity();
            consider_proposing();
          }
        } else if constexpr (std::is_same_v<T, BlockBuilt>) {
          on_block_built(what.block);
        } else if constexpr (std::is_same_v<T, BlockValidated>) {
          on_block_validated(what.digest, what.valid);
        } else {
          on_block_synced(what.block);
        }
      },
      event.what);
  return std::move(out_);
}

std::uint64_t QbftEngine::timeout_ms(std::uint32_t round) const noexcept {
  const std::uint32_t doublings = std::min<std::uint32_t>(round, 20);
  return std::min(config_.base_timeout_ms << doublings, config_.max_timeout_ms);
}

CheckContext QbftEngine::context() const {
  return CheckContext{config_.validators, config_.suite,          block_number_, parent_,
                      parent_digest_,     config_.block_period_s, now_ms_,       *config_.signers};
}

void QbftEngine::enter_block_number(const BlockHeader& parent) {
  parent_ = parent;
  const auto digest = block_digest(parent_, config_.suite);
  TALLY_ASSERT(digest.has_value());  // a final block's extra data was checked before
  parent_digest_ = *digest;
  block_number_ = parent_.block_number + 1;
  round_ = 0;
  prepared_.reset();
  rounds_.clear();
  latest_round_.clear();
  blocks_.clear();
  valid_.clear();
  invalid_.clear();
  validating_.clear();
  answered_.clear();
  building_round_.reset();
  round_timer_running_ = false;
  ++round_timer_token_;
  ++period_timer_token_;
  save();

  std::vector<Message> ready;
  for (auto it = future_.begin(); it != future_.end() && it->first <= block_number_;) {
    for (Message& message : it->second) {
      --future_per_sender_[message.signer()];
      if (it->first == block_number_)
        ready.push_back(std::move(message));
    }
    it = future_.erase(it);
  }
  if (pending_txs_ > 0)
    note_activity();
  consider_proposing();
  for (Message& message : ready)
    dispatch(std::move(message));
}

void QbftEngine::save() {
  store_.save(ConsensusSnapshot{block_number_, round_, prepared_});
}

Message QbftEngine::sign(Payload payload) const {
  payload.block_number = block_number_;
  auto signed_payload = SignedPayload::sign(std::move(payload), key_pair_, config_.suite);
  TALLY_ASSERT(signed_payload.has_value());  // our own key in our own suite
  return Message{std::move(*signed_payload), std::nullopt, {}, {}};
}

void QbftEngine::broadcast(Message message) {
  emit(Broadcast{message.encode()});
  dispatch(std::move(message));  // our own message counts like anyone's
}

void QbftEngine::on_message(const Bytes& bytes) {
  auto message = Message::decode(bytes, config_.suite, *config_.signers);
  if (!message) {
    ++counters_.undecodable;
    return;
  }
  dispatch(std::move(*message));
}

void QbftEngine::dispatch(Message message) {
  const std::uint64_t number = message.payload().block_number;
  if (!config_.validators.contains(message.signer())) {
    ++counters_.refused;
    return;
  }
  if (number < block_number_) {
    ++counters_.stale;
    return;
  }
  if (number > block_number_) {
    buffer_future(std::move(message));
    return;
  }
  switch (message.payload().type) {
    case MessageType::proposal:
      on_proposal(std::move(message));
      break;
    case MessageType::prepare:
    case MessageType::commit:
      on_vote(message);
      break;
    case MessageType::round_change:
      on_round_change(std::move(message));
      break;
  }
}

void QbftEngine::buffer_future(Message message) {
  std::size_t& count = future_per_sender_[message.signer()];
  if (message.payload().block_number > block_number_ + kMaxFutureBlocks ||
      count >= kMaxFutureMessagesPerSender) {
    ++counters_.over_limit;
    return;
  }
  ++count;
  ++counters_.buffered;
  future_[message.payload().block_number].push_back(std::move(message));
}

void QbftEngine::on_proposal(Message proposal) {
  const std::uint32_t round = proposal.payload().round;
  if (round < round_) {
    ++counters_.stale;
    return;
  }
  if (round > round_ + kMaxFutureRounds) {
    ++counters_.over_limit;
    return;
  }
  if (rounds_[round].proposal) {
    ++counters_.duplicate;
    return;
  }
  const auto digest = check_proposal(proposal, context());
  if (!digest) {
    ++counters_.refused;
    return;
  }
  ++counters_.accepted;
  note_activity();
  remember_block(*proposal.block, *digest);
  RoundState& state = rounds_[round];
  state.proposal = std::move(proposal);
  state.proposal_digest = *digest;
  if (round > round_)
    move_to_round(round);  // its justification shows a quorum moved there
  else
    consider_prepare();
}

void QbftEngine::on_vote(const Message& vote) {
  const std::uint32_t round = vote.payload().round;
  if (round + kKeptPastRounds < round_) {
    ++counters_.stale;
    return;
  }
  if (round > round_ + kMaxFutureRounds) {
    ++counters_.over_limit;
    return;
  }
  if (!check_vote(vote, context())) {
    ++counters_.refused;
    return;
  }
  if (!rounds_[round].add_vote(vote.signed_payload)) {
    ++counters_.duplicate;
    return;
  }
  ++counters_.accepted;
  note_activity();
  if (vote.payload().type == MessageType::prepare) {
    if (round == round_)
      check_prepared();
  } else {
    check_committed(round);
  }
}

void QbftEngine::on_round_change(Message change) {
  const std::uint32_t round = change.payload().round;
  if (!check_round_change(change, context())) {
    ++counters_.refused;
    return;
  }
  ++counters_.accepted;
  note_activity();
  if (change.block)
    remember_block(*change.block, change.payload().digest);
  std::uint32_t& latest = latest_round_[change.signer()];
  latest = std::max(latest, round);
  if (round < round_) {
    answer_lagging(change.signer());
    return;
  }
  if (round <= round_ + kMaxFutureRounds &&
      !rounds_[round].round_changes.emplace(change.signer(), std::move(change)).second) {
    ++counters_.duplicate;
  }
  maybe_jump_round();
  if (round == round_)
    consider_proposing();
}

void QbftEngine::on_block_validated(const Hash256& digest, bool valid) {
  if (!validating_.erase(digest))
    return;  // asked at an earlier block_number
  (valid ? valid_ : invalid_).insert(digest);
  consider_prepare();
  check_prepared();
}

void QbftEngine::on_block_synced(const Block& block) {
  if (block.header.block_number != block_number_ || block.header.parent_hash != parent_digest_)
    return;
  if (!verify_finality(block, config_.validators, config_.suite))
    return;
  emit(CommitBlock{block});
  enter_block_number(block.header);
}

void QbftEngine::remember_block(const Block& block, const Hash256& digest) {
  // Bounded by the rounds kept: move_to_round forgets blocks no kept round refers to.
  blocks_.emplace(digest, block);
}

const Block* QbftEngine::known_block(const Hash256& digest) const {
  const auto found = blocks_.find(digest);
  return found == blocks_.end() ? nullptr : &found->second;
}

}  // namespace tally::chain
