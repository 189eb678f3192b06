#include <tally/chain/gas_schedule.hpp>

namespace tally::chain {
namespace {

constexpr OpcodeInfo op(int gas, int stack_in, int growth) {
  return OpcodeInfo{static_cast<std::int16_t>(gas), static_cast<std::int8_t>(stack_in),
                    static_cast<std::int8_t>(growth), true};
}

// The Homestead table: the instructions every later revision inherits, at their first prices.
constexpr OpcodeTable homestead_table() {
  OpcodeTable t{};
  t[0x00] = op(0, 0, 0);  // STOP
  t[0x01] = op(3, 2, -1);
  t[0x02] = op(5, 2, -1);
  t[0x03] = op(3, 2, -1);
  for (int i = 0x04; i <= 0x07; ++i)
    t[static_cast<std::size_t>(i)] = op(5, 2, -1);  // DIV SDIV MOD SMOD
  t[0x08] = op(8, 3, -2);                           // ADDMOD
  t[0x09] = op(8, 3, -2);                           // MULMOD
  t[0x0a] = op(10, 2, -1);                          // EXP
  t[0x0b] = op(5, 2, -1);                           // SIGNEXTEND
  for (int i = 0x10; i <= 0x14; ++i)
    t[static_cast<std::size_t>(i)] = op(3, 2, -1);  // LT GT SLT SGT EQ
  t[0x15] = op(3, 1, 0);                            // ISZERO
  t[0x16] = op(3, 2, -1);
  t[0x17] = op(3, 2, -1);
  t[0x18] = op(3, 2, -1);
  t[0x19] = op(3, 1, 0);    // NOT
  t[0x1a] = op(3, 2, -1);   // BYTE
  t[0x20] = op(30, 2, -1);  // KECCAK256
  t[0x30] = op(2, 0, 1);    // ADDRESS
  t[0x31] = op(20, 1, 0);   // BALANCE
  t[0x32] = op(2, 0, 1);
  t[0x33] = op(2, 0, 1);
  t[0x34] = op(2, 0, 1);
  t[0x35] = op(3, 1, 0);  // CALLDATALOAD
  t[0x36] = op(2, 0, 1);
  t[0x37] = op(3, 3, -3);  // CALLDATACOPY
  t[0x38] = op(2, 0, 1);
  t[0x39] = op(3, 3, -3);  // CODECOPY
  t[0x3a] = op(2, 0, 1);
  t[0x3b] = op(20, 1, 0);   // EXTCODESIZE
  t[0x3c] = op(20, 4, -4);  // EXTCODECOPY
  t[0x40] = op(20, 1, 0);   // BLOCKHASH
  for (int i = 0x41; i <= 0x45; ++i)
    t[static_cast<std::size_t>(i)] = op(2, 0, 1);
  t[0x50] = op(2, 1, -1);   // POP
  t[0x51] = op(3, 1, 0);    // MLOAD
  t[0x52] = op(3, 2, -2);   // MSTORE
  t[0x53] = op(3, 2, -2);   // MSTORE8
  t[0x54] = op(50, 1, 0);   // SLOAD
  t[0x55] = op(0, 2, -2);   // SSTORE
  t[0x56] = op(8, 1, -1);   // JUMP
  t[0x57] = op(10, 2, -2);  // JUMPI
  t[0x58] = op(2, 0, 1);    // PC
  t[0x59] = op(2, 0, 1);    // MSIZE
  t[0x5a] = op(2, 0, 1);    // GAS
  t[0x5b] = op(1, 0, 0);    // JUMPDEST
  for (int i = 0x60; i <= 0x7f; ++i)
    t[static_cast<std::size_t>(i)] = op(3, 0, 1);  // PUSH1..32
  for (int i = 0; i < 16; ++i) {
    t[static_cast<std::size_t>(0x80 + i)] = op(3, i + 1, 1);  // DUP
    t[static_cast<std::size_t>(0x90 + i)] = op(3, i + 2, 0);  // SWAP
  }
  for (int i = 0; i <= 4; ++i)
    t[static_cast<std::size_t>(0xa0 + i)] = op(375 * (i + 1), i + 2, -(i + 2));  // LOG0..4
  t[0xf0] = op(32000, 3, -2);                                                    // CREATE
  t[0xf1] = op(40, 7, -6);                                                       // CALL
  t[0xf2] = op(40, 7, -6);                                                       // CALLCODE
  t[0xf3] = op(0, 2, -2);                                                        // RETURN
  t[0xf4] = op(40, 6, -5);                                                       // DELEGATECALL
  t[0xfe] = OpcodeInfo{};  // INVALID: undefined, fails like any undefined opcode
  t[0xff] = op(0, 1, -1);  // SELFDESTRUCT
  return t;
}

// Cancun: EIP-150 and EIP-2929 prices (the warm cost here, the cold surcharge in the instruction)
// and every instruction added up to Cancun.
constexpr OpcodeTable cancun_table() {
  OpcodeTable t = homestead_table();
  t[0x1b] = op(3, 2, -1);      // SHL
  t[0x1c] = op(3, 2, -1);      // SHR
  t[0x1d] = op(3, 2, -1);      // SAR
  t[0x31] = op(100, 1, 0);     // BALANCE
  t[0x3b] = op(100, 1, 0);     // EXTCODESIZE
  t[0x3c] = op(100, 4, -4);    // EXTCODECOPY
  t[0x3d] = op(2, 0, 1);       // RETURNDATASIZE
  t[0x3e] = op(3, 3, -3);      // RETURNDATACOPY
  t[0x3f] = op(100, 1, 0);     // EXTCODEHASH
  t[0x46] = op(2, 0, 1);       // CHAINID
  t[0x47] = op(5, 0, 1);       // SELFBALANCE
  t[0x48] = op(2, 0, 1);       // BASEFEE
  t[0x49] = op(3, 1, 0);       // BLOBHASH
  t[0x4a] = op(2, 0, 1);       // BLOBBASEFEE
  t[0x54] = op(100, 1, 0);     // SLOAD
  t[0x5c] = op(100, 1, 0);     // TLOAD
  t[0x5d] = op(100, 2, -2);    // TSTORE
  t[0x5e] = op(3, 3, -3);      // MCOPY
  t[0x5f] = op(2, 0, 1);       // PUSH0
  t[0xf1] = op(100, 7, -6);    // CALL
  t[0xf2] = op(100, 7, -6);    // CALLCODE
  t[0xf4] = op(100, 6, -5);    // DELEGATECALL
  t[0xf5] = op(32000, 4, -3);  // CREATE2
  t[0xfa] = op(100, 6, -5);    // STATICCALL
  t[0xfd] = op(0, 2, -2);      // REVERT
  t[0xff] = op(5000, 1, -1);   // SELFDESTRUCT
  return t;
}

constexpr OpcodeTable kHomestead = homestead_table();
constexpr OpcodeTable kCancun = cancun_table();

}  // namespace

const OpcodeTable& opcode_table(Revision revision) noexcept {
  return revision == Revision::cancun ? kCancun : kHomestead;
}

SstoreCost sstore_cost(Revision revision,
                       const u256& original,
                       const u256& current,
                       const u256& new_value) noexcept {
  if (revision == Revision::homestead) {
    // Frontier: set from zero 20000, otherwise 5000; clearing refunds 15000.
    if (current.is_zero() && !new_value.is_zero())
      return {kSstoreSetGas, 0};
    return {kSstoreResetGas, !current.is_zero() && new_value.is_zero() ? 15000 : 0};
  }
  // EIP-2200 as amended by EIP-2929 (reset 5000 - 2100) and EIP-3529 (clear refund 4800).
  constexpr std::int64_t reset = kSstoreResetGas - kColdSloadGas;
  if (current == new_value)
    return {kWarmAccessGas, 0};
  if (original == current) {
    if (original.is_zero())
      return {kSstoreSetGas, 0};
    return {reset, new_value.is_zero() ? kSstoreClearRefund : 0};
  }
  std::int64_t refund = 0;
  if (!original.is_zero()) {
    if (current.is_zero())
      refund -= kSstoreClearRefund;
    else if (new_value.is_zero())
      refund += kSstoreClearRefund;
  }
  if (original == new_value)
    refund += original.is_zero() ? kSstoreSetGas - kWarmAccessGas : reset - kWarmAccessGas;
  return {kWarmAccessGas, refund};
}

}  // namespace tally::chain
