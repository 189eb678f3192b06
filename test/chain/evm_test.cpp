// The EVM's rules through the transaction-level state transition: the 63/64 rule, the call stipend,
// the depth limit, REVERT's return data, EIP-170/3541 refusals, EIP-6780 SELFDESTRUCT, EIP-1153
// transient storage, failure keeping nonce and payment, zero gas price, static calls.

#include <gtest/gtest.h>

#include <tally/chain/create_address.hpp>
#include <tally/chain/interpreter.hpp>
#include <tally/chain/state_transition.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

const CryptoSuite kSuite(SuiteId::standard);

Address address(Byte value) {
  Address out;
  out.bytes[0] = 0xaa;
  out.bytes[19] = value;
  return out;
}

// Bytecode from hex text (spaces ignored); "<addr:N>" stands for address(N) (20 bytes).
Bytes code(std::string text) {
  std::erase(text, ' ');
  for (std::size_t at; (at = text.find("<addr:")) != std::string::npos;) {
    const std::size_t end = text.find('>', at);
    const int id = std::stoi(text.substr(at + 6, end - at - 6));
    text.replace(at, end - at + 1, address(static_cast<Byte>(id)).hex(false));
  }
  return from_hex(text).value();
}

class EvmTest : public ::testing::Test {
 protected:
  EvmTest() : state_(kSuite, nodes_, code_, empty_trie_root(kSuite)) {
    block_.coinbase = address(0xcb);
    block_.number = 10;
    block_.gas_limit = 30'000'000;
    block_.base_fee = 1;
    EXPECT_TRUE(state_.add_balance(kSender, u256(1'000'000'000'000)));
  }

  void install(const Address& at, const Bytes& bytes, const u256& balance = 0) {
    ASSERT_TRUE(state_.set_code(at, bytes));
    ASSERT_TRUE(state_.add_balance(at, balance));
  }

  TxFields tx_to(std::optional<Address> to, std::uint64_t gas_limit = 200'000) {
    TxFields fields;
    fields.chain_id = 1;
    fields.nonce = nonce_++;
    fields.set_gas_price(1);
    fields.gas_limit = gas_limit;
    fields.to = to;
    return fields;
  }

  TxOutcome run(const TxFields& fields) {
    auto outcome = apply_tx(state_, cache_, block_, fields, kSender);
    EXPECT_TRUE(outcome) << (outcome ? "" : outcome.error().message);
    return outcome ? *outcome : TxOutcome{};
  }

  u256 slot(const Address& at, std::uint64_t index) { return state_.storage(at, index).value(); }

  const Address kSender = address(0x01);
  MemoryNodeStore nodes_;
  MemoryCodeStore code_;
  WorldState state_;
  CodeCache cache_;
  BlockEnv block_;
  std::uint64_t nonce_ = 0;
};

TEST_F(EvmTest, CallPassesAllButOneSixtyFourthOfTheGasLeft) {
  // A: CALL(gas = 2^256 - 1, B, value 0, no input or output); B: SSTORE(0, GAS).
  install(address(0xa),
          code("0x60006000600060006000 73<addr:11> 7f" + std::string(64, 'f') + "f100"));
  install(address(0xb), code("0x5a60005500"));
  const TxOutcome outcome = run(tx_to(address(0xa), 121'000));  // 100000 after intrinsic gas
  ASSERT_TRUE(outcome.success());
  // 100000 - 7 pushes (21) - cold CALL (2600) = 97379; 97379 - 97379 / 64 = 95858 passed on;
  // B's GAS costs 2 before it reads.
  EXPECT_EQ(slot(address(0xb), 0), u256(95856));
}

TEST_F(EvmTest, ValueCallAddsTheStipend) {
  // A: CALL(gas 0, B, value 1, out 0..32), then SSTORE(0, MLOAD(0)); B returns GAS.
  install(address(0xa), code("0x60206000600060006001 73<addr:11> 6000 f1 50 600051 600055 00"), 10);
  install(address(0xb), code("0x5a60005260206000f3"));
  ASSERT_TRUE(run(tx_to(address(0xa))).success());
  EXPECT_EQ(slot(address(0xa), 0), u256(2300 - 2));
  EXPECT_EQ(state_.account(address(0xb)).value()->balance, u256(1));
}

TEST_F(EvmTest, CallAtDepth1024FailsAndKeepsTheGas) {
  // CALL(gas 1000, empty account 0xc, no value) then SSTORE(0, result + 1) and SSTORE(1, GAS).
  const Bytes caller = code("0x6000600060006000600073<addr:12>6103e8f1600101600055 5a600155 00");
  install(address(0xa), caller);
  TxEnv tx{kSender, 1};
  for (const int depth : {1023, 1024}) {
    Evm evm(state_, cache_, block_, tx, Revision::cancun);
    Message message;
    message.depth = depth;
    message.gas = 100'000;
    message.recipient = address(0xa);
    message.code_address = address(0xa);
    message.sender = kSender;
    const ExecResult result = interpret(evm, message, CodeAnalysis(caller));
    ASSERT_EQ(result.status, EvmStatus::success);
    EXPECT_EQ(slot(address(0xa), 0), u256(depth == 1024 ? 1 : 2)) << depth;
  }
}

TEST_F(EvmTest, RevertKeepsItsReturnDataAndUndoesItsWrites) {
  // B: SSTORE(0, 1); MSTORE(0, 0x2a); REVERT(0, 32).
  install(address(0xb), code("0x6001600055602a60005260206000fd"));
  // A: r = CALL(B); SSTORE(0, r); SSTORE(1, RETURNDATASIZE); RETURNDATACOPY(0, 0, 32);
  //    SSTORE(2, MLOAD(0)).
  install(address(0xa), code("0x6000600060006000600073<addr:11>61fffff1 600055 3d600155"
                             "602060006000 3e 600051 600255 00"));
  ASSERT_TRUE(run(tx_to(address(0xa))).success());
  EXPECT_EQ(slot(address(0xa), 0), u256(0));
  EXPECT_EQ(slot(address(0xa), 1), u256(32));
  EXPECT_EQ(slot(address(0xa), 2), u256(0x2a));
  EXPECT_EQ(slot(address(0xb), 0), u256(0));
}

TEST_F(EvmTest, FailedCreationKeepsTheNonceAndTheGasPayment) {
  // Init code returning one 0xEF byte: refused by EIP-3541, all gas consumed.
  TxFields fields = tx_to(std::nullopt, 100'000);
  fields.data = code("0x60ef60005360016000f3");
  const u256 before = state_.account(kSender).value()->balance;
  const TxOutcome outcome = run(fields);
  EXPECT_EQ(outcome.status, EvmStatus::invalid_code_prefix);
  EXPECT_EQ(outcome.gas_used, 100'000u);
  const Account sender = *state_.account(kSender).value();
  EXPECT_EQ(sender.nonce, 1u);
  EXPECT_EQ(sender.balance, before - u256(100'000));  // base fee 1, no tip
  EXPECT_FALSE(state_.account(create_address(kSender, 0)).value());
}

TEST_F(EvmTest, DeployedCodeIsCappedAt24576Bytes) {
  // RETURN(0, size): that many zero bytes.
  for (const std::string size : {"006000", "006001"}) {
    TxFields fields = tx_to(std::nullopt, 10'000'000);
    fields.data = code("0x62" + size + "6000f3");
    EXPECT_EQ(run(fields).status,
              size == "006000" ? EvmStatus::success : EvmStatus::code_size_exceeded);
  }
}

TEST_F(EvmTest, SelfdestructDestroysOnlyContractsCreatedInTheSameTx) {
  // An existing contract: SELFDESTRUCT(CALLER) moves its balance but the account stays.
  install(address(0xa), code("0x33ff"), 5);
  ASSERT_TRUE(run(tx_to(address(0xa))).success());
  const auto survivor = state_.account(address(0xa)).value();
  ASSERT_TRUE(survivor);
  EXPECT_EQ(survivor->balance, u256(0));
  EXPECT_NE(survivor->code_hash, empty_code_hash());

  // Init code that self-destructs: the new account is gone at the end of the tx.
  TxFields fields = tx_to(std::nullopt);
  fields.data = code("0x33ff");
  const Address created = create_address(kSender, fields.nonce);
  ASSERT_TRUE(run(fields).success());
  EXPECT_FALSE(state_.account(created).value());
}

TEST_F(EvmTest, TransientStorageLastsOneTransaction) {
  // SSTORE(0, TLOAD(0)); TSTORE(0, 7); SSTORE(1, TLOAD(0)).
  install(address(0xa), code("0x60005c600055 600760005d 60005c600155 00"));
  ASSERT_TRUE(run(tx_to(address(0xa))).success());
  ASSERT_TRUE(run(tx_to(address(0xa))).success());
  EXPECT_EQ(slot(address(0xa), 0), u256(0));  // the first tx's 7 did not survive
  EXPECT_EQ(slot(address(0xa), 1), u256(7));
}

TEST_F(EvmTest, ZeroGasPriceStillBoundsTheWork) {
  block_.base_fee = 0;
  const Address poor = address(0x02);
  // An endless loop: JUMPDEST, PUSH1 0, JUMP.
  install(address(0xa), code("0x5b600056"));
  TxFields fields = tx_to(address(0xa), 50'000);
  fields.nonce = 0;
  fields.set_gas_price(0);
  const auto outcome = apply_tx(state_, cache_, block_, fields, poor);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->status, EvmStatus::out_of_gas);
  EXPECT_EQ(outcome->gas_used, 50'000u);
  EXPECT_EQ(state_.account(poor).value()->nonce, 1u);
}

TEST_F(EvmTest, StaticCallRefusesStateChanges) {
  install(address(0xb), code("0x6001600055"));  // SSTORE(0, 1)
  // A: SSTORE(0, STATICCALL(B) + 1).
  install(address(0xa), code("0x600060006000600073<addr:11>61fffffa600101600055 00"));
  ASSERT_TRUE(run(tx_to(address(0xa))).success());
  EXPECT_EQ(slot(address(0xa), 0), u256(1));
  EXPECT_EQ(slot(address(0xb), 0), u256(0));
}

TEST_F(EvmTest, InvalidTxChangesNothing) {
  TxFields fields = tx_to(address(0xa), 20'000);  // below the intrinsic 21000
  EXPECT_FALSE(apply_tx(state_, cache_, block_, fields, kSender));
  fields = tx_to(address(0xa));
  fields.nonce = 5;
  EXPECT_FALSE(apply_tx(state_, cache_, block_, fields, kSender));
  EXPECT_EQ(state_.account(kSender).value()->nonce, 0u);
  EXPECT_EQ(state_.account(kSender).value()->balance, u256(1'000'000'000'000));
}

}  // namespace
}  // namespace tally::chain
