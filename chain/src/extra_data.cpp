#include <tally/chain/extra_data.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

std::string at(std::string_view name) {
  return str_cat("extra_data: ", name);
}

Result<void> within(std::size_t size, std::size_t limit, std::string_view name) {
  if (size <= limit)
    return {};
  return fail(Errc::limit_exceeded, str_cat(at(name), ": ", size, " exceeds ", limit));
}

}  // namespace

Bytes ConsensusExtra::encode() const {
  RlpWriter writer;
  writer.begin_list();
  writer.add_string(vanity);
  writer.begin_list();
  for (const Address& validator : validators)
    writer.add_string(validator.view());
  writer.end_list();
  writer.add_uint(round);
  writer.begin_list();
  for (const Bytes& seal : commit_seals)
    writer.add_string(seal);
  writer.end_list();
  writer.end_list();
  return writer.finish();
}

Result<ConsensusExtra> ConsensusExtra::decode(BytesView extra_data) {
  TALLY_TRY(RlpReader reader, in_context(rlp_open_list(extra_data), "extra_data"));
  ConsensusExtra extra;
  TALLY_TRY(const BytesView vanity, in_context(reader.read_string(), at("vanity")));
  TALLY_TRY_VOID(within(vanity.size(), kMaxVanityBytes, "vanity bytes"));
  extra.vanity.assign(vanity.begin(), vanity.end());

  TALLY_TRY(RlpReader validators, in_context(reader.read_list(), at("validators")));
  while (!validators.at_end()) {
    TALLY_TRY_VOID(within(extra.validators.size() + 1, kMaxValidators, "validators"));
    TALLY_TRY(const Address validator, in_context(validators.read_fixed<20>(), at("validator")));
    extra.validators.push_back(validator);
  }

  TALLY_TRY(const std::uint64_t round, in_context(reader.read_uint64(), at("round")));
  TALLY_TRY_VOID(within(round, UINT32_MAX, "round"));
  extra.round = static_cast<std::uint32_t>(round);

  TALLY_TRY(RlpReader seals, in_context(reader.read_list(), at("commit_seals")));
  while (!seals.at_end()) {
    TALLY_TRY_VOID(within(extra.commit_seals.size() + 1, kMaxValidators, "commit seals"));
    TALLY_TRY(const BytesView seal, in_context(seals.read_string(), at("commit seal")));
    TALLY_TRY_VOID(within(seal.size(), kMaxSealBytes, "commit seal bytes"));
    extra.commit_seals.emplace_back(seal.begin(), seal.end());
  }
  TALLY_TRY_VOID(in_context(reader.finish(), "extra_data: after commit_seals"));
  return extra;
}

}  // namespace tally::chain
