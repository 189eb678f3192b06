#pragma once
// What a validator must remember across a crash to stay safe: for the block_number in progress,
// the round it reached (it may have voted there, so after a restart it only acts in later
// rounds) and its prepared certificate (a quorum prepared that block; its round changes must
// keep reporting it, or a committed block could be replaced). Saved before any message that
// depends on it leaves the node. Encoded as
//   rlp([version, block_number, round, [] or [prepared_round, block, [signed prepares]]])
// so a file or database store only has to keep bytes.

#include <cstdint>
#include <optional>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/chain/qbft_message.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

inline constexpr std::uint64_t kConsensusSnapshotVersion = 1;

struct PreparedCertificate {
  std::uint32_t round = 0;
  Block block;
  std::vector<SignedPayload> prepares;  // a quorum for (block_number, round, the block's digest)

  bool operator==(const PreparedCertificate&) const = default;
};

struct ConsensusSnapshot {
  std::uint64_t block_number = 0;
  std::uint32_t round = 0;
  std::optional<PreparedCertificate> prepared;

  Bytes encode() const;
  static Result<ConsensusSnapshot> decode(BytesView encoded, const CryptoSuite& suite);
  bool operator==(const ConsensusSnapshot&) const = default;
};

class ConsensusStore {
 public:
  virtual ~ConsensusStore() = default;
  // Durable when it returns; a store that cannot write must not return (assert or abort): the
  // engine's safety depends on it.
  virtual void save(const ConsensusSnapshot& snapshot) = 0;
  virtual std::optional<ConsensusSnapshot> load() const = 0;
};

// Keeps the encoded bytes, so every save and load goes through the real encoding. Survives a
// simulated crash because the simulator owns it, not the engine.
class MemoryConsensusStore final : public ConsensusStore {
 public:
  explicit MemoryConsensusStore(CryptoSuite suite) : suite_(suite) {}
  void save(const ConsensusSnapshot& snapshot) override {
    bytes_ = snapshot.encode();
    ++saves_;
  }
  std::optional<ConsensusSnapshot> load() const override;
  std::size_t saves() const noexcept { return saves_; }

 private:
  CryptoSuite suite_;
  std::optional<Bytes> bytes_;
  std::size_t saves_ = 0;
};

}  // namespace tally::chain
