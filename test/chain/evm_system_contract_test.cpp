// System contracts reached through the EVM: a tx sent to one, CALL and STATICCALL from bytecode,
// a revert seen by the calling contract, DELEGATECALL and CALLCODE refused, the addresses warm from
// the start of the tx, and a store error from a handler refusing the whole tx.

#include <gtest/gtest.h>

#include <tally/chain/gas_schedule.hpp>
#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/state_transition.hpp>
#include <tally/chain/system_contracts.hpp>
#include <tally/chain/trie.hpp>

namespace tally::chain {
namespace {

const CryptoSuite kSuite(SuiteId::standard);
const Address kRegister = system_contract_address(0x10);
constexpr std::uint64_t kSetGas = 5000;
constexpr std::uint64_t kGetGas = 200;
constexpr auto kWarm = static_cast<std::uint64_t>(kWarmAccessGas);
constexpr auto kCold = static_cast<std::uint64_t>(kColdAccountAccessGas);

Address address(Byte value) {
  Address out;
  out.bytes[0] = 0xaa;
  out.bytes[19] = value;
  return out;
}

u256 word(const Address& at) {
  return u256::from_be_bytes(at.view()).value();
}

// The example: one stored value with its last setter. set returns the value it replaced.
SystemContract register_contract() {
  SystemContract contract("Register");
  auto ok = [](Result<void> added) { TALLY_ASSERT(added.has_value()); };
  ok(contract.add("set(uint256)", "(uint256)", Mutability::nonpayable, kSetGas,
                  [](SystemFrame& frame, const AbiValue::List& args) -> Result<SystemReturn> {
                    const u256 value = args[0].uint_value();
                    if (value.is_zero())
                      return SystemReturn::revert("Register: zero");
                    TALLY_TRY(const u256 previous, frame.load(0));
                    TALLY_TRY_VOID(frame.store(0, value));
                    TALLY_TRY_VOID(frame.store(1, word(frame.caller())));
                    return SystemReturn::values({AbiValue::uint(previous)});
                  }));
  ok(contract.add("get()", "(uint256)", Mutability::view, kGetGas,
                  [](SystemFrame& frame, const AbiValue::List&) -> Result<SystemReturn> {
                    TALLY_TRY(const u256 value, frame.load(0));
                    return SystemReturn::values({AbiValue::uint(value)});
                  }));
  ok(contract.add("broken()", "()", Mutability::nonpayable, 0,
                  [](SystemFrame&, const AbiValue::List&) -> Result<SystemReturn> {
                    return fail(Errc::io_error, "Register: the disk went away");
                  }));
  return contract;
}

Bytes calldata(std::string_view signature, const AbiValue::List& arguments = {}) {
  const AbiFunction function = parse_function_signature(signature).value();
  Bytes out(function.selector.bytes.begin(), function.selector.bytes.end());
  const Bytes encoded = abi_encode(function.inputs, AbiValue::list(arguments)).value();
  out.insert(out.end(), encoded.begin(), encoded.end());
  return out;
}

std::uint64_t price(std::size_t input_size, std::uint64_t function_gas) {
  return kSystemCallBaseGas + kSystemCallWordGas * ((input_size + 31) / 32) + function_gas;
}

// Hand assembly, enough for the callers below.
class Asm {
 public:
  Asm& op(Byte opcode) {
    code_.push_back(opcode);
    return *this;
  }
  Asm& push(BytesView bytes) {
    TALLY_ASSERT(!bytes.empty() && bytes.size() <= 32);
    code_.push_back(static_cast<Byte>(0x5f + bytes.size()));
    code_.insert(code_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  Asm& push(const u256& value) {
    const Hash256 be = value.to_be();
    std::size_t first = 0;
    while (first < 31 && be.bytes[first] == 0)
      ++first;
    return push(BytesView(be.bytes).subspan(first));
  }
  Asm& push(const Address& at) { return push(at.view()); }
  // Writes `input` to memory at 0 (whole words; the rest zero) for a call to read.
  Asm& store_input(BytesView input) {
    for (std::size_t at = 0; at < input.size(); at += 32) {
      Hash256 chunk;
      std::copy_n(input.begin() + static_cast<std::ptrdiff_t>(at),
                  std::min<std::size_t>(32, input.size() - at), chunk.bytes.begin());
      push(u256::from_be(chunk)).push(at).op(kMstore);
    }
    return *this;
  }
  // CALL-family opcode to `to` with the input at memory 0, output to memory 0 (32 bytes), gas
  // `gas` (0: all that may be passed); leaves the success flag on the stack.
  Asm& call(Byte opcode, const Address& to, std::size_t input_size, std::uint64_t gas = 0) {
    push(32).push(0).push(input_size).push(0);
    if (opcode == kCall || opcode == kCallcode)
      push(0);  // value
    push(to);
    if (gas == 0)
      op(kGas);
    else
      push(gas);
    return op(opcode);
  }
  Asm& sstore(std::uint64_t slot) { return push(slot).op(kSstore); }
  Bytes done() { return op(kStop).code_; }

  static constexpr Byte kStop = 0x00;
  static constexpr Byte kSub = 0x03;
  static constexpr Byte kAdd = 0x01;
  static constexpr Byte kMload = 0x51;
  static constexpr Byte kMstore = 0x52;
  static constexpr Byte kSstore = 0x55;
  static constexpr Byte kGas = 0x5a;
  static constexpr Byte kPop = 0x50;
  static constexpr Byte kSwap1 = 0x90;
  static constexpr Byte kReturndatasize = 0x3d;
  static constexpr Byte kReturndatacopy = 0x3e;
  static constexpr Byte kReturn = 0xf3;
  static constexpr Byte kCall = 0xf1;
  static constexpr Byte kCallcode = 0xf2;
  static constexpr Byte kDelegatecall = 0xf4;
  static constexpr Byte kStaticcall = 0xfa;

 private:
  Bytes code_;
};

class EvmSystemContractTest : public ::testing::Test {
 protected:
  EvmSystemContractTest() : state_(kSuite, nodes_, code_, empty_trie_root(kSuite)) {
    block_.coinbase = address(0xcb);
    block_.number = 10;
    block_.gas_limit = 30'000'000;
    block_.base_fee = 1;
    EXPECT_TRUE(state_.add_balance(kSender, u256(1'000'000'000'000)));
    EXPECT_TRUE(contracts_.add(kRegister, register_contract()));
    // As genesis does: one byte of code, so EIP-161 never clears the account once touched.
    EXPECT_TRUE(state_.set_code(kRegister, Bytes{0xfe}));
  }

  void install(const Address& at, const Bytes& bytes) { ASSERT_TRUE(state_.set_code(at, bytes)); }

  TxFields tx_to(const Address& to, Bytes data = {}, std::uint64_t gas_limit = 200'000) {
    TxFields fields;
    fields.chain_id = 1;
    fields.nonce = nonce_++;
    fields.set_gas_price(1);
    fields.gas_limit = gas_limit;
    fields.to = to;
    fields.data = std::move(data);
    return fields;
  }

  TxOutcome run(const TxFields& fields) {
    auto outcome = apply_tx(state_, cache_, block_, fields, kSender, &contracts_);
    EXPECT_TRUE(outcome) << (outcome ? "" : outcome.error().message);
    return outcome ? *outcome : TxOutcome{};
  }

  u256 slot(const Address& at, std::uint64_t index) { return state_.storage(at, index).value(); }

  const Address kSender = address(0x01);
  const Address kCaller = address(0x0a);
  MemoryNodeStore nodes_;
  MemoryCodeStore code_;
  WorldState state_;
  CodeCache cache_;
  BlockEnv block_;
  SystemContracts contracts_;
  std::uint64_t nonce_ = 0;
};

TEST_F(EvmSystemContractTest, TxToASystemContractRunsItAndPaysIntrinsicGasPlusThePrice) {
  const TxFields fields = tx_to(kRegister, calldata("set(uint256)", {AbiValue::uint(5)}));
  const TxOutcome outcome = run(fields);
  ASSERT_TRUE(outcome.success()) << evm_status_name(outcome.status);
  EXPECT_EQ(slot(kRegister, 0), u256(5));
  EXPECT_EQ(slot(kRegister, 1), word(kSender));  // the caller is the tx sender
  EXPECT_EQ(outcome.gas_used, intrinsic_gas(fields).value() + price(fields.data.size(), kSetGas));
  EXPECT_EQ(outcome.output, Bytes(32, 0));  // the previous value, ABI-encoded

  const TxOutcome again = run(tx_to(kRegister, calldata("set(uint256)", {AbiValue::uint(9)})));
  ASSERT_TRUE(again.success());
  EXPECT_EQ(u256::from_be_bytes(again.output).value(), u256(5));
}

TEST_F(EvmSystemContractTest, TxRevertKeepsTheNonceAndReturnsTheUnusedGas) {
  const TxFields fields = tx_to(kRegister, calldata("set(uint256)", {AbiValue::uint(0)}));
  const TxOutcome outcome = run(fields);
  EXPECT_EQ(outcome.status, EvmStatus::revert);
  EXPECT_EQ(decode_error_reason(outcome.output).value(), "Register: zero");
  EXPECT_EQ(outcome.gas_used, intrinsic_gas(fields).value() + price(fields.data.size(), kSetGas));
  EXPECT_EQ(state_.account(kSender).value()->nonce, 1u);
  EXPECT_EQ(slot(kRegister, 0), u256(0));
}

TEST_F(EvmSystemContractTest, TxWithValueToANonPayableFunctionRevertsAndKeepsTheValue) {
  TxFields fields = tx_to(kRegister, calldata("set(uint256)", {AbiValue::uint(3)}));
  fields.value = 1000;
  const u256 before = state_.account(kSender).value()->balance;
  const TxOutcome outcome = run(fields);
  EXPECT_EQ(outcome.status, EvmStatus::revert);
  EXPECT_EQ(state_.account(kRegister).value()->balance, u256(0));
  EXPECT_EQ(state_.account(kSender).value()->balance, before - u256(outcome.gas_used));
}

TEST_F(EvmSystemContractTest, ContractCallsSetAndStoresTheReturnedWord) {
  ASSERT_TRUE(state_.set_storage(kRegister, 0, 77));
  // CALL set(42); SSTORE(1, success); SSTORE(0, MLOAD(0)) -- the previous value, 77.
  const Bytes input = calldata("set(uint256)", {AbiValue::uint(42)});
  install(kCaller, Asm()
                       .store_input(input)
                       .call(Asm::kCall, kRegister, input.size())
                       .sstore(1)
                       .push(0)
                       .op(Asm::kMload)
                       .sstore(0)
                       .done());
  ASSERT_TRUE(run(tx_to(kCaller)).success());
  EXPECT_EQ(slot(kCaller, 1), u256(1));
  EXPECT_EQ(slot(kCaller, 0), u256(77));
  EXPECT_EQ(slot(kRegister, 0), u256(42));
  EXPECT_EQ(slot(kRegister, 1), word(kCaller));  // the caller is the calling contract
}

TEST_F(EvmSystemContractTest, StaticCallReadsButCannotWrite) {
  ASSERT_TRUE(state_.set_storage(kRegister, 0, 77));
  // STATICCALL get(): SSTORE(0, success), SSTORE(1, MLOAD(0)). Then STATICCALL set(42) with gas
  // 50000: SSTORE(4, the gas it cost), SSTORE(2, success + 1), SSTORE(3, RETURNDATASIZE).
  const Bytes get = calldata("get()");
  const Bytes set = calldata("set(uint256)", {AbiValue::uint(42)});
  install(kCaller, Asm()
                       .store_input(get)
                       .call(Asm::kStaticcall, kRegister, get.size())
                       .sstore(0)
                       .push(0)
                       .op(Asm::kMload)
                       .sstore(1)
                       .store_input(set)
                       .op(Asm::kGas)
                       .call(Asm::kStaticcall, kRegister, set.size(), 50'000)
                       .op(Asm::kSwap1)
                       .op(Asm::kGas)
                       .op(Asm::kSwap1)
                       .op(Asm::kSub)
                       .sstore(4)
                       .push(1)
                       .op(Asm::kAdd)
                       .sstore(2)
                       .op(Asm::kReturndatasize)
                       .sstore(3)
                       .done());
  ASSERT_TRUE(run(tx_to(kCaller, {}, 500'000)).success());
  EXPECT_EQ(slot(kCaller, 0), u256(1));
  EXPECT_EQ(slot(kCaller, 1), u256(77));
  EXPECT_EQ(slot(kCaller, 2), u256(1));  // the write was refused: the call failed
  EXPECT_EQ(slot(kCaller, 3), u256(0));  // no output
  // All 50000 given are gone: six pushes, the warm STATICCALL, the 50000, SWAP1 and GAS.
  EXPECT_EQ(slot(kCaller, 4), u256(6 * 3 + kWarm + 50'000 + 3 + 2));
  EXPECT_EQ(slot(kRegister, 0), u256(77));
}

TEST_F(EvmSystemContractTest, RevertIsSeenByTheCallerAsZeroWithErrorStringData) {
  // CALL set(0): SSTORE(0, success + 1); return the return data.
  const Bytes input = calldata("set(uint256)", {AbiValue::uint(0)});
  install(kCaller, Asm()
                       .store_input(input)
                       .call(Asm::kCall, kRegister, input.size())
                       .push(1)
                       .op(Asm::kAdd)
                       .sstore(0)
                       .op(Asm::kReturndatasize)
                       .push(0)
                       .push(0)
                       .op(Asm::kReturndatacopy)
                       .op(Asm::kReturndatasize)
                       .push(0)
                       .op(Asm::kReturn)
                       .done());
  const TxOutcome outcome = run(tx_to(kCaller));
  ASSERT_TRUE(outcome.success());
  EXPECT_EQ(slot(kCaller, 0), u256(1));
  EXPECT_EQ(decode_error_reason(outcome.output).value(), "Register: zero");
}

TEST_F(EvmSystemContractTest, DelegateCallAndCallCodeToASystemContractFail) {
  ASSERT_TRUE(state_.set_storage(kRegister, 0, 77));
  const Bytes get = calldata("get()");
  install(kCaller, Asm()
                       .store_input(get)
                       .call(Asm::kDelegatecall, kRegister, get.size(), 10'000)
                       .push(1)
                       .op(Asm::kAdd)
                       .sstore(0)
                       .call(Asm::kCallcode, kRegister, get.size(), 10'000)
                       .push(1)
                       .op(Asm::kAdd)
                       .sstore(1)
                       .done());
  ASSERT_TRUE(run(tx_to(kCaller)).success());
  EXPECT_EQ(slot(kCaller, 0), u256(1));
  EXPECT_EQ(slot(kCaller, 1), u256(1));

  // And they take all the gas they were given.
  const TxEnv tx{kSender, 1};
  for (const CallKind kind : {CallKind::delegatecall, CallKind::callcode}) {
    Evm evm(state_, cache_, block_, tx, Revision::cancun, &contracts_);
    Message message;
    message.kind = kind;
    message.depth = 1;
    message.gas = 50'000;
    message.recipient = kCaller;
    message.sender = kSender;
    message.code_address = kRegister;
    message.input = get;
    const ExecResult result = evm.call(message);
    EXPECT_EQ(result.status, EvmStatus::system_call_failure);
    EXPECT_EQ(result.gas_left, 0);
    EXPECT_TRUE(result.output.empty());
  }
}

TEST_F(EvmSystemContractTest, SystemContractsAreWarmFromTheStartOfTheTx) {
  // GAS; CALL(GAS, register, no input, no output); POP; GAS; SSTORE(0, difference).
  const auto measure = [](const Address& to) {
    return Asm()
        .op(Asm::kGas)
        .push(0)
        .push(0)
        .push(0)
        .push(0)
        .push(0)
        .push(to)
        .op(Asm::kGas)
        .op(Asm::kCall)
        .op(Asm::kPop)
        .op(Asm::kGas)
        .op(Asm::kSwap1)
        .op(Asm::kSub)
        .sstore(0)
        .done();
  };
  install(kCaller, measure(kRegister));
  ASSERT_TRUE(run(tx_to(kCaller)).success());
  // Five PUSH1 and a PUSH20 (3 each), GAS, CALL at the warm price, the callee's price for an
  // empty input (it reverts: no selector), POP and the last GAS.
  const std::uint64_t pushes = 6 * 3;
  EXPECT_EQ(slot(kCaller, 0), u256(pushes + 2 + kWarm + price(0, 0) + 2 + 2));

  // The measure itself, on an account nobody warmed: the cold price and nothing run.
  const Address other = address(0x0b);
  install(other, measure(address(0x0c)));
  ASSERT_TRUE(run(tx_to(other)).success());
  EXPECT_EQ(slot(other, 0), u256(pushes + 2 + kCold + 2 + 2));
}

TEST_F(EvmSystemContractTest, StoreErrorFromAHandlerInATxRefusesTheTx) {
  const auto outcome = apply_tx(state_, cache_, block_, tx_to(kRegister, calldata("broken()")),
                                kSender, &contracts_);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, Errc::io_error);
}

TEST_F(EvmSystemContractTest, StoreErrorFromAHandlerUnderACallRefusesTheTx) {
  const Bytes input = calldata("broken()");
  install(kCaller, Asm().store_input(input).call(Asm::kCall, kRegister, input.size()).done());
  const auto outcome = apply_tx(state_, cache_, block_, tx_to(kCaller), kSender, &contracts_);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, Errc::io_error);
}

TEST_F(EvmSystemContractTest, WithoutTheRegistryTheAddressIsAPlainAccount) {
  // Its 0xfe code runs: INVALID, all gas gone.
  const TxFields fields = tx_to(kRegister, calldata("get()"), 50'000);
  const auto outcome = apply_tx(state_, cache_, block_, fields, kSender);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->status, EvmStatus::undefined_instruction);
  EXPECT_EQ(outcome->gas_used, 50'000u);
}

}  // namespace
}  // namespace tally::chain
