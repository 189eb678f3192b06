#pragma once
// Gas constants and the per-opcode table the interpreter checks before each instruction: the static
// cost, the stack items needed and the net stack growth, and whether the opcode exists in the
// revision. Dynamic costs (memory, warm/cold access, copies, SSTORE) are charged by the
// instruction.

#include <array>
#include <cstdint>

#include <tally/chain/evm_revision.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

inline constexpr std::int64_t kWarmAccessGas = 100;          // EIP-2929 warm read
inline constexpr std::int64_t kColdAccountAccessGas = 2600;  // EIP-2929
inline constexpr std::int64_t kColdSloadGas = 2100;          // EIP-2929
inline constexpr std::int64_t kSstoreSetGas = 20000;
inline constexpr std::int64_t kSstoreResetGas = 5000;
inline constexpr std::int64_t kSstoreClearRefund = 4800;  // EIP-3529
inline constexpr std::int64_t kSstoreSentryGas = 2300;    // EIP-2200
inline constexpr std::int64_t kCallValueGas = 9000;
inline constexpr std::int64_t kCallStipend = 2300;
inline constexpr std::int64_t kNewAccountGas = 25000;
inline constexpr std::int64_t kCodeDepositGas = 200;  // per byte of deployed code
inline constexpr std::int64_t kCopyWordGas = 3;
inline constexpr std::int64_t kKeccakWordGas = 6;
inline constexpr std::int64_t kLogDataGas = 8;
inline constexpr std::int64_t kInitCodeWordCost = 2;  // EIP-3860, per word of CREATE init code
inline constexpr std::int64_t kSelfdestructGas = 5000;
inline constexpr std::int64_t kMaxRefundQuotient = 5;  // EIP-3529: refund <= gas used / 5
inline constexpr int kMaxCallDepth = 1024;
inline constexpr std::size_t kMaxStackSize = 1024;
inline constexpr std::size_t kMaxCodeSize = 24576;                    // EIP-170
inline constexpr std::size_t kMaxInitCodeSizeEvm = 2 * kMaxCodeSize;  // EIP-3860

struct OpcodeInfo {
  std::int16_t gas = 0;      // static cost, charged before the instruction runs
  std::int8_t stack_in = 0;  // items the instruction needs on the stack
  std::int8_t growth = 0;    // net change of the stack height
  bool defined = false;
};

using OpcodeTable = std::array<OpcodeInfo, 256>;

const OpcodeTable& opcode_table(Revision revision) noexcept;

// Memory of `words` 32-byte words costs 3 per word plus words^2 / 512.
constexpr std::int64_t memory_cost(std::uint64_t words) noexcept {
  return static_cast<std::int64_t>(3 * words + words * words / 512);
}

constexpr std::uint64_t num_words(std::uint64_t bytes) noexcept {
  return (bytes + 31) / 32;
}

// SSTORE cost and refund change by EIP-2200 with EIP-2929's cold surcharge excluded (the caller
// adds 2100 for a cold slot) and EIP-3529's reduced clearing refund.
struct SstoreCost {
  std::int64_t gas;
  std::int64_t refund;
};
SstoreCost sstore_cost(Revision revision,
                       const u256& original,
                       const u256& current,
                       const u256& new_value) noexcept;

}  // namespace tally::chain
