#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/core/rlp_encode.hpp>

namespace tally::chain {

Result<Hash256> block_digest(const BlockHeader& header, const CryptoSuite& suite) {
  TALLY_TRY(ConsensusExtra extra, ConsensusExtra::decode(header.extra_data));
  extra.round = 0;
  extra.commit_seals.clear();
  BlockHeader unsealed = header;
  unsealed.extra_data = extra.encode();
  return unsealed.hash(suite);
}

Hash256 commit_seal_hash(const Hash256& digest, std::uint32_t round, const CryptoSuite& suite) {
  RlpWriter writer;
  writer.begin_list();
  writer.add_uint(kCommitSealTag);
  writer.add_string(digest.view());
  writer.add_uint(round);
  writer.end_list();
  return suite.hash(writer.finish());
}

Result<Block> seal_block(Block block, std::uint32_t round, std::vector<Bytes> seals) {
  TALLY_TRY(ConsensusExtra extra, ConsensusExtra::decode(block.header.extra_data));
  extra.round = round;
  extra.commit_seals = std::move(seals);
  block.header.extra_data = extra.encode();
  return block;
}

}  // namespace tally::chain
