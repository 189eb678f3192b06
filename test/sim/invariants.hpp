#pragma once
// What the simulator checks after every step, over honest nodes only:
// - agreement: no two honest nodes finalise different blocks at one block_number;
// - validity: a finalised block was proposed (built by some node's executor, or crafted by a
//   byzantine proposer), was validated by at least one honest node's execution, re-executes on
//   commit, and its seals pass verify_finality from the block and validator set alone.
// A violation is kept as text; the test fails with it and the seed's replay command.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/chain/validator_set.hpp>
#include <tally/core/crypto_suite.hpp>

namespace tally::sim {

class InvariantChecker {
 public:
  InvariantChecker(chain::ValidatorSet validators, CryptoSuite suite)
      : validators_(std::move(validators)), suite_(suite) {}

  void on_proposed(const chain::Block& block);
  void on_validated_by_honest(const Hash256& digest) { validated_.insert(digest); }
  void on_commit(std::size_t node, const chain::Block& sealed, std::uint64_t now_ms);
  void violation(std::string text) { violations_.push_back(std::move(text)); }

  const std::vector<std::string>& violations() const noexcept { return violations_; }
  // The highest block_number any honest node finalised, and when it first was.
  std::uint64_t highest_final() const noexcept { return highest_; }
  std::uint64_t final_at_ms(std::uint64_t block_number) const {
    return first_final_ms_.at(block_number);
  }

 private:
  chain::ValidatorSet validators_;
  CryptoSuite suite_;
  std::set<Hash256> proposed_;
  std::set<Hash256> validated_;
  std::map<std::uint64_t, Hash256> final_;
  std::map<std::uint64_t, std::uint64_t> first_final_ms_;
  std::uint64_t highest_ = 0;
  std::vector<std::string> violations_;
};

}  // namespace tally::sim
