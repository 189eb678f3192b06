#include <algorithm>
#include <optional>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/qbft_checks.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

std::unexpected<Error> refuse(std::string_view what, std::string detail) {
  return fail(Errc::verification_failed, str_cat(what, ": ", detail));
}

Result<void> check_signer(const SignedPayload& signed_payload,
                          const CheckContext& context,
                          std::string_view what) {
  if (!context.validators.contains(signed_payload.signer))
    return refuse(what, str_cat("signer ", signed_payload.signer.hex(), " is not a validator"));
  if (signed_payload.payload.block_number != context.block_number) {
    return refuse(what, str_cat("block_number ", signed_payload.payload.block_number, ", deciding ",
                                context.block_number));
  }
  return {};
}

Result<void> check_extra(const Block& block, const CheckContext& context) {
  TALLY_TRY(const ConsensusExtra extra,
            in_context(ConsensusExtra::decode(block.header.extra_data), "block"));
  if (extra.validators != context.validators.addresses())
    return refuse("block", "extra_data names another validator set");
  if (extra.round != 0 || !extra.commit_seals.empty())
    return refuse("block", "extra_data carries a round or seals");
  return {};
}

Result<void> check_timestamp(const BlockHeader& header, const CheckContext& context) {
  if (header.timestamp < context.parent.timestamp + context.block_period_s) {
    return refuse("block", str_cat("timestamp ", header.timestamp, " is within the block period",
                                   " after the parent's ", context.parent.timestamp));
  }
  if (header.timestamp > (context.now_ms + kMaxClockDriftMs) / 1000)
    return refuse("block", str_cat("timestamp ", header.timestamp, " is in the future"));
  return {};
}

// Round changes of a proposal's justification: a quorum for this round, distinct validators.
// Returns the one reporting the highest prepared round, if any does.
Result<std::optional<Payload>> check_round_changes(const Message& proposal,
                                                   const CheckContext& context) {
  const std::uint32_t round = proposal.payload().round;
  std::vector<Address> seen;
  std::optional<Payload> highest;
  for (const SignedPayload& change : proposal.round_changes) {
    TALLY_TRY_VOID(check_signer(change, context, "justification"));
    const Payload& payload = change.payload;
    if (payload.type != MessageType::round_change || payload.round != round)
      return refuse("justification", str_cat("not a round change for round ", round));
    if (std::ranges::find(seen, change.signer) != seen.end())
      return refuse("justification", "two round changes from one validator");
    seen.push_back(change.signer);
    if (payload.prepared_round && *payload.prepared_round >= round)
      return refuse("justification", "prepared round not below the round");
    if (payload.prepared_round && (!highest || *payload.prepared_round > *highest->prepared_round))
      highest = payload;
  }
  if (seen.size() < context.validators.quorum()) {
    return refuse("justification",
                  str_cat(seen.size(), " round changes, quorum is ", context.validators.quorum()));
  }
  return highest;
}

}  // namespace

Result<Hash256> check_block(const Block& block, const CheckContext& context) {
  const BlockHeader& header = block.header;
  if (header.block_number != context.block_number) {
    return fail(Errc::verification_failed, str_cat("block: block_number ", header.block_number,
                                                   ", deciding ", context.block_number));
  }
  if (header.parent_hash != context.parent_digest)
    return fail(Errc::verification_failed, "block: parent_hash is not the final parent");
  TALLY_TRY_VOID(check_extra(block, context));
  if (!context.validators.contains(header.beneficiary))
    return fail(Errc::verification_failed, "block: beneficiary is not a validator");
  TALLY_TRY_VOID(check_timestamp(header, context));
  if (block.txs.empty())
    return fail(Errc::verification_failed, "block: no txs (empty blocks are not proposed)");
  // The digest covers the header only: the body must be the one the header names.
  if (header.transactions_root != ordered_trie_root(block.txs, context.suite))
    return fail(Errc::verification_failed, "block: transactions_root is not the txs'");
  return block_digest(header, context.suite);
}

Result<void> check_prepares(const std::vector<SignedPayload>& prepares,
                            std::uint32_t round,
                            const Hash256& digest,
                            const CheckContext& context) {
  std::vector<Address> seen;
  for (const SignedPayload& prepare : prepares) {
    TALLY_TRY_VOID(check_signer(prepare, context, "prepared certificate"));
    const Payload& payload = prepare.payload;
    if (payload.type != MessageType::prepare || payload.round != round || payload.digest != digest)
      return refuse("prepared certificate",
                    str_cat("not a prepare of this block in round ", round));
    if (std::ranges::find(seen, prepare.signer) != seen.end())
      return refuse("prepared certificate", "two prepares from one validator");
    seen.push_back(prepare.signer);
  }
  if (seen.size() < context.validators.quorum()) {
    return refuse("prepared certificate",
                  str_cat(seen.size(), " prepares, quorum is ", context.validators.quorum()));
  }
  return {};
}

Result<Hash256> check_proposal(const Message& proposal, const CheckContext& context) {
  const Payload& payload = proposal.payload();
  TALLY_TRY_VOID(check_signer(proposal.signed_payload, context, "proposal"));
  if (proposal.signer() != context.validators.proposer(context.block_number, payload.round))
    return fail(Errc::verification_failed,
                str_cat("proposal: not the proposer of round ", payload.round));
  TALLY_TRY(const Hash256 digest, in_context(check_block(*proposal.block, context), "proposal"));
  if (digest != payload.digest)
    return fail(Errc::verification_failed, "proposal: digest is not the block's");
  if (payload.round == 0) {
    if (!proposal.round_changes.empty() || !proposal.prepares.empty())
      return fail(Errc::verification_failed, "proposal: justification in round 0");
    return digest;
  }
  TALLY_TRY(const std::optional<Payload> highest, check_round_changes(proposal, context));
  if (!highest) {
    if (!proposal.prepares.empty())
      return fail(Errc::verification_failed, "proposal: prepares without a prepared round change");
    return digest;
  }
  if (highest->digest != digest)
    return fail(Errc::verification_failed, "proposal: not the highest prepared block");
  TALLY_TRY_VOID(check_prepares(proposal.prepares, *highest->prepared_round, digest, context));
  return digest;
}

Result<void> check_round_change(const Message& round_change, const CheckContext& context) {
  const Payload& payload = round_change.payload();
  TALLY_TRY_VOID(check_signer(round_change.signed_payload, context, "round change"));
  if (payload.round == 0)
    return fail(Errc::verification_failed, "round change: to round 0");
  if (!payload.prepared_round)
    return {};
  if (*payload.prepared_round >= payload.round)
    return fail(Errc::verification_failed, "round change: prepared round not below the round");
  TALLY_TRY(const Hash256 digest,
            in_context(check_block(*round_change.block, context), "round change"));
  if (digest != payload.digest)
    return fail(Errc::verification_failed, "round change: digest is not the prepared block's");
  return check_prepares(round_change.prepares, *payload.prepared_round, digest, context);
}

Result<void> check_vote(const Message& vote, const CheckContext& context) {
  const Payload& payload = vote.payload();
  TALLY_TRY_VOID(check_signer(vote.signed_payload, context, "vote"));
  if (payload.type != MessageType::commit)
    return {};
  const Hash256 seal_hash = commit_seal_hash(payload.digest, payload.round, context.suite);
  TALLY_TRY(const Address signer,
            in_context(context.signers.recover(context.suite, seal_hash, payload.commit_seal),
                       "commit seal"));
  if (signer != vote.signer())
    return fail(Errc::verification_failed, "commit seal: signed by another key than the commit");
  return {};
}

}  // namespace tally::chain
