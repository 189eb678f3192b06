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
  return queue_.push({std::move(peer), request});
}

void SyncServer::stop() {
  queue_.close();
  if (worker_.joinable())
    worker_.join();
}

void SyncServer::run() {
  const auto one_at_a_time = [](const auto&) { return false; };
  while (auto taken = queue_.take(one_at_a_time)) {
    const auto& [peer, request] = taken->front();
    // A reader sees the writer's commits once it looks again.
    if (!ledger_.refresh_head())
      continue;
    auto response = chain::serve_get_blocks(ledger_, request);
    if (response)
      reply_(peer, chain::encode_sync_message(std::move(*response)));
  }
}

}  // namespace tally::tallyd
