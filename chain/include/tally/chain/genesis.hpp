#pragma once
// Genesis: a chain's fixed parameters and its state at block 0, read from genesis.json
// (schemas/genesis.schema.json) and turned into block 0.
//
// Block 0 (make_genesis):
//   - state: every admitted account with its balance; every alloc entry (tests: contracts with
//     nonce, code and storage); and every address registered in the SystemContracts given, with
//     the one-byte code 0xfe (INVALID, never run) so that extcodesize > 0 for Solidity callers and
//     EIP-161 never deletes the account its storage lives in (system_contracts.hpp);
//   - header: parent 0, block_number 0, that state root, empty transactions and receipts roots,
//     ommers hash of rlp([]), difficulty 1, the genesis gas limit and timestamp, beneficiary 0,
//     base fee 0 (this chain charges no base fee), mix_hash kBftMixHash, nonce 0, and extra_data
//     rlp([vanity, validators, round 0, no seals]) (extra_data.hpp): the consensus engine reads
//     the validator set from it; the vanity is the suite hash of to_json(genesis), so the genesis
//     hash covers every parameter (chain id, timing, observers) and not only the state. With round
//     0 and no seals the header hash equals block_digest (block_seal.hpp), so the genesis hash is
//     the same whichever way the ledger keys blocks.
//
// Determinism: everything in block 0 comes from the Genesis value; WorldState commits in address
// and slot order, so every node derives the same bytes.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <tally/chain/ledger.hpp>
#include <tally/chain/system_contracts.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

// The schema genesis files are checked against (schemas/, embedded).
inline constexpr std::string_view kGenesisSchema = "genesis.schema.json";
// Besu's IBFT/QBFT mix hash, "ctical byzantine fault tolerance": marks a BFT header.
inline constexpr std::string_view kBftMixHashHex =
    "63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";
Hash256 bft_mix_hash();
// A genesis file larger than this is refused before parsing (limit_exceeded).
inline constexpr std::size_t kMaxGenesisFileBytes = 64 * 1024 * 1024;
// Bounds beyond the schema's: storage slots per alloc entry and contract code (EIP-170).
inline constexpr std::size_t kMaxGenesisStorageSlots = 10'000;
inline constexpr std::size_t kMaxGenesisCodeBytes = 24'576;

struct ConsensusTiming {
  std::uint64_t block_period_ms = 1000;
  std::uint64_t round_timeout_ms = 2000;       // round r waits round_timeout_ms * 2^r ...
  std::uint64_t round_timeout_max_ms = 30000;  // ... capped here
  bool operator==(const ConsensusTiming&) const = default;
};

// An admitted account: it may send txs, and starts with `balance` wei.
struct GenesisAccount {
  Address address;
  u256 balance;
  bool operator==(const GenesisAccount&) const = default;
};

// Extra state (tests): an account with code and storage, not admitted as a sender.
struct GenesisAlloc {
  Address address;
  u256 balance;
  std::uint64_t nonce = 0;
  Bytes code;
  std::map<u256, u256> storage;  // zero values are not stored (an absent slot reads 0)
  bool operator==(const GenesisAlloc&) const = default;
};

struct Genesis {
  std::string consortium;
  std::uint64_t chain_id = 0;
  SuiteId suite = SuiteId::standard;
  std::uint64_t block_gas_limit = 0;
  std::uint64_t timestamp = 0;  // seconds since the Unix epoch
  ConsensusTiming consensus;
  std::vector<Address> validators;  // ascending, unique, at least one
  std::vector<Address> observers;   // unique, informational
  std::vector<GenesisAccount> accounts;
  std::vector<GenesisAlloc> alloc;

  bool operator==(const Genesis&) const = default;
};

// The semantic checks beyond the schema, each error naming the field as a JSON pointer:
// validators ascending and unique, observers unique and not validators, an address at most once
// across accounts and alloc, none in the system-contract range, round_timeout_max_ms >=
// round_timeout_ms, code and storage within their bounds. invalid_argument, one line per problem.
Result<void> check_genesis(const Genesis& genesis);

// genesis.json's text: schema-validated (errors "<file_name>: /validators/2: ..."), then
// check_genesis.
Result<Genesis> parse_genesis(std::string_view json_text, std::string_view file_name);
// The same from a file (io_error when unreadable, limit_exceeded past kMaxGenesisFileBytes).
Result<Genesis> load_genesis(const std::filesystem::path& path);

// The canonical JSON: fixed member order, two-space indent, addresses and hex in lower case,
// balances in decimal, a final newline. parse_genesis(to_json(g)) == g.
std::string to_json(const Genesis& genesis);

// Block 0 and its state (top of this file). invalid_argument when `suite` is not the genesis's
// suite, or an alloc entry or account sits on a registered system-contract address.
Result<BlockWrite> make_genesis(const Genesis& genesis,
                                const CryptoSuite& suite,
                                const SystemContracts* contracts = nullptr);

// The genesis hash: block 0's digest (block_seal.hpp), which names the chain.
Result<Hash256> genesis_hash(const Genesis& genesis,
                             const CryptoSuite& suite,
                             const SystemContracts* contracts = nullptr);

// Writes block 0 into an empty ledger; on a ledger that has blocks, checks that its block 0 is
// this genesis's and refuses (invalid_argument, both hashes named) a ledger of another chain.
// Returns the genesis hash.
Result<Hash256> initialise_ledger(Ledger& ledger,
                                  const Genesis& genesis,
                                  const SystemContracts* contracts = nullptr);

}  // namespace tally::chain
