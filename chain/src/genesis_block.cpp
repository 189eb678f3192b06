// Block 0 from a Genesis, and a ledger started on it (genesis.hpp).

#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/genesis.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/trie.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

// The code every system-contract address gets: INVALID, so it is never run as EVM code.
constexpr Byte kSystemContractCode = 0xfe;

Result<void> add_state(WorldState& state,
                       const Genesis& genesis,
                       const SystemContracts* contracts) {
  for (const GenesisAccount& account : genesis.accounts) {
    TALLY_TRY_VOID(state.add_balance(account.address, account.balance));
  }
  for (const GenesisAlloc& alloc : genesis.alloc) {
    if (contracts != nullptr && contracts->contains(alloc.address))
      return fail(Errc::invalid_argument,
                  str_cat("genesis alloc ", alloc.address.hex(), " is a system contract"));
    TALLY_TRY_VOID(state.add_balance(alloc.address, alloc.balance));
    TALLY_TRY_VOID(state.set_nonce(alloc.address, alloc.nonce));
    if (!alloc.code.empty()) {
      TALLY_TRY_VOID(state.set_code(alloc.address, alloc.code));
    }
    for (const auto& [slot, value] : alloc.storage) {
      TALLY_TRY_VOID(state.set_storage(alloc.address, slot, value));
    }
  }
  if (contracts != nullptr) {
    for (const Address& address : contracts->addresses()) {
      TALLY_TRY(const auto existing, state.account(address));
      if (existing.has_value())
        return fail(Errc::invalid_argument,
                    str_cat("genesis account ", address.hex(), " is a system contract"));
      TALLY_TRY_VOID(state.set_code(address, Bytes{kSystemContractCode}));
    }
  }
  return {};
}

BlockHeader genesis_header(const Genesis& genesis, const CryptoSuite& suite) {
  BlockHeader header;
  RlpWriter empty_list;
  empty_list.begin_list();
  empty_list.end_list();
  header.ommers_hash = suite.hash(empty_list.finish());
  header.transactions_root = empty_trie_root(suite);
  header.receipts_root = empty_trie_root(suite);
  header.difficulty = u256(1);
  header.block_number = 0;
  header.gas_limit = genesis.block_gas_limit;
  header.timestamp = genesis.timestamp;
  // The vanity binds every parameter of genesis.json that the header does not hold itself
  // (chain id, timing, observers, name), so two files that differ anywhere give two chains.
  const std::string canonical = to_json(genesis);
  const Hash256 parameters = suite.hash(as_bytes(canonical));
  header.extra_data = ConsensusExtra{
      Bytes(parameters.bytes.begin(), parameters.bytes.end()),
      genesis.validators,
      0,
      {}}.encode();
  header.mix_hash = bft_mix_hash();
  header.base_fee_per_gas = u256(0);
  return header;
}

}  // namespace

Result<BlockWrite> make_genesis(const Genesis& genesis,
                                const CryptoSuite& suite,
                                const SystemContracts* contracts) {
  if (suite.id() != genesis.suite)
    return fail(Errc::invalid_argument, str_cat("genesis is for the ", suite_name(genesis.suite),
                                                " suite, not ", suite.name()));
  TALLY_TRY_VOID(check_genesis(genesis));
  const MemoryNodeStore no_nodes;
  const MemoryCodeStore no_code;
  WorldState state(suite, no_nodes, no_code, empty_trie_root(suite));
  TALLY_TRY_VOID(add_state(state, genesis, contracts));
  BlockWrite write;
  write.block.header = genesis_header(genesis, suite);
  TALLY_TRY(write.block.header.state_root, state.commit(write.trie_nodes, write.code));
  return write;
}

Result<Hash256> genesis_hash(const Genesis& genesis,
                             const CryptoSuite& suite,
                             const SystemContracts* contracts) {
  TALLY_TRY(const BlockWrite write, make_genesis(genesis, suite, contracts));
  return block_digest(write.block.header, suite);
}

Result<Hash256> initialise_ledger(Ledger& ledger,
                                  const Genesis& genesis,
                                  const SystemContracts* contracts) {
  TALLY_TRY(const BlockWrite write, make_genesis(genesis, ledger.suite(), contracts));
  TALLY_TRY(const Hash256 expected, block_digest(write.block.header, ledger.suite()));
  if (!ledger.head().has_value()) {
    TALLY_TRY_VOID(ledger.commit(write));
    return expected;
  }
  TALLY_TRY(const auto stored, ledger.header_by_number(0));
  if (!stored.has_value())
    return fail(Errc::corrupted, "the ledger has a head but no block 0");
  TALLY_TRY(const Hash256 found, block_digest(*stored, ledger.suite()));
  if (found != expected)
    return fail(Errc::invalid_argument,
                str_cat("the ledger belongs to another chain: its genesis hash is ", found.hex(),
                        ", genesis.json gives ", expected.hex(),
                        " (use a new data_dir, or the genesis file this ledger was made with)"));
  return expected;
}

}  // namespace tally::chain
