#include <tally/chain/consensus_store.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

Result<PreparedCertificate> read_certificate(RlpReader& list,
                                             const CryptoSuite& suite,
                                             SignerCache& signers) {
  PreparedCertificate prepared;
  TALLY_TRY(const std::uint64_t round, in_context(list.read_uint64(), "snapshot: prepared round"));
  if (round > UINT32_MAX)
    return fail(Errc::out_of_range, "snapshot: prepared round exceeds 32 bits");
  prepared.round = static_cast<std::uint32_t>(round);
  TALLY_TRY(const BytesView raw_block, in_context(list.read_raw(), "snapshot: block"));
  TALLY_TRY(prepared.block, in_context(Block::decode(raw_block), "snapshot"));
  TALLY_TRY(RlpReader prepares, in_context(list.read_list(), "snapshot: prepares"));
  while (!prepares.at_end()) {
    if (prepared.prepares.size() == kMaxValidators)
      return fail(Errc::limit_exceeded, "snapshot: too many prepares");
    TALLY_TRY(const BytesView raw, in_context(prepares.read_raw(), "snapshot: prepare"));
    TALLY_TRY(SignedPayload prepare,
              in_context(SignedPayload::decode(raw, suite, signers), "snapshot"));
    prepared.prepares.push_back(std::move(prepare));
  }
  TALLY_TRY_VOID(in_context(list.finish(), "snapshot: after the prepares"));
  return prepared;
}

}  // namespace

Bytes ConsensusSnapshot::encode() const {
  RlpWriter writer;
  writer.begin_list();
  writer.add_uint(kConsensusSnapshotVersion);
  writer.add_uint(block_number);
  writer.add_uint(round);
  writer.begin_list();
  if (prepared) {
    writer.add_uint(prepared->round);
    writer.add_raw(prepared->block.encode());
    writer.begin_list();
    for (const SignedPayload& prepare : prepared->prepares)
      writer.add_raw(prepare.encode());
    writer.end_list();
  }
  writer.end_list();
  writer.end_list();
  return writer.finish();
}

Result<ConsensusSnapshot> ConsensusSnapshot::decode(BytesView encoded, const CryptoSuite& suite) {
  SignerCache signers;
  TALLY_TRY(RlpReader reader, in_context(rlp_open_list(encoded), "snapshot"));
  TALLY_TRY(const std::uint64_t version, in_context(reader.read_uint64(), "snapshot: version"));
  if (version != kConsensusSnapshotVersion)
    return fail(Errc::unsupported, str_cat("snapshot: version ", version));
  ConsensusSnapshot snapshot;
  TALLY_TRY(snapshot.block_number, in_context(reader.read_uint64(), "snapshot: block_number"));
  TALLY_TRY(const std::uint64_t round, in_context(reader.read_uint64(), "snapshot: round"));
  if (round > UINT32_MAX)
    return fail(Errc::out_of_range, "snapshot: round exceeds 32 bits");
  snapshot.round = static_cast<std::uint32_t>(round);
  TALLY_TRY(RlpReader prepared, in_context(reader.read_list(), "snapshot: prepared"));
  if (!prepared.at_end()) {
    TALLY_TRY(snapshot.prepared, read_certificate(prepared, suite, signers));
  }
  TALLY_TRY_VOID(in_context(reader.finish(), "snapshot: after prepared"));
  return snapshot;
}

std::optional<ConsensusSnapshot> MemoryConsensusStore::load() const {
  if (!bytes_)
    return std::nullopt;
  auto snapshot = ConsensusSnapshot::decode(*bytes_, suite_);
  TALLY_ASSERT(snapshot.has_value());  // written by encode() above: a failure is a bug
  return std::move(*snapshot);
}

}  // namespace tally::chain
