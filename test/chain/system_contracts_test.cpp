// The system contract framework with a small example contract defined here: dispatch by selector,
// reverts with reasons, strict argument decoding, read-only frames, value, gas and storage.
#include <gtest/gtest.h>

#include <tally/chain/system_contracts.hpp>
#include <tally/chain/trie.hpp>

namespace tally::chain {
namespace {

using Status = SystemCallResult::Status;

const CryptoSuite kSuite(SuiteId::standard);
const Address kCounter = system_contract_address(0x42);

Address account(Byte value) {
  Address out;
  out.bytes.fill(value);
  return out;
}

// An example contract: a value with its last setter, and a few functions that exercise the rules.
SystemContract example_contract() {
  SystemContract contract("Counter");
  auto ok = [](Result<void> added) { TALLY_ASSERT(added.has_value()); };
  ok(contract.add("setValue(uint256)", "()", Mutability::nonpayable, 5000,
                  [](SystemFrame& frame, const AbiValue::List& args) -> Result<SystemReturn> {
                    const u256 value = args[0].uint_value();
                    if (value.is_zero())
                      return SystemReturn::revert("Counter: zero is not a value");
                    TALLY_TRY_VOID(frame.store(0, value));
                    u256 setter = u256::from_be_bytes(frame.caller().view()).value();
                    TALLY_TRY_VOID(frame.store(1, setter));
                    return SystemReturn::values({});
                  }));
  ok(contract.add(
      "value()", "(uint256,address)", Mutability::view, 200,
      [](SystemFrame& frame, const AbiValue::List&) -> Result<SystemReturn> {
        TALLY_TRY(const u256 value, frame.load(0));
        TALLY_TRY(const u256 setter, frame.load(1));
        Address address;
        const Hash256 word = setter.to_be();
        std::copy(word.bytes.begin() + 12, word.bytes.end(), address.bytes.begin());
        return SystemReturn::values({AbiValue::uint(value), AbiValue::address(address)});
      }));
  ok(contract.add("sneakyView()", "()", Mutability::view, 200,
                  [](SystemFrame& frame, const AbiValue::List&) -> Result<SystemReturn> {
                    // Ignores the refusal and claims success: the call fails all the same.
                    (void)frame.store(7, 7);
                    return SystemReturn::values({});
                  }));
  ok(contract.add("deposit()", "(uint256)", Mutability::payable, 1000,
                  [](SystemFrame& frame, const AbiValue::List&) -> Result<SystemReturn> {
                    return SystemReturn::values({AbiValue::uint(frame.value())});
                  }));
  ok(contract.add("writeThenRevert(uint256)", "()", Mutability::nonpayable, 1000,
                  [](SystemFrame& frame, const AbiValue::List& args) -> Result<SystemReturn> {
                    TALLY_TRY_VOID(frame.store(0, args[0].uint_value()));
                    return SystemReturn::revert("Counter: changed my mind");
                  }));
  ok(contract.add("describe(string,uint256[])", "(string,uint256)", Mutability::view, 300,
                  [](SystemFrame&, const AbiValue::List& args) -> Result<SystemReturn> {
                    return SystemReturn::values({AbiValue::string(args[0].string_value() + "!"),
                                                 AbiValue::uint(args[1].list_value().size())});
                  }));
  return contract;
}

class SystemContractsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(contracts_.add(kCounter, example_contract())); }

  SystemCallResult call(std::string_view signature,
                        const AbiValue::List& arguments,
                        std::uint64_t gas = 100'000,
                        bool is_static = false,
                        const u256& value = 0) {
    const AbiFunction function = parse_function_signature(signature).value();
    Bytes input(function.selector.bytes.begin(), function.selector.bytes.end());
    const Bytes encoded = abi_encode(function.inputs, AbiValue::list(arguments)).value();
    input.insert(input.end(), encoded.begin(), encoded.end());
    return raw_call(input, gas, is_static, value);
  }

  SystemCallResult raw_call(BytesView input,
                            std::uint64_t gas = 100'000,
                            bool is_static = false,
                            const u256& value = 0) {
    const SystemCallContext context{account(0xaa), value, is_static, state_};
    return contracts_.call(kCounter, context, input, gas).value();
  }

  u256 slot(const u256& index) { return state_.storage(kCounter, index).value(); }

  static std::uint64_t price(std::size_t input_size, std::uint64_t function_gas) {
    return kSystemCallBaseGas + kSystemCallWordGas * ((input_size + 31) / 32) + function_gas;
  }

  MemoryNodeStore nodes_;
  MemoryCodeStore code_;
  WorldState state_{kSuite, nodes_, code_, empty_trie_root(kSuite)};
  SystemContracts contracts_;
};

TEST(SystemContractAddresses, ReservedRange) {
  EXPECT_EQ(system_contract_address(0).hex(), "0x0000000000000000000000000000000000001000");
  EXPECT_EQ(system_contract_address(0xfff).hex(), "0x0000000000000000000000000000000000001fff");
  EXPECT_TRUE(is_system_contract_address(system_contract_address(0x123)));
  Address below;
  below.bytes[18] = 0x0f;
  below.bytes[19] = 0xff;
  EXPECT_FALSE(is_system_contract_address(below));
  Address above;
  above.bytes[18] = 0x20;
  EXPECT_FALSE(is_system_contract_address(above));
  Address high = system_contract_address(1);
  high.bytes[0] = 1;
  EXPECT_FALSE(is_system_contract_address(high));
  Address precompile;
  precompile.bytes[19] = 1;
  EXPECT_FALSE(is_system_contract_address(precompile));
}

TEST_F(SystemContractsTest, RegistryRefusesAddressesOutsideTheRangeAndDuplicates) {
  EXPECT_EQ(contracts_.add(account(1), SystemContract("x")).error().code, Errc::invalid_argument);
  EXPECT_EQ(contracts_.add(kCounter, SystemContract("x")).error().code, Errc::already_exists);
  EXPECT_TRUE(contracts_.contains(kCounter));
  EXPECT_FALSE(contracts_.contains(system_contract_address(0x43)));
}

TEST_F(SystemContractsTest, ContractRefusesBadDeclarations) {
  SystemContract contract("x");
  const SystemHandler handler = [](SystemFrame&, const AbiValue::List&) -> Result<SystemReturn> {
    return SystemReturn::values({});
  };
  EXPECT_TRUE(contract.add("f(uint256)", "()", Mutability::view, 1, handler));
  EXPECT_EQ(contract.add("f(uint)", "()", Mutability::view, 1, handler).error().code,
            Errc::already_exists);
  EXPECT_FALSE(contract.add("g(uint7)", "()", Mutability::view, 1, handler));
  EXPECT_FALSE(contract.add("g(uint256)", "uint256", Mutability::view, 1, handler));
}

TEST_F(SystemContractsTest, DispatchesBySelectorAndEncodesResults) {
  const auto set = call("setValue(uint256)", {AbiValue::uint(1234)});
  ASSERT_EQ(set.status, Status::success);
  EXPECT_TRUE(set.output.empty());
  const auto got = call("value()", {});
  ASSERT_EQ(got.status, Status::success);
  EXPECT_EQ(to_hex(got.output, false),
            "00000000000000000000000000000000000000000000000000000000000004d2"
            "000000000000000000000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  const auto described =
      call("describe(string,uint256[])",
           {AbiValue::string("hi"), AbiValue::list({AbiValue::uint(1), AbiValue::uint(2)})});
  ASSERT_EQ(described.status, Status::success);
  EXPECT_EQ(abi_decode(AbiType::parse("(string,uint256)").value(), described.output).value(),
            AbiValue::list({AbiValue::string("hi!"), AbiValue::uint(2)}));
}

TEST_F(SystemContractsTest, StorageEffectsLandInTheContractsAccount) {
  ASSERT_EQ(call("setValue(uint256)", {AbiValue::uint(77)}).status, Status::success);
  EXPECT_EQ(slot(0), u256(77));
  EXPECT_EQ(slot(1), u256::from_be_bytes(account(0xaa).view()).value());
  EXPECT_EQ(state_.storage(account(0xaa), 0).value(), u256(0));
}

TEST_F(SystemContractsTest, UnknownSelectorReverts) {
  const Bytes input = from_hex("0xdeadbeef").value();
  const auto result = raw_call(input);
  EXPECT_EQ(result.status, Status::revert);
  EXPECT_EQ(result.gas_used, price(4, 0));
  EXPECT_EQ(decode_error_reason(result.output).value(),
            "Counter: unknown function selector 0xdeadbeef");
  const auto short_input = raw_call(from_hex("0x0102").value());
  EXPECT_EQ(short_input.status, Status::revert);
  EXPECT_EQ(decode_error_reason(short_input.output).value(), "Counter: no function selector");
}

TEST_F(SystemContractsTest, BadArgumentEncodingReverts) {
  const Selector selector = function_selector("setValue(uint256)");
  Bytes input(selector.bytes.begin(), selector.bytes.end());
  input.resize(4 + 31, 0);  // one byte short of the argument
  auto result = raw_call(input);
  EXPECT_EQ(result.status, Status::revert);
  EXPECT_NE(decode_error_reason(result.output).value().find("bad arguments to setValue(uint256)"),
            std::string::npos);
  // describe(string,uint256[]) whose string offset points past the end.
  const Selector describe = function_selector("describe(string,uint256[])");
  Bytes bad(describe.bytes.begin(), describe.bytes.end());
  bad.resize(4 + 64, 0);
  bad[4 + 31] = 0xff;  // the string's offset points past the end
  EXPECT_EQ(raw_call(bad).status, Status::revert);
  EXPECT_EQ(slot(0), u256(0));
}

TEST_F(SystemContractsTest, HandlerRevertCarriesItsReasonAndRollsBack) {
  ASSERT_EQ(call("setValue(uint256)", {AbiValue::uint(5)}).status, Status::success);
  const auto zero = call("setValue(uint256)", {AbiValue::uint(0)});
  EXPECT_EQ(zero.status, Status::revert);
  EXPECT_EQ(decode_error_reason(zero.output).value(), "Counter: zero is not a value");
  const auto changed = call("writeThenRevert(uint256)", {AbiValue::uint(99)});
  EXPECT_EQ(changed.status, Status::revert);
  EXPECT_EQ(changed.gas_used, price(36, 1000));
  EXPECT_EQ(slot(0), u256(5));
}

TEST_F(SystemContractsTest, StaticCallsCannotWrite) {
  const auto result = call("setValue(uint256)", {AbiValue::uint(9)}, 50'000, /*is_static=*/true);
  EXPECT_EQ(result.status, Status::failure);
  EXPECT_EQ(result.gas_used, 50'000u);
  EXPECT_TRUE(result.output.empty());
  EXPECT_EQ(slot(0), u256(0));
  // Views work in a static call.
  EXPECT_EQ(call("value()", {}, 50'000, true).status, Status::success);
}

TEST_F(SystemContractsTest, ViewFunctionsCannotWriteEvenOutsideStaticCalls) {
  const auto result = call("sneakyView()", {}, 30'000);
  EXPECT_EQ(result.status, Status::failure);
  EXPECT_EQ(result.gas_used, 30'000u);
  EXPECT_EQ(slot(7), u256(0));
}

TEST_F(SystemContractsTest, ValueOnlyForPayableFunctions) {
  const auto refused = call("setValue(uint256)", {AbiValue::uint(3)}, 100'000, false, 10);
  EXPECT_EQ(refused.status, Status::revert);
  EXPECT_EQ(decode_error_reason(refused.output).value(),
            "Counter: setValue(uint256) is not payable");
  EXPECT_EQ(slot(0), u256(0));
  const auto paid = call("deposit()", {}, 100'000, false, 10);
  ASSERT_EQ(paid.status, Status::success);
  EXPECT_EQ(abi_decode(AbiType::parse("(uint256)").value(), paid.output).value(),
            AbiValue::list({AbiValue::uint(10)}));
}

TEST_F(SystemContractsTest, GasIsTheDeclaredPricePlusCalldataWords) {
  const std::uint64_t expected = price(4 + 32, 5000);
  const auto result = call("setValue(uint256)", {AbiValue::uint(1)}, expected);
  EXPECT_EQ(result.status, Status::success);
  EXPECT_EQ(result.gas_used, expected);
  const auto short_gas = call("setValue(uint256)", {AbiValue::uint(2)}, expected - 1);
  EXPECT_EQ(short_gas.status, Status::failure);
  EXPECT_EQ(short_gas.gas_used, expected - 1);
  EXPECT_EQ(slot(0), u256(1));
  // Not even the dispatch price: fails before looking at the selector.
  EXPECT_EQ(raw_call(from_hex("0xdeadbeef").value(), 50).status, Status::failure);
}

}  // namespace
}  // namespace tally::chain
