// Genesis: genesis.json parsed strictly with errors naming the field, its canonical form, block 0
// and its state, and a ledger started on it (chain/genesis.hpp).

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tally/chain/account.hpp>
#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/genesis.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/secure_trie.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/rlp_encode.hpp>

#include "support/temp_dir.hpp"

namespace tally::chain {
namespace {

using ::testing::HasSubstr;

Address address_of(std::uint8_t fill) {
  Address a;
  a.bytes.fill(fill);
  return a;
}

Genesis sample(SuiteId suite = SuiteId::standard) {
  Genesis g;
  g.consortium = "Test \"quoted\" consortium";
  g.chain_id = 4242;
  g.suite = suite;
  g.block_gas_limit = 30'000'000;
  g.timestamp = 1'700'000'000;
  g.consensus = {500, 1000, 8000};
  g.validators = {address_of(0x11), address_of(0x22), address_of(0x33), address_of(0x44)};
  g.observers = {address_of(0x55)};
  g.accounts = {{address_of(0xa1), u256::from_decimal("1000000000000000000000").value()},
                {address_of(0xa2), u256(7)}};
  GenesisAlloc contract;
  contract.address = address_of(0xc1);
  contract.nonce = 1;
  contract.code = from_hex("0x60016000f3").value();
  contract.storage = {{u256(1), u256(42)}, {u256::max(), u256(3)}};
  g.alloc = {contract};
  return g;
}

SystemContracts one_system_contract() {
  SystemContracts contracts;
  EXPECT_TRUE(contracts.add(system_contract_address(0), SystemContract("Registry")));
  return contracts;
}

// Replaces the first `from` in `text` by `to`; the test fails if it is absent.
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return text;
}

std::string parse_error(const std::string& text) {
  const auto parsed = parse_genesis(text, "genesis.json");
  EXPECT_FALSE(parsed);
  return parsed ? std::string() : parsed.error().message;
}

TEST(Genesis, CanonicalJsonRoundTrips) {
  const Genesis g = sample();
  const std::string text = to_json(g);
  const auto parsed = parse_genesis(text, "genesis.json");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, g);
  EXPECT_EQ(to_json(*parsed), text);
  EXPECT_THAT(text, HasSubstr("\"balance\": \"1000000000000000000000\""));
}

TEST(Genesis, EmptyOptionalListsRoundTrip) {
  Genesis g = sample(SuiteId::guomi);
  g.observers.clear();
  g.alloc.clear();
  const auto parsed = parse_genesis(to_json(g), "genesis.json");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, g);
}

TEST(Genesis, SchemaErrorsNameTheField) {
  const std::string text = to_json(sample());
  EXPECT_THAT(
      parse_error(replaced(text, "\"block_gas_limit\": 30000000", "\"block_gas_limit\": 0")),
      HasSubstr("genesis.json: /block_gas_limit: must be >= 21000"));
  EXPECT_THAT(parse_error(replaced(text, "\"suite\": \"standard\"", "\"suite\": \"sm\"")),
              HasSubstr("/suite"));
  EXPECT_THAT(parse_error(replaced(text, "\"chain_id\": 4242", "\"chain_id\": 4242, \"x\": 1")),
              HasSubstr("x"));
  EXPECT_THAT(parse_error(replaced(text, "\"balance\": \"7\"", "\"balance\": \"-7\"")),
              HasSubstr("/accounts/1/balance"));
}

TEST(Genesis, BalanceBeyond256BitsIsRefused) {
  const std::string too_big(78, '9');  // 10^78 - 1 > 2^256 - 1
  const std::string text =
      replaced(to_json(sample()), "\"balance\": \"7\"", "\"balance\": \"" + too_big + "\"");
  EXPECT_THAT(parse_error(text), HasSubstr("/accounts/1/balance: not a 256-bit amount"));
}

TEST(Genesis, SemanticErrorsNameTheField) {
  Genesis duplicate = sample();
  duplicate.validators[1] = duplicate.validators[0];
  EXPECT_THAT(parse_error(to_json(duplicate)),
              HasSubstr("genesis.json: /validators/1: duplicate validator"));

  Genesis unsorted = sample();
  std::swap(unsorted.validators[0], unsorted.validators[3]);
  EXPECT_THAT(parse_error(to_json(unsorted)),
              HasSubstr("/validators/1: validators must be in ascending order"));

  Genesis twice = sample();
  twice.alloc[0].address = twice.accounts[1].address;
  EXPECT_THAT(parse_error(to_json(twice)), HasSubstr("/alloc/0/address: duplicate address"));

  Genesis observer = sample();
  observer.observers.push_back(observer.validators[2]);
  EXPECT_THAT(parse_error(to_json(observer)), HasSubstr("/observers/1: is also a validator"));

  Genesis timing = sample();
  timing.consensus.round_timeout_max_ms = 999;
  EXPECT_THAT(parse_error(to_json(timing)),
              HasSubstr("/consensus/round_timeout_max_ms: must be >= round_timeout_ms"));

  Genesis reserved = sample();
  reserved.accounts[0].address = system_contract_address(5);
  EXPECT_THAT(parse_error(to_json(reserved)),
              HasSubstr("/accounts/0/address: address in the system-contract range"));
}

TEST(Genesis, EveryProblemIsReported) {
  Genesis g = sample();
  g.validators[1] = g.validators[0];
  g.consensus.round_timeout_max_ms = 1;
  const std::string message = parse_error(to_json(g));
  EXPECT_THAT(message, HasSubstr("/validators/1"));
  EXPECT_THAT(message, HasSubstr("/consensus/round_timeout_max_ms"));
}

TEST(Genesis, StorageSlotGivenTwiceIsRefused) {
  const std::string text =
      replaced(to_json(sample()), "\"0x1\": \"0x2a\"", "\"0x1\": \"0x2a\", \"0x01\": \"0x2b\"");
  EXPECT_THAT(parse_error(text), HasSubstr("/alloc/0/storage/0x01: slot given twice"));
}

TEST(Genesis, LoadReadsAFileAndNamesIt) {
  test::TempDir dir;
  const auto missing = load_genesis(dir / "absent.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::io_error);
  EXPECT_THAT(missing.error().message, HasSubstr("absent.json"));
}

TEST(GenesisBlock, HeaderCarriesTheParameters) {
  const CryptoSuite suite(SuiteId::standard);
  const Genesis g = sample();
  const auto write = make_genesis(g, suite);
  ASSERT_TRUE(write) << write.error().message;
  const BlockHeader& h = write->block.header;
  EXPECT_EQ(h.parent_hash, Hash256{});
  EXPECT_EQ(h.block_number, 0u);
  EXPECT_EQ(h.gas_limit, g.block_gas_limit);
  EXPECT_EQ(h.gas_used, 0u);
  EXPECT_EQ(h.timestamp, g.timestamp);
  EXPECT_EQ(h.beneficiary, Address{});
  EXPECT_EQ(h.transactions_root, empty_trie_root(suite));
  EXPECT_EQ(h.receipts_root, empty_trie_root(suite));
  EXPECT_EQ(h.ommers_hash, suite.hash(from_hex("0xc0").value()));
  EXPECT_EQ(h.difficulty, u256(1));
  EXPECT_EQ(h.base_fee_per_gas, u256(0));
  EXPECT_EQ(h.mix_hash.hex(false), kBftMixHashHex);
  EXPECT_TRUE(write->block.txs.empty());
  EXPECT_TRUE(write->receipts.empty());

  const auto extra = ConsensusExtra::decode(h.extra_data);
  ASSERT_TRUE(extra);
  EXPECT_EQ(extra->validators, g.validators);
  EXPECT_EQ(extra->round, 0u);
  EXPECT_TRUE(extra->commit_seals.empty());
}

TEST(GenesisBlock, HashIsTheBlockDigest) {
  const CryptoSuite suite(SuiteId::standard);
  const auto write = make_genesis(sample(), suite);
  ASSERT_TRUE(write);
  const auto hash = genesis_hash(sample(), suite);
  ASSERT_TRUE(hash);
  EXPECT_EQ(*hash, block_digest(write->block.header, suite).value());
  EXPECT_EQ(*hash, write->block.header.hash(suite));  // round 0, no seals
}

// The state root recomputed independently: each account's RLP in a secure trie.
TEST(GenesisBlock, StateRootHoldsTheBalances) {
  const CryptoSuite suite(SuiteId::standard);
  Genesis g = sample();
  g.alloc.clear();
  const auto write = make_genesis(g, suite);
  ASSERT_TRUE(write);
  SecureTrie trie(suite);
  for (const GenesisAccount& a : g.accounts) {
    Account account = Account::empty(suite);
    account.balance = a.balance;
    ASSERT_TRUE(trie.put(a.address.view(), account.encode()));
  }
  EXPECT_EQ(write->block.header.state_root, trie.root_hash());
}

TEST(GenesisBlock, StateHoldsAllocAndSystemContractCode) {
  const CryptoSuite suite(SuiteId::standard);
  const SystemContracts contracts = one_system_contract();
  const Genesis g = sample();
  const auto write = make_genesis(g, suite, &contracts);
  ASSERT_TRUE(write) << write.error().message;
  MemoryNodeStore nodes;
  nodes.write(write->trie_nodes);
  MemoryCodeStore code;
  for (const auto& [hash, bytes] : write->code)
    code.put(hash, bytes);
  WorldState state(suite, nodes, code, write->block.header.state_root);

  EXPECT_EQ(state.code(system_contract_address(0)).value(), Bytes{0xfe});
  EXPECT_EQ(state.account(g.accounts[0].address).value()->balance, g.accounts[0].balance);
  const GenesisAlloc& alloc = g.alloc[0];
  EXPECT_EQ(state.code(alloc.address).value(), alloc.code);
  EXPECT_EQ(state.account(alloc.address).value()->nonce, 1u);
  EXPECT_EQ(state.storage(alloc.address, u256(1)).value(), u256(42));
  EXPECT_EQ(state.storage(alloc.address, u256::max()).value(), u256(3));
  EXPECT_EQ(state.storage(alloc.address, u256(2)).value(), u256(0));

  // The system contract's code changes the root: a node without the registry is another chain.
  EXPECT_NE(write->block.header.state_root, make_genesis(g, suite).value().block.header.state_root);
}

TEST(GenesisBlock, DeterministicAndSensitiveToEveryInput) {
  const CryptoSuite suite(SuiteId::standard);
  const Hash256 base = genesis_hash(sample(), suite).value();
  EXPECT_EQ(genesis_hash(sample(), suite).value(), base);
  Genesis richer = sample();
  richer.accounts[1].balance = u256(8);
  EXPECT_NE(genesis_hash(richer, suite).value(), base);
  Genesis fewer = sample();
  fewer.validators.pop_back();
  EXPECT_NE(genesis_hash(fewer, suite).value(), base);
  Genesis later = sample();
  later.timestamp += 1;
  EXPECT_NE(genesis_hash(later, suite).value(), base);
  // Parameters outside the header and the state are bound through the vanity.
  Genesis other_chain = sample();
  other_chain.chain_id += 1;
  EXPECT_NE(genesis_hash(other_chain, suite).value(), base);
  Genesis slower = sample();
  slower.consensus.block_period_ms += 1;
  EXPECT_NE(genesis_hash(slower, suite).value(), base);
}

TEST(GenesisBlock, GuomiSuiteHashesWithSm3) {
  const CryptoSuite guomi(SuiteId::guomi);
  const auto write = make_genesis(sample(SuiteId::guomi), guomi);
  ASSERT_TRUE(write) << write.error().message;
  EXPECT_EQ(write->block.header.transactions_root, empty_trie_root(guomi));
  EXPECT_NE(genesis_hash(sample(SuiteId::guomi), guomi).value(),
            genesis_hash(sample(), CryptoSuite(SuiteId::standard)).value());
}

TEST(GenesisBlock, SuiteMismatchIsRefused) {
  const auto write = make_genesis(sample(SuiteId::guomi), CryptoSuite(SuiteId::standard));
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, Errc::invalid_argument);
  EXPECT_THAT(write.error().message, HasSubstr("guomi"));
}

TEST(GenesisBlock, InvalidGenesisIsRefused) {
  Genesis g = sample();
  g.validators.clear();
  EXPECT_FALSE(make_genesis(g, CryptoSuite(SuiteId::standard)));
}

TEST(GenesisLedger, WritesBlockZeroThenAcceptsOnlyTheSameGenesis) {
  test::TempDir dir;
  const CryptoSuite suite(SuiteId::standard);
  const Genesis g = sample();
  Hash256 hash;
  {
    auto ledger = Ledger::open(dir / "ledger.db", suite);
    ASSERT_TRUE(ledger) << ledger.error().message;
    const auto written = initialise_ledger(*ledger, g);
    ASSERT_TRUE(written) << written.error().message;
    hash = *written;
    ASSERT_TRUE(ledger->head().has_value());
    EXPECT_EQ(ledger->head()->block_number, 0u);
  }
  auto ledger = Ledger::open(dir / "ledger.db", suite);
  ASSERT_TRUE(ledger);
  const auto again = initialise_ledger(*ledger, g);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, hash);

  Genesis other = g;
  other.chain_id += 1;
  const auto refused = initialise_ledger(*ledger, other);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_THAT(refused.error().message, HasSubstr("another chain"));
  EXPECT_THAT(refused.error().message, HasSubstr(hash.hex()));
}

}  // namespace
}  // namespace tally::chain
