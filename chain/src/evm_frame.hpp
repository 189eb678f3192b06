#pragma once
// The interpreter's internals, shared by the dispatch loop (interpreter.cpp) and the instructions
// too large to write inline there (instructions.cpp): the running frame and the small helpers the
// hot loop needs inlined.

#include <algorithm>
#include <cstring>

#include <tally/chain/evm.hpp>
#include <tally/chain/evm_memory.hpp>
#include <tally/chain/gas_schedule.hpp>

namespace tally::chain::detail {

// One running frame: what the instructions read and change.
struct Frame {
  Evm& evm;
  const Message& msg;
  const CodeAnalysis& code;
  Revision revision;
  EvmStack stack;
  std::int64_t gas;
  std::int64_t refund = 0;
  EvmMemory memory;
  Bytes return_data;
  Bytes output;
};

inline Address to_address(const u256& word) {
  const Hash256 be = word.to_be();
  Address out;
  std::copy(be.bytes.begin() + 12, be.bytes.end(), out.bytes.begin());
  return out;
}

inline u256 from_address(const Address& address) {
  Hash256 be;
  std::copy(address.bytes.begin(), address.bytes.end(), be.bytes.begin() + 12);
  return u256::from_be(be);
}

// The 32 bytes at `data` as a big-endian word: four byte swaps, not a loop per byte (PUSH and
// MLOAD are a large share of all instructions).
inline u256 load_word(const Byte* data) {
  u256 out;
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t be;
    std::memcpy(&be, data + 8 * i, 8);
    out.limbs[3 - i] = __builtin_bswap64(be);
  }
  return out;
}

// Limb by limb, straight into memory: a 32-byte temporary would be written in 8-byte pieces and
// read back in 16-byte ones, which stalls store forwarding.
inline void store_word(Byte* data, const u256& value) {
  for (std::size_t i = 0; i < 4; ++i) {
    const std::uint64_t be = __builtin_bswap64(value.limbs[3 - i]);
    std::memcpy(data + 8 * i, &be, 8);
  }
}

// PUSH data: `count` (1..32) big-endian bytes at `data`. Reads up to 32 bytes past `data`, which
// the code's zero padding (code_analysis.hpp) allows.
inline u256 load_push(const Byte* data, std::size_t count) {
  if (count <= 8) {
    std::uint64_t be;
    std::memcpy(&be, data, 8);
    return u256(__builtin_bswap64(be) >> (64 - 8 * count));
  }
  Byte word[32] = {};
  std::memcpy(word + 32 - count, data, count);
  return load_word(word);
}

// Charges for growing memory to cover [offset, offset + size); false is out of gas. A zero size
// touches no memory whatever the offset.
inline bool grow_memory(Frame& f, const u256& offset, const u256& size) {
  if (size.is_zero())
    return true;
  if (!offset.fits_u64() || !size.fits_u64() || offset.low_u64() > kMaxMemorySize ||
      size.low_u64() > kMaxMemorySize)
    return false;
  const std::uint64_t end = offset.low_u64() + size.low_u64();
  if (end <= f.memory.size())
    return true;
  const std::uint64_t words = num_words(end);
  f.gas -= memory_cost(words) - memory_cost(f.memory.words());
  if (f.gas < 0)
    return false;
  f.memory.grow_to_words(words);
  return true;
}

// Instructions with dynamic gas or sub-calls (instructions.cpp). Each pops its operands and pushes
// its result; anything but success ends the frame with that status.
EvmStatus op_copy(Frame& f, BytesView source);  // CALLDATACOPY, CODECOPY
EvmStatus op_returndatacopy(Frame& f);
EvmStatus op_mcopy(Frame& f);
EvmStatus op_extcodecopy(Frame& f);
EvmStatus op_keccak(Frame& f);
EvmStatus op_exp(Frame& f);
EvmStatus op_account_read(Frame& f, Byte op);  // BALANCE, EXTCODESIZE, EXTCODEHASH
EvmStatus op_sload(Frame& f);
EvmStatus op_sstore(Frame& f);
EvmStatus op_log(Frame& f, std::size_t topic_count);
EvmStatus op_call(Frame& f, Byte op);  // CALL, CALLCODE, DELEGATECALL, STATICCALL
EvmStatus op_create(Frame& f, bool create2);
EvmStatus op_selfdestruct(Frame& f);
EvmStatus op_return(Frame& f);  // RETURN and REVERT: the output
u256 block_hash(Frame& f, const u256& number);

}  // namespace tally::chain::detail
