#include "sim/invariants.hpp"

#include <tally/chain/block_seal.hpp>
#include <tally/chain/finality.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::sim {

void InvariantChecker::on_proposed(const chain::Block& block) {
  const auto digest = chain::block_digest(block.header, suite_);
  if (digest)
    proposed_.insert(*digest);
}

void InvariantChecker::on_commit(std::size_t node,
                                 const chain::Block& sealed,
                                 std::uint64_t now_ms) {
  const std::uint64_t number = sealed.header.block_number;
  const std::string where = str_cat("node ", node, " block ", number, ": ");
  if (auto final = chain::verify_finality(sealed, validators_, suite_); !final) {
    violation(str_cat(where, "seals do not verify: ", final.error().message));
    return;
  }
  const auto digest = chain::block_digest(sealed.header, suite_);
  if (!digest) {
    violation(str_cat(where, "no digest"));
    return;
  }
  if (!proposed_.contains(*digest))
    violation(str_cat(where, "finalised a block nobody proposed"));
  if (!validated_.contains(*digest))
    violation(str_cat(where, "finalised a block no honest node validated"));
  const auto [known, fresh] = final_.emplace(number, *digest);
  if (!fresh && known->second != *digest)
    violation(str_cat(where, "disagrees with another honest node (agreement broken)"));
  if (fresh) {
    first_final_ms_[number] = now_ms;
    highest_ = std::max(highest_, number);
  }
}

}  // namespace tally::sim
