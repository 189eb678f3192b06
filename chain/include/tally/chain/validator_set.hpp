#pragma once
// The validators that finalise blocks, with the BFT arithmetic over them: n = 3f + 1 tolerates f
// byzantine validators, and any two quorums of ceil(2n/3) share at least f + 1 validators, so at
// least one honest one. The set is kept sorted so every node derives the same proposer order.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

class ValidatorSet {
 public:
  // At least one validator, at most kMaxValidators, no duplicates (invalid_argument otherwise).
  static Result<ValidatorSet> create(std::vector<Address> validators);

  std::size_t size() const noexcept { return validators_.size(); }
  // The most byzantine validators the set tolerates: floor((n - 1) / 3).
  std::size_t max_faulty() const noexcept { return (size() - 1) / 3; }
  // ceil(2n / 3).
  std::size_t quorum() const noexcept { return (2 * size() + 2) / 3; }

  bool contains(const Address& validator) const noexcept { return index_of(validator).has_value(); }
  std::optional<std::size_t> index_of(const Address& validator) const noexcept;
  const std::vector<Address>& addresses() const noexcept { return validators_; }

  // Round robin over block number and round, so a faulty proposer costs one round and the next
  // block starts with the next validator.
  const Address& proposer(std::uint64_t block_number, std::uint32_t round) const noexcept;

  bool operator==(const ValidatorSet&) const = default;

 private:
  explicit ValidatorSet(std::vector<Address> sorted) : validators_(std::move(sorted)) {}
  std::vector<Address> validators_;
};

}  // namespace tally::chain
