// A real Solidity contract (test/chain/solidity/Counter.sol, compiled by the pinned solc 0.8.26
// into contracts.json by compile.sh) deployed and run through apply_tx: storage, an event, a revert
// reason, and a call between two contracts.

#include <filesystem>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <tally/chain/create_address.hpp>
#include <tally/chain/state_transition.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/keccak.hpp>

#include "support/testdata.hpp"

namespace tally::chain {
namespace {

const CryptoSuite kSuite(SuiteId::standard);

Bytes contract_code(std::string_view name) {
  const auto path =
      std::filesystem::path(TALLY_SOURCE_DIR) / "test" / "chain" / "solidity" / "contracts.json";
  const boost::json::value contracts = test::read_json(path);
  return from_hex(std::string_view(contracts.at(name).as_string())).value();
}

Bytes selector(std::string_view signature) {
  const Hash256 hash = keccak256(as_bytes(signature));
  return Bytes(hash.bytes.begin(), hash.bytes.begin() + 4);
}

void append_word(Bytes& out, const u256& value) {
  const Hash256 be = value.to_be();
  out.insert(out.end(), be.bytes.begin(), be.bytes.end());
}

u256 address_word(const Address& address) {
  Hash256 be;
  std::copy(address.bytes.begin(), address.bytes.end(), be.bytes.begin() + 12);
  return u256::from_be(be);
}

u256 word_at(const Bytes& data, std::size_t offset) {
  return u256::from_be_bytes(BytesView(data).subspan(offset, 32)).value();
}

class SolidityTest : public ::testing::Test {
 protected:
  SolidityTest() : state_(kSuite, nodes_, code_, empty_trie_root(kSuite)) {
    block_.coinbase = Address::from_hex("0x00000000000000000000000000000000000000cb").value();
    block_.number = 1;
    block_.gas_limit = 30'000'000;
    EXPECT_TRUE(state_.add_balance(kSender, u256(1) << 80));
  }

  TxOutcome send(std::optional<Address> to, Bytes data) {
    TxFields fields;
    fields.chain_id = 1;
    fields.nonce = nonce_++;
    fields.set_gas_price(0);
    fields.gas_limit = 3'000'000;
    fields.to = to;
    fields.data = std::move(data);
    auto outcome = apply_tx(state_, cache_, block_, fields, kSender);
    EXPECT_TRUE(outcome) << (outcome ? "" : outcome.error().message);
    return outcome ? *outcome : TxOutcome{};
  }

  Address deploy(std::string_view name, Bytes constructor_args = {}) {
    Bytes init = contract_code(name);
    init.insert(init.end(), constructor_args.begin(), constructor_args.end());
    const Address at = create_address(kSender, nonce_);
    const TxOutcome outcome = send(std::nullopt, std::move(init));
    EXPECT_TRUE(outcome.success()) << evm_status_name(outcome.status);
    EXPECT_EQ(outcome.contract_address, at);
    return at;
  }

  Bytes add_call(std::uint64_t amount) {
    Bytes data = selector("add(uint256)");
    append_word(data, amount);
    return data;
  }

  const Address kSender = Address::from_hex("0x1000000000000000000000000000000000000001").value();
  MemoryNodeStore nodes_;
  MemoryCodeStore code_;
  WorldState state_;
  CodeCache cache_;
  BlockEnv block_;
  std::uint64_t nonce_ = 0;
};

TEST_F(SolidityTest, AddStoresReturnsAndEmitsAnEvent) {
  const Address counter = deploy("Counter");
  const TxOutcome outcome = send(counter, add_call(5));
  ASSERT_TRUE(outcome.success()) << evm_status_name(outcome.status);
  EXPECT_EQ(word_at(outcome.output, 0), u256(5));
  EXPECT_EQ(state_.storage(counter, 0).value(), u256(5));  // `count` is slot 0
  ASSERT_EQ(outcome.logs.size(), 1u);
  const Log& log = outcome.logs[0];
  EXPECT_EQ(log.address, counter);
  ASSERT_EQ(log.topics.size(), 2u);
  EXPECT_EQ(log.topics[0], keccak256(as_bytes("Incremented(address,uint256)")));
  EXPECT_EQ(u256::from_be(log.topics[1]), address_word(kSender));
  EXPECT_EQ(word_at(log.data, 0), u256(5));

  const TxOutcome read = send(counter, selector("count()"));
  EXPECT_EQ(word_at(read.output, 0), u256(5));
}

TEST_F(SolidityTest, RequireFailureRevertsWithItsReason) {
  const Address counter = deploy("Counter");
  const TxOutcome outcome = send(counter, add_call(101));
  EXPECT_EQ(outcome.status, EvmStatus::revert);
  EXPECT_TRUE(outcome.logs.empty());
  EXPECT_EQ(state_.storage(counter, 0).value(), u256(0));
  // Error(string): selector, offset 32, length, the text.
  const Bytes& data = outcome.output;
  ASSERT_GE(data.size(), 4u + 96u);
  EXPECT_EQ(Bytes(data.begin(), data.begin() + 4), selector("Error(string)"));
  EXPECT_EQ(word_at(data, 4), u256(32));
  const std::uint64_t length = word_at(data, 36).low_u64();
  EXPECT_EQ(std::string(data.begin() + 68, data.begin() + 68 + static_cast<std::ptrdiff_t>(length)),
            "amount above 100");
}

TEST_F(SolidityTest, OneContractCallsAnother) {
  const Address counter = deploy("Counter");
  Bytes args;
  append_word(args, address_word(counter));
  const Address caller = deploy("Caller", args);
  ASSERT_TRUE(send(counter, add_call(5)).success());

  Bytes data = selector("addTwice(uint256)");
  append_word(data, 7);
  const TxOutcome outcome = send(caller, data);
  ASSERT_TRUE(outcome.success()) << evm_status_name(outcome.status);
  EXPECT_EQ(word_at(outcome.output, 0), u256(19));
  EXPECT_EQ(state_.storage(counter, 0).value(), u256(19));
  ASSERT_EQ(outcome.logs.size(), 2u);
  EXPECT_EQ(u256::from_be(outcome.logs[1].topics[1]), address_word(caller));  // msg.sender

  // A failing inner call (101 > 100) reverts the whole outer call, its first add included.
  Bytes too_much = selector("addTwice(uint256)");
  append_word(too_much, 101);
  EXPECT_EQ(send(caller, too_much).status, EvmStatus::revert);
  EXPECT_EQ(state_.storage(counter, 0).value(), u256(19));
}

}  // namespace
}  // namespace tally::chain
