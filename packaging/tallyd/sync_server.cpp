#include "sync_server.hpp"

#include <tally/chain/block_sync.hpp>

namespace tally::tallyd {

Result<std::unique_ptr<SyncServer>> SyncServer::open(const std::filesystem::path& ledger_path,
                                                     const CryptoSuite& suite,
                                                     Reply reply) {
  chain::Ledger::Options options;
  options.read_only = true;
  options.cache_kib = 16 * 1024;
  TALLY_TRY(chain::Ledger ledger, chain::Ledger::open(ledger_path, suite, options));
  return std::unique_ptr<SyncServer>(new SyncServer(std::move(ledger), std::move(reply)));
}

SyncServer::SyncServer(chain::Ledger ledger, Reply reply)
    : ledger_(std::move(ledger)), reply_(std::move(reply)) {
  worker_ = std::thread([this] { run(); });
}

SyncServer::~SyncServer() {
  stop();
}

bool SyncServer::push(std::string peer, chain::GetBlocks request) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= kSyncServerQueue)
      return false;
    queue_.emplace_back(std::move(peer), request);
  }
  changed_.notify_one();
  return true;
}

void SyncServer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (worker_.joinable())
    worker_.join();
}

void SyncServer::run() {
  for (;;) {
    std::pair<std::string, chain::GetBlocks> next;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_)
        return;
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    // A reader sees the writer's commits once it looks again.
    if (!ledger_.refresh_head())
      continue;
    auto response = chain::serve_get_blocks(ledger_, next.second);
    if (response)
      reply_(next.first, chain::encode_sync_message(std::move(*response)));
  }
}

}  // namespace tally::tallyd
