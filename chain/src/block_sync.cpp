#include <tally/chain/block_seal.hpp>
#include <tally/chain/block_sync.hpp>
#include <tally/chain/finality.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

// Room for the message's own list header and fields beside the blocks.
constexpr std::size_t kResponseOverheadBytes = 1024;

Error refused(const PeerId& peer, std::string_view why) {
  return Error{Errc::verification_failed, str_cat("sync: response of peer ", peer, ": ", why)};
}

}  // namespace

BlockSync::BlockSync(SyncConfig config, std::uint64_t head_block_number, const Hash256& head_digest)
    : config_(std::move(config)), head_number_(head_block_number), head_digest_(head_digest) {
  TALLY_ASSERT(config_.blocks_per_request >= 1 &&
               config_.blocks_per_request <= kMaxBlocksPerResponse);
  TALLY_ASSERT(config_.max_outstanding >= 1);
}

std::uint64_t BlockSync::best_known_block_number() const noexcept {
  std::uint64_t best = head_number_;
  for (const auto& [id, peer] : peers_)
    best = std::max(best, peer.status.head_block_number);
  return best;
}

std::vector<SyncAction> BlockSync::handle(const SyncEvent& event) {
  now_ms_ = event.now_ms;
  std::visit(
      [this](const auto& what) {
        using T = std::decay_t<decltype(what)>;
        if constexpr (std::is_same_v<T, SyncPeerStatus>) {
          on_status(what);
        } else if constexpr (std::is_same_v<T, SyncPeerGone>) {
          peers_.erase(what.peer);
        } else if constexpr (std::is_same_v<T, SyncBlocksReceived>) {
          on_blocks(what);
        } else if constexpr (std::is_same_v<T, SyncLocalHead>) {
          on_local_head(what);
        } else if constexpr (std::is_same_v<T, SyncCommitFailed>) {
          on_commit_failed(what);
        }
      },
      event.what);
  expire_requests();
  deliver();
  request_more();
  return std::move(out_);
}

void BlockSync::on_status(const SyncPeerStatus& status) {
  auto found = peers_.find(status.peer);
  if (found == peers_.end()) {
    if (peers_.size() >= kMaxSyncPeers)
      return;
    found = peers_.emplace(status.peer, Peer{}).first;
  }
  found->second.status = status.status;
}

void BlockSync::on_blocks(const SyncBlocksReceived& received) {
  const auto found = peers_.find(received.peer);
  if (found == peers_.end() || !found->second.outstanding) {
    ++counters_.responses_refused;
    last_refusal_ = refused(received.peer, "nothing was asked of it");
    if (found != peers_.end())
      penalise(received.peer, *last_refusal_);
    return;
  }
  const Request request = *found->second.outstanding;
  found->second.outstanding.reset();
  auto checked = check_response(received.peer, request, received.response);
  if (!checked) {
    ++counters_.responses_refused;
    penalise(received.peer, checked.error());
    return;
  }
  ++counters_.responses_accepted;
  for (Ready& ready : *checked) {
    const std::uint64_t number = ready.block.header.block_number;
    if (number <= head_number_ || committing_.contains(number))
      continue;
    ready_.insert_or_assign(number, std::move(ready));
  }
}

Result<std::vector<BlockSync::Ready>> BlockSync::check_response(const PeerId& peer,
                                                                const Request& request,
                                                                BlocksResponse response) const {
  if (response.from_block_number != request.range.from_block_number) {
    return std::unexpected(
        refused(peer, str_cat("starts at ", response.from_block_number, ", asked from ",
                              request.range.from_block_number)));
  }
  if (response.blocks.size() > request.range.count) {
    return std::unexpected(
        refused(peer, str_cat(response.blocks.size(), " blocks, asked for ", request.range.count)));
  }
  if (response.blocks.empty())
    return std::unexpected(refused(peer, "no blocks, though its head covers them"));
  // The block before the first, when known, is what the first must extend.
  std::optional<Hash256> parent;
  const std::uint64_t first = response.from_block_number;
  if (first == head_number_ + 1) {
    parent = head_digest_;
  } else if (const auto before = ready_.find(first - 1); before != ready_.end()) {
    parent = before->second.digest;
  }
  std::vector<Ready> out;
  for (std::size_t i = 0; i < response.blocks.size(); ++i) {
    Block& block = response.blocks[i];
    const std::uint64_t number = block.header.block_number;
    if (number != first + i)
      return std::unexpected(refused(peer, str_cat("block ", i, " is ", number)));
    const auto digest = block_digest(block.header, config_.suite);
    if (!digest)
      return std::unexpected(
          refused(peer, str_cat("block ", number, ": ", digest.error().message)));
    if (parent && block.header.parent_hash != *parent)
      return std::unexpected(
          refused(peer, str_cat("block ", number, " does not extend its parent")));
    if (const auto final = verify_finality(block, config_.validators, config_.suite); !final) {
      return std::unexpected(
          refused(peer, str_cat("block ", number, " is not final: ", final.error().message)));
    }
    parent = *digest;
    out.push_back(Ready{peer, std::move(block), *digest});
  }
  return out;
}

void BlockSync::on_local_head(const SyncLocalHead& head) {
  if (head.block_number <= head_number_)
    return;
  for (const auto& [number, peer] : committing_) {
    if (number <= head.block_number)
      ++counters_.blocks_committed;
  }
  head_number_ = head.block_number;
  head_digest_ = head.digest;
  std::erase_if(ready_, [&](const auto& entry) { return entry.first <= head_number_; });
  std::erase_if(committing_, [&](const auto& entry) { return entry.first <= head_number_; });
}

void BlockSync::on_commit_failed(const SyncCommitFailed& failed) {
  ++counters_.commits_failed;
  const auto source = committing_.find(failed.block_number);
  if (source != committing_.end()) {
    penalise(source->second,
             Error{failed.error.code, str_cat("sync: block ", failed.block_number, " of peer ",
                                              source->second, " failed: ", failed.error.message)});
  } else {
    last_refusal_ = failed.error;
  }
  // Later blocks extend the failed one: none of them can be written either. Nothing of the
  // SyncCommit is in flight any more (the blocks before the failed one were reported written).
  std::erase_if(ready_, [&](const auto& entry) { return entry.first >= failed.block_number; });
  committing_.clear();
}

void BlockSync::penalise(const PeerId& peer, const Error& reason) {
  last_refusal_ = reason;
  const auto found = peers_.find(peer);
  if (found == peers_.end())
    return;
  found->second.penalised_until_ms = now_ms_ + config_.penalty_ms;
  found->second.outstanding.reset();
}

void BlockSync::expire_requests() {
  for (auto& [id, peer] : peers_) {
    if (peer.outstanding && now_ms_ - peer.outstanding->sent_ms >= config_.request_timeout_ms) {
      ++counters_.timeouts;
      peer.outstanding.reset();
      peer.penalised_until_ms = now_ms_ + config_.penalty_ms;
    }
  }
}

bool BlockSync::covered(std::uint64_t block_number) const {
  if (ready_.contains(block_number) || committing_.contains(block_number))
    return true;
  for (const auto& [id, peer] : peers_) {
    if (peer.outstanding && block_number >= peer.outstanding->range.from_block_number &&
        block_number - peer.outstanding->range.from_block_number < peer.outstanding->range.count) {
      return true;
    }
  }
  return false;
}

const PeerId* BlockSync::pick_peer(std::uint64_t from) const {
  const PeerId* best = nullptr;
  std::uint64_t best_head = 0;
  for (const auto& [id, peer] : peers_) {
    if (peer.outstanding || now_ms_ < peer.penalised_until_ms)
      continue;
    if (peer.status.head_block_number < from)
      continue;
    if (best == nullptr || peer.status.head_block_number > best_head) {
      best = &id;
      best_head = peer.status.head_block_number;
    }
  }
  return best;
}

void BlockSync::request_more() {
  std::size_t outstanding = 0;
  for (const auto& [id, peer] : peers_)
    outstanding += peer.outstanding ? 1U : 0U;
  const std::uint64_t window = config_.max_outstanding * config_.blocks_per_request;
  const std::uint64_t target = std::min(best_known_block_number(), head_number_ + window);
  for (std::uint64_t n = head_number_ + 1; n <= target && outstanding < config_.max_outstanding;) {
    if (covered(n)) {
      ++n;
      continue;
    }
    const PeerId* id = pick_peer(n);
    if (id == nullptr)
      return;
    Peer& peer = peers_.at(*id);
    const std::uint64_t last = std::min(target, peer.status.head_block_number);
    std::uint64_t end = n;
    while (end < last && end + 1 - n < config_.blocks_per_request && !covered(end + 1))
      ++end;
    const GetBlocks range{n, end - n + 1};
    peer.outstanding = Request{range, now_ms_};
    out_.push_back(SyncSendRequest{*id, range});
    ++counters_.requests;
    ++outstanding;
    n = end + 1;
  }
}

void BlockSync::deliver() {
  if (!committing_.empty())
    return;
  SyncCommit commit;
  Hash256 parent = head_digest_;
  for (std::uint64_t n = head_number_ + 1;; ++n) {
    const auto found = ready_.find(n);
    if (found == ready_.end())
      break;
    if (found->second.block.header.parent_hash != parent) {
      // Fetched before its parent was known, from another peer's branch: not ours.
      penalise(found->second.peer,
               refused(found->second.peer, str_cat("block ", n, " does not extend its parent")));
      ready_.erase(found);
      break;
    }
    parent = found->second.digest;
    commit.peer = found->second.peer;
    committing_.emplace(n, found->second.peer);
    commit.blocks.push_back(std::move(found->second.block));
    ready_.erase(found);
  }
  if (!commit.blocks.empty())
    out_.push_back(std::move(commit));
}

Result<BlocksResponse> serve_get_blocks(Ledger& ledger,
                                        const GetBlocks& request,
                                        std::size_t max_bytes) {
  TALLY_ASSERT(max_bytes <= kMaxSyncMessageBytes);
  BlocksResponse response;
  response.from_block_number = request.from_block_number;
  if (!ledger.head() || request.count == 0)
    return response;
  const std::uint64_t count = std::min(request.count, kMaxBlocksPerResponse);
  std::size_t bytes = kResponseOverheadBytes;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t number = request.from_block_number + i;
    if (number < request.from_block_number || number > ledger.head()->block_number)
      break;
    TALLY_TRY(auto block, ledger.block_by_number(number));
    if (!block)
      return fail(Errc::corrupted, str_cat("sync: block ", number, " below the head is missing"));
    const std::size_t size = block->encode().size();
    if (bytes + size > max_bytes) {
      if (response.blocks.empty()) {
        return fail(Errc::limit_exceeded,
                    str_cat("sync: block ", number, " alone exceeds a sync message"));
      }
      break;
    }
    bytes += size;
    response.blocks.push_back(std::move(*block));
  }
  return response;
}

}  // namespace tally::chain
