#include <algorithm>

#include <tally/chain/extra_data.hpp>
#include <tally/chain/validator_set.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

Result<ValidatorSet> ValidatorSet::create(std::vector<Address> validators) {
  if (validators.empty())
    return fail(Errc::invalid_argument, "validator set: empty");
  if (validators.size() > kMaxValidators) {
    return fail(Errc::limit_exceeded,
                str_cat("validator set: ", validators.size(), " exceeds ", kMaxValidators));
  }
  std::ranges::sort(validators);
  if (std::ranges::adjacent_find(validators) != validators.end())
    return fail(Errc::invalid_argument, "validator set: duplicate validator");
  return ValidatorSet(std::move(validators));
}

std::optional<std::size_t> ValidatorSet::index_of(const Address& validator) const noexcept {
  const auto found = std::ranges::lower_bound(validators_, validator);
  if (found == validators_.end() || *found != validator)
    return std::nullopt;
  return static_cast<std::size_t>(found - validators_.begin());
}

const Address& ValidatorSet::proposer(std::uint64_t block_number,
                                      std::uint32_t round) const noexcept {
  return validators_[(block_number + round) % validators_.size()];
}

}  // namespace tally::chain
