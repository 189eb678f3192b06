#include <vector>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/finality.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

Result<void> verify_finality(const Block& block,
                             const ValidatorSet& validators,
                             const CryptoSuite& suite) {
  TALLY_TRY(const ConsensusExtra extra,
            in_context(ConsensusExtra::decode(block.header.extra_data), "finality"));
  if (extra.validators != validators.addresses())
    return fail(Errc::verification_failed, "finality: extra_data names another validator set");
  TALLY_TRY(const Hash256 digest, block_digest(block.header, suite));
  const Hash256 seal_hash = commit_seal_hash(digest, extra.round, suite);
  std::vector<bool> sealed(validators.size(), false);
  for (std::size_t i = 0; i < extra.commit_seals.size(); ++i) {
    const std::string place = str_cat("finality: commit seal ", i);
    TALLY_TRY(const Signature seal,
              in_context(Signature::decode(suite.id(), extra.commit_seals[i]), place));
    TALLY_TRY(const PublicKey signer, in_context(suite.recover_signer(seal_hash, seal), place));
    const auto index = validators.index_of(suite.address(signer));
    if (!index)
      return fail(Errc::verification_failed, str_cat(place, ": not from a validator"));
    if (sealed[*index])
      return fail(Errc::verification_failed, str_cat(place, ": repeats a validator"));
    sealed[*index] = true;
  }
  if (extra.commit_seals.size() < validators.quorum()) {
    return fail(Errc::verification_failed,
                str_cat("finality: ", extra.commit_seals.size(), " commit seals, quorum is ",
                        validators.quorum()));
  }
  return {};
}

}  // namespace tally::chain
