#pragma once
// Answers peers' GetBlocks (sync_message.hpp) from a read-only connection to the node's ledger,
// on a worker thread of its own: the network thread must not block and the consensus thread owns
// the writer. Requests wait in a bounded queue; a full queue drops the request (the asker's
// BlockSync times out and asks another peer).

#include <functional>
#include <string>
#include <thread>
#include <utility>

#include <tally/chain/ledger.hpp>
#include <tally/chain/sync_message.hpp>
#include <tally/core/error.hpp>

#include "work_queue.hpp"

namespace tally::tallyd {

inline constexpr std::size_t kSyncServerQueue = 256;

class SyncServer {
 public:
  // Called on the worker with the peer and the encoded Blocks answer.
  using Reply = std::function<void(const std::string& peer, Bytes message)>;

  static Result<std::unique_ptr<SyncServer>> open(const std::filesystem::path& ledger_path,
                                                  const CryptoSuite& suite,
                                                  Reply reply);
  ~SyncServer();  // stop()

  bool push(std::string peer, chain::GetBlocks request);
  void stop();

 private:
  SyncServer(chain::Ledger ledger, Reply reply);
  void run();

  chain::Ledger ledger_;  // the worker's
  Reply reply_;
  WorkQueue<std::pair<std::string, chain::GetBlocks>> queue_{kSyncServerQueue};
  std::thread worker_;
};

}  // namespace tally::tallyd
