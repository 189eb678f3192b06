#include <algorithm>
#include <type_traits>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/consensus_host.hpp>
#include <tally/chain/finality.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

ConsensusHost::ConsensusHost(ConsensusHostConfig config,
                             const KeyPair& key_pair,
                             ConsensusStore& store,
                             ConsensusExecutor& executor,
                             ConsensusTransport& transport,
                             const Clock& clock,
                             Logger logger,
                             ConsensusHostCallbacks callbacks,
                             const BlockHeader& head)
    : config_(std::move(config)),
      key_pair_(key_pair),
      address_(config_.engine.suite.address(key_pair.public_key())),
      role_(config_.engine.validators.contains(address_) ? NodeRole::validator
                                                         : NodeRole::observer),
      store_(store),
      executor_(executor),
      transport_(transport),
      clock_(clock),
      logger_(std::move(logger)),
      callbacks_(std::move(callbacks)),
      inbox_(config_.inbox_capacity),
      head_(head) {
  auto digest = block_digest(head_, config_.engine.suite);
  TALLY_ASSERT(digest.has_value());  // the executor's head was written by this chain's rules
  head_digest_ = *digest;
  if (!config_.engine.signers)
    config_.engine.signers = std::make_shared<SignerCache>();
  std::lock_guard lock(status_mutex_);
  status_.role = role_;
  status_.validators = config_.engine.validators.addresses();
  status_.head_block_number = head_.block_number;
  status_.block_number = head_.block_number + 1;
}

ConsensusHost::~ConsensusHost() {
  stop();
}

void ConsensusHost::start() {
  std::lock_guard lock(lifecycle_mutex_);
  TALLY_ASSERT(!thread_.joinable());
  thread_ = std::thread([this] { run(); });
}

void ConsensusHost::stop() {
  inbox_.close();
  std::lock_guard lock(lifecycle_mutex_);
  if (thread_.joinable())
    thread_.join();
}

bool ConsensusHost::post_message(const Address& sender, Bytes message) {
  return inbox_.push(InboundMessage{sender, std::move(message)});
}

bool ConsensusHost::post_pending_txs(std::size_t pending) {
  return inbox_.set_pending_txs(pending);
}

bool ConsensusHost::post_synced_block(Block block) {
  return inbox_.push(SyncedBlock{std::move(block)});
}

bool ConsensusHost::post_sync_message(std::string peer, Bytes message) {
  return inbox_.push(InboundSync{std::move(peer), std::move(message)});
}

bool ConsensusHost::post_sync_peer_left(std::string peer) {
  return inbox_.push(SyncPeerLeft{std::move(peer)});
}

bool ConsensusHost::post_sync_peer_joined(std::string peer) {
  return inbox_.push(SyncPeerJoined{std::move(peer)});
}

std::uint64_t ConsensusHost::now_ms() const {
  const auto since_epoch = clock_.now().time_since_epoch();
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count());
}

void ConsensusHost::run() {
  logger_.info("consensus host started",
               {{"role", role_ == NodeRole::validator ? "validator" : "observer"},
                {"head", head_.block_number}});
  if (role_ == NodeRole::validator) {
    engine_ = std::make_unique<QbftEngine>(config_.engine, key_pair_, store_, head_);
    std::vector<EngineInput> none;
    for (const Action& action : engine_->start(now_ms()))
      perform(action, none);
    for (EngineInput& result : none)
      feed(std::move(result));
    feed(TxsAvailable{executor_.pending_txs()});
  }
  if (config_.sync_transport) {
    sync_.emplace(SyncConfig{config_.engine.suite, config_.engine.validators}, head_.block_number,
                  head_digest_);
    next_sync_tick_ = clock_.monotonic();
  }
  {
    std::lock_guard lock(status_mutex_);
    status_.running = true;
  }
  publish_status();
  for (;;) {
    InboxBatch batch = inbox_.wait_for(time_to_next_timer());
    if (batch.closed)
      break;
    if (!failed_) {
      handle(batch);
      fire_due_timers();
      drain_sync();
    }
    publish_status();
  }
  std::lock_guard lock(status_mutex_);
  status_.running = false;
  logger_.info("consensus host stopped", {{"head", head_.block_number}});
}

void ConsensusHost::handle(InboxBatch& batch) {
  for (InboxItem& item : batch.items) {
    if (failed_)
      return;
    if (auto* message = std::get_if<InboundMessage>(&item)) {
      on_message(*message);
    } else if (auto* synced = std::get_if<SyncedBlock>(&item)) {
      ++counters_.synced_blocks;
      if (engine_)
        feed(BlockSynced{std::move(synced->block)});
      else
        follow(synced->block);
    } else if (auto* sync_message = std::get_if<InboundSync>(&item)) {
      on_sync_message(*sync_message);
    } else if (auto* left = std::get_if<SyncPeerLeft>(&item)) {
      if (sync_)
        sync_event(SyncPeerGone{left->peer});
    } else if (auto* joined = std::get_if<SyncPeerJoined>(&item)) {
      if (sync_) {
        config_.sync_transport->send_sync(
            joined->peer, encode_sync_message(SyncStatus{head_.block_number, head_digest_}));
      }
    }
  }
  if (batch.pending_txs && engine_ && !failed_)
    feed(TxsAvailable{*batch.pending_txs});
}

void ConsensusHost::on_message(const InboundMessage& message) {
  // Only validators sign consensus messages and each sends its own, so a message delivered by
  // anyone else is not worth a signature check.
  if (!engine_ || !config_.engine.validators.contains(message.sender)) {
    ++counters_.ignored_messages;
    return;
  }
  ++counters_.messages;
  feed(MessageReceived{message.message});
}

std::chrono::nanoseconds ConsensusHost::time_to_next_timer() const {
  std::chrono::nanoseconds wait = kHostMaxWait;
  const MonotonicTime now = clock_.monotonic();
  if (sync_)
    wait =
        std::min(wait, next_sync_tick_ > now ? next_sync_tick_ - now : std::chrono::nanoseconds(0));
  for (const auto& [kind, timer] : timers_)
    wait = std::min(wait, timer.due > now ? timer.due - now : std::chrono::nanoseconds(0));
  return wait;
}

void ConsensusHost::fire_due_timers() {
  // Timers set while firing are due later (delay >= 0 from a later now), so one pass suffices;
  // a zero-delay timer fires on the next turn of the loop, after the inbox.
  const MonotonicTime now = clock_.monotonic();
  std::vector<std::pair<TimerKind, std::uint64_t>> due;
  for (auto it = timers_.begin(); it != timers_.end();) {
    if (it->second.due <= now) {
      due.emplace_back(it->first, it->second.token);
      it = timers_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [kind, token] : due) {
    if (failed_)
      return;
    ++counters_.timers_fired;
    feed(TimerFired{kind, token});
  }
  if (sync_ && next_sync_tick_ <= now) {
    next_sync_tick_ = now + kSyncTickEvery;
    sync_event(SyncTick{});
    if (++sync_ticks_ % kSyncStatusEveryTicks == 1)
      announce_head();
  }
}

void ConsensusHost::on_sync_message(const InboundSync& message) {
  if (!sync_) {
    ++counters_.sync_messages_refused;
    return;
  }
  auto decoded = decode_sync_message(message.message);
  if (!decoded) {
    ++counters_.sync_messages_refused;
    return;
  }
  if (auto* status = std::get_if<SyncStatus>(&*decoded)) {
    // A peer behind us learns our head now rather than at our next announcement.
    if (status->head_block_number < head_.block_number) {
      config_.sync_transport->send_sync(
          message.peer, encode_sync_message(SyncStatus{head_.block_number, head_digest_}));
    }
    sync_event(SyncPeerStatus{message.peer, *status});
  } else if (auto* blocks = std::get_if<BlocksResponse>(&*decoded))
    sync_event(SyncBlocksReceived{message.peer, std::move(*blocks)});
  else
    ++counters_.sync_messages_refused;  // GetBlocks is served outside the host
}

// Sync's actions are queued and performed from the run loop, not from inside a commit that
// reports a new head, so committing synced blocks never recurses.
void ConsensusHost::sync_event(decltype(SyncEvent::what) what) {
  for (SyncAction& action : sync_->handle(SyncEvent{now_ms(), std::move(what)}))
    sync_actions_.push_back(std::move(action));
}

void ConsensusHost::drain_sync() {
  while (sync_ && !sync_actions_.empty() && !failed_) {
    SyncAction action = std::move(sync_actions_.front());
    sync_actions_.pop_front();
    if (auto* request = std::get_if<SyncSendRequest>(&action))
      config_.sync_transport->send_sync(request->peer, encode_sync_message(request->request));
    else if (auto* commit = std::get_if<SyncCommit>(&action))
      sync_commit(*commit);
  }
}

void ConsensusHost::sync_commit(const SyncCommit& commit) {
  const std::vector<Block>& blocks = commit.blocks;
  const std::uint64_t before = head_.block_number;
  committing_synced_ = true;
  commit_synced_blocks(blocks);
  committing_synced_ = false;
  if (failed_ || head_.block_number == before)
    return;
  // Once per SyncCommit: an announcement per block would draw a Status answer from every peer
  // ahead of us for each block.
  announce_head();
  logger_.info("synced to block", {{"block_number", head_.block_number},
                                   {"blocks", head_.block_number - before},
                                   {"peer", commit.peer},
                                   {"best_known", sync_->best_known_block_number()}});
}

void ConsensusHost::commit_synced_blocks(const std::vector<Block>& blocks) {
  for (const Block& block : blocks) {
    ++counters_.synced_blocks;
    if (engine_)
      feed(BlockSynced{block});
    else
      follow(block);
    if (failed_)
      return;
    if (head_.block_number != block.header.block_number) {
      // The engine or the observer's checks did not take it (already past it, or not final):
      // sync refetches from elsewhere.
      sync_event(SyncCommitFailed{
          block.header.block_number,
          Error{Errc::verification_failed, "synced block not committed by the host"}});
      return;
    }
  }
}

void ConsensusHost::announce_head() {
  config_.sync_transport->broadcast_sync(
      encode_sync_message(SyncStatus{head_.block_number, head_digest_}));
}

// Feeds one input and everything it causes: results of execution go back to the engine in the
// order they arose, before the host looks at its inbox again.
void ConsensusHost::feed(EngineInput what) {
  std::vector<EngineInput> inputs;
  inputs.push_back(std::move(what));
  for (std::size_t next = 0; next < inputs.size() && !failed_; ++next) {
    const std::vector<Action> actions = engine_->handle(Event{now_ms(), std::move(inputs[next])});
    std::vector<EngineInput> results;
    for (const Action& action : actions) {
      if (failed_)
        return;
      perform(action, results);
    }
    for (EngineInput& result : results)
      inputs.push_back(std::move(result));
  }
}

void ConsensusHost::perform(const Action& action, std::vector<EngineInput>& results) {
  std::visit(
      [&](const auto& what) {
        using T = std::decay_t<decltype(what)>;
        if constexpr (std::is_same_v<T, Broadcast>) {
          transport_.broadcast(what.message);
        } else if constexpr (std::is_same_v<T, SendTo>) {
          transport_.send(what.validator, what.message);
        } else if constexpr (std::is_same_v<T, SetTimer>) {
          const auto delay = std::chrono::milliseconds(what.delay_ms);
          timers_[what.kind] = Timer{what.token, clock_.monotonic() + delay};
        } else if constexpr (std::is_same_v<T, BuildBlock>) {
          build(what, results);
        } else if constexpr (std::is_same_v<T, ValidateBlock>) {
          validate(what, results);
        } else if constexpr (std::is_same_v<T, CommitBlock>) {
          commit(what.block, results);
        }
      },
      action);
}

void ConsensusHost::build(const BuildBlock& request, std::vector<EngineInput>& results) {
  auto built = executor_.build(request);
  if (!built) {
    // The engine treats "nothing built" as an idle pool and waits for the next TxsAvailable or
    // round; the error is the executor's (a store failure), worth an operator's eye.
    ++counters_.execution_errors;
    logger_.error("block build failed",
                  {{"block_number", request.block_number}, {"error", built.error().message}});
    results.push_back(BlockBuilt{std::nullopt});
    return;
  }
  if (*built)
    ++counters_.blocks_built;
  results.push_back(BlockBuilt{std::move(*built)});
}

void ConsensusHost::validate(const ValidateBlock& request, std::vector<EngineInput>& results) {
  auto digest = block_digest(request.block.header, config_.engine.suite);
  TALLY_ASSERT(digest.has_value());  // the engine checked the proposal's extra data
  const auto valid = executor_.validate(request.block, request.parent);
  if (valid) {
    ++counters_.blocks_validated;
  } else {
    ++counters_.blocks_refused;
    logger_.warn("proposed block refused", {{"block_number", request.block.header.block_number},
                                            {"error", valid.error().message}});
  }
  results.push_back(BlockValidated{*digest, valid.has_value()});
}

void ConsensusHost::commit(const Block& block, std::vector<EngineInput>& results) {
  if (auto written = executor_.commit(block); !written) {
    fatal(Error{written.error().code, str_cat("final block ", block.header.block_number,
                                              " cannot be written: ", written.error().message)});
    return;
  }
  head_ = block.header;
  head_digest_ = *block_digest(head_, config_.engine.suite);
  ++counters_.blocks_committed;
  last_commit_ = clock_.now();
  logger_.info("block committed", {{"block_number", block.header.block_number},
                                   {"txs", block.txs.size()},
                                   {"hash", to_hex(head_digest_.view())}});
  publish_status();  // whoever hears of the commit finds the status at it or later
  if (callbacks_.on_committed)
    callbacks_.on_committed(block);
  if (sync_) {
    sync_event(SyncLocalHead{head_.block_number, head_digest_});
    if (!committing_synced_)
      announce_head();
  }
  results.push_back(TxsAvailable{executor_.pending_txs()});
}

void ConsensusHost::follow(const Block& block) {
  // Observers: sync hands blocks in order; anything else is stale or early and sync asks again.
  if (block.header.block_number != head_.block_number + 1 ||
      block.header.parent_hash != head_digest_)
    return;
  if (auto final = verify_finality(block, config_.engine.validators, config_.engine.suite);
      !final) {
    logger_.warn("synced block not final",
                 {{"block_number", block.header.block_number}, {"error", final.error().message}});
    return;
  }
  std::vector<EngineInput> ignored;  // no engine to tell
  commit(block, ignored);
}

void ConsensusHost::fatal(const Error& error) {
  failed_ = true;
  failure_ = error.message;
  logger_.error("consensus host failed", {{"error", error.message}});
  publish_status();
  if (callbacks_.on_fatal)
    callbacks_.on_fatal(error);
}

void ConsensusHost::publish_status() {
  std::lock_guard lock(status_mutex_);
  status_.failed = failed_;
  status_.failure = failure_;
  status_.head_block_number = head_.block_number;
  if (engine_) {
    status_.block_number = engine_->block_number();
    status_.round = engine_->round();
    status_.proposer =
        config_.engine.validators.proposer(engine_->block_number(), engine_->round());
    status_.engine = engine_->counters();
  } else {
    status_.block_number = head_.block_number + 1;
  }
  status_.last_commit = last_commit_;
  if (sync_) {
    status_.syncing = sync_->behind();
    status_.best_known_block_number = sync_->best_known_block_number();
    status_.sync = sync_->counters();
  }
  status_.host = counters_;
  status_.inbox = inbox_.counters();
}

ConsensusStatus ConsensusHost::status() const {
  std::lock_guard lock(status_mutex_);
  return status_;
}

}  // namespace tally::chain
