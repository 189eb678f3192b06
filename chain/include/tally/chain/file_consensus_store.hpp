#pragma once
// The consensus store of a running node (consensus_store.hpp): the snapshot's encoding in one
// file, replaced atomically on every save (written to "<file>.tmp", fsynced, renamed over the
// file, the directory fsynced), so a crash leaves either the old snapshot or the new one, never a
// torn one. A save that cannot be made durable aborts the process: the engine's safety rests on
// it (a validator that forgot its round could vote twice in it after a restart).
//
// open() reads and checks the file once; a file that does not decode is corrupted, and the node
// must not start (starting without the snapshot could repeat a vote), so an operator looks.

#include <filesystem>
#include <optional>

#include <tally/chain/consensus_store.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

// A snapshot carries at most one block and a quorum of prepares: far below this.
inline constexpr std::uintmax_t kMaxConsensusSnapshotBytes = 64 * 1024 * 1024;

class FileConsensusStore final : public ConsensusStore {
 public:
  // A missing file is an empty store (a node's first start).
  static Result<FileConsensusStore> open(std::filesystem::path path, const CryptoSuite& suite);

  void save(const ConsensusSnapshot& snapshot) override;
  std::optional<ConsensusSnapshot> load() const override { return snapshot_; }

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  FileConsensusStore(std::filesystem::path path, std::optional<ConsensusSnapshot> snapshot)
      : path_(std::move(path)), snapshot_(std::move(snapshot)) {}

  std::filesystem::path path_;
  std::optional<ConsensusSnapshot> snapshot_;
};

}  // namespace tally::chain
