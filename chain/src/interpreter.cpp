#include <algorithm>
#include <cstring>
#include <limits>

#include <tally/chain/evm_memory.hpp>
#include <tally/chain/gas_schedule.hpp>
#include <tally/chain/interpreter.hpp>
#include <tally/core/keccak.hpp>

namespace tally::chain {
namespace {

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

Address to_address(const u256& word) {
  const Hash256 be = word.to_be();
  Address out;
  std::copy(be.bytes.begin() + 12, be.bytes.end(), out.bytes.begin());
  return out;
}

u256 from_address(const Address& address) {
  Hash256 be;
  std::copy(address.bytes.begin(), address.bytes.end(), be.bytes.begin() + 12);
  return u256::from_be(be);
}

// The 32 bytes at `data` as a big-endian word: four byte swaps, not a loop per byte (PUSH and
// MLOAD are a large share of all instructions).
u256 load_word(const Byte* data) {
  std::uint64_t be[4];
  std::memcpy(be, data, 32);
  return u256(u256::Limbs{__builtin_bswap64(be[3]), __builtin_bswap64(be[2]),
                          __builtin_bswap64(be[1]), __builtin_bswap64(be[0])});
}

void store_word(Byte* data, const u256& value) {
  const std::uint64_t be[4] = {__builtin_bswap64(value.limbs[3]), __builtin_bswap64(value.limbs[2]),
                               __builtin_bswap64(value.limbs[1]),
                               __builtin_bswap64(value.limbs[0])};
  std::memcpy(data, be, 32);
}

// PUSH data: `count` (1..32) big-endian bytes at `data`. Reads up to 32 bytes past `data`, which
// the code's zero padding (code_analysis.hpp) allows.
u256 load_push(const Byte* data, std::size_t count) {
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
bool grow_memory(Frame& f, const u256& offset, const u256& size) {
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

// Copies `size` bytes of `source` from `source_offset` (zeros past its end) to memory at
// `memory_offset`. Memory must already cover the destination.
void copy_padded(Frame& f,
                 std::uint64_t memory_offset,
                 BytesView source,
                 const u256& source_offset,
                 std::uint64_t size) {
  if (size == 0)
    return;
  Byte* dest = f.memory.data() + memory_offset;
  std::uint64_t copied = 0;
  if (source_offset.fits_u64() && source_offset.low_u64() < source.size()) {
    copied = std::min<std::uint64_t>(size, source.size() - source_offset.low_u64());
    std::memcpy(dest, source.data() + source_offset.low_u64(), copied);
  }
  std::memset(dest + copied, 0, size - copied);
}

// CALLDATACOPY, CODECOPY, RETURNDATACOPY, EXTCODECOPY and MCOPY's shared part: memory and the
// per-word copy cost.
bool charge_copy(Frame& f, const u256& memory_offset, const u256& size) {
  if (!grow_memory(f, memory_offset, size))
    return false;
  f.gas -= kCopyWordGas * static_cast<std::int64_t>(num_words(size.low_u64()));
  return f.gas >= 0;
}

EvmStatus op_copy(Frame& f, BytesView source) {
  const u256 memory_offset = f.stack.pop();
  const u256 source_offset = f.stack.pop();
  const u256 size = f.stack.pop();
  if (!charge_copy(f, memory_offset, size))
    return EvmStatus::out_of_gas;
  if (!size.is_zero())
    copy_padded(f, memory_offset.low_u64(), source, source_offset, size.low_u64());
  return EvmStatus::success;
}

EvmStatus op_returndatacopy(Frame& f) {
  const u256 memory_offset = f.stack.pop();
  const u256 source_offset = f.stack.pop();
  const u256 size = f.stack.pop();
  if (!charge_copy(f, memory_offset, size))
    return EvmStatus::out_of_gas;
  const U256Carry end = add_with_carry(source_offset, size);
  if (end.carry || end.value > u256(f.return_data.size()))
    return EvmStatus::invalid_memory_access;
  if (!size.is_zero())
    std::memcpy(f.memory.data() + memory_offset.low_u64(),
                f.return_data.data() + source_offset.low_u64(), size.low_u64());
  return EvmStatus::success;
}

EvmStatus op_mcopy(Frame& f) {
  const u256 dest = f.stack.pop();
  const u256 source = f.stack.pop();
  const u256 size = f.stack.pop();
  if (!grow_memory(f, source, size) || !charge_copy(f, dest, size))
    return EvmStatus::out_of_gas;
  if (!size.is_zero())
    std::memmove(f.memory.data() + dest.low_u64(), f.memory.data() + source.low_u64(),
                 size.low_u64());
  return EvmStatus::success;
}

EvmStatus op_extcodecopy(Frame& f) {
  const Address address = to_address(f.stack.pop());
  if (f.revision == Revision::cancun && f.evm.access_account(address))
    f.gas -= kColdAccountAccessGas - kWarmAccessGas;
  const u256 memory_offset = f.stack.pop();
  const u256 source_offset = f.stack.pop();
  const u256 size = f.stack.pop();
  if (!charge_copy(f, memory_offset, size))
    return EvmStatus::out_of_gas;
  if (!size.is_zero())
    copy_padded(f, memory_offset.low_u64(), f.evm.code(address).code(), source_offset,
                size.low_u64());
  return EvmStatus::success;
}

EvmStatus op_keccak(Frame& f) {
  const u256 offset = f.stack.pop();
  u256& top = f.stack.peek();
  const u256 size = top;
  if (!grow_memory(f, offset, size))
    return EvmStatus::out_of_gas;
  f.gas -= kKeccakWordGas * static_cast<std::int64_t>(num_words(size.low_u64()));
  if (f.gas < 0)
    return EvmStatus::out_of_gas;
  const BytesView data =
      size.is_zero() ? BytesView{} : f.memory.view(offset.low_u64(), size.low_u64());
  top = u256::from_be(keccak256(data));
  return EvmStatus::success;
}

EvmStatus op_exp(Frame& f) {
  const u256 base = f.stack.pop();
  u256& exponent = f.stack.peek();
  const std::int64_t per_byte = f.revision == Revision::cancun ? 50 : 10;
  f.gas -= per_byte * static_cast<std::int64_t>((exponent.bit_length() + 7) / 8);
  if (f.gas < 0)
    return EvmStatus::out_of_gas;
  exponent = exp(base, exponent);
  return EvmStatus::success;
}

EvmStatus op_account_read(Frame& f, Byte op) {
  u256& top = f.stack.peek();
  const Address address = to_address(top);
  if (f.revision == Revision::cancun && f.evm.access_account(address)) {
    f.gas -= kColdAccountAccessGas - kWarmAccessGas;
    if (f.gas < 0)
      return EvmStatus::out_of_gas;
  }
  switch (op) {
    case 0x31:
      top = f.evm.balance(address);
      break;
    case 0x3b:
      top = u256(f.evm.code(address).size());
      break;
    default:
      top = u256::from_be(f.evm.code_hash(address));
      break;  // 0x3f EXTCODEHASH
  }
  return EvmStatus::success;
}

EvmStatus op_sload(Frame& f) {
  u256& top = f.stack.peek();
  if (f.revision == Revision::cancun && f.evm.access_slot(f.msg.recipient, top)) {
    f.gas -= kColdSloadGas - kWarmAccessGas;
    if (f.gas < 0)
      return EvmStatus::out_of_gas;
  }
  top = f.evm.storage(f.msg.recipient, top);
  return EvmStatus::success;
}

EvmStatus op_sstore(Frame& f) {
  if (f.msg.is_static)
    return EvmStatus::static_mode_violation;
  if (f.revision == Revision::cancun && f.gas <= kSstoreSentryGas)
    return EvmStatus::out_of_gas;
  const u256 slot = f.stack.pop();
  const u256 value = f.stack.pop();
  if (f.revision == Revision::cancun && f.evm.access_slot(f.msg.recipient, slot))
    f.gas -= kColdSloadGas;
  const u256 current = f.evm.storage(f.msg.recipient, slot);
  const u256 original =
      f.revision == Revision::cancun ? f.evm.original_storage(f.msg.recipient, slot) : current;
  const SstoreCost cost = sstore_cost(f.revision, original, current, value);
  f.gas -= cost.gas;
  if (f.gas < 0)
    return EvmStatus::out_of_gas;
  f.refund += cost.refund;
  if (current != value)
    f.evm.set_storage(f.msg.recipient, slot, value);
  return EvmStatus::success;
}

EvmStatus op_log(Frame& f, std::size_t topic_count) {
  if (f.msg.is_static)
    return EvmStatus::static_mode_violation;
  const u256 offset = f.stack.pop();
  const u256 size = f.stack.pop();
  if (!grow_memory(f, offset, size))
    return EvmStatus::out_of_gas;
  f.gas -= kLogDataGas * static_cast<std::int64_t>(size.low_u64());
  if (f.gas < 0)
    return EvmStatus::out_of_gas;
  Log log;
  log.address = f.msg.recipient;
  for (std::size_t i = 0; i < topic_count; ++i)
    log.topics.push_back(f.stack.pop().to_be());
  if (!size.is_zero()) {
    const BytesView data = f.memory.view(offset.low_u64(), size.low_u64());
    log.data.assign(data.begin(), data.end());
  }
  f.evm.emit_log(std::move(log));
  return EvmStatus::success;
}

EvmStatus op_call(Frame& f, Byte op) {
  const CallKind kind = op == 0xf1   ? CallKind::call
                        : op == 0xf2 ? CallKind::callcode
                        : op == 0xf4 ? CallKind::delegatecall
                                     : CallKind::staticcall;
  const u256 requested = f.stack.pop();
  const Address destination = to_address(f.stack.pop());
  const bool takes_value = kind == CallKind::call || kind == CallKind::callcode;
  const u256 value = takes_value ? f.stack.pop() : u256(0);
  const u256 input_offset = f.stack.pop();
  const u256 input_size = f.stack.pop();
  const u256 output_offset = f.stack.pop();
  const u256 output_size = f.stack.pop();
  const bool cancun = f.revision == Revision::cancun;

  if (cancun && f.evm.access_account(destination))
    f.gas -= kColdAccountAccessGas - kWarmAccessGas;
  if (f.gas < 0 || !grow_memory(f, input_offset, input_size) ||
      !grow_memory(f, output_offset, output_size))
    return EvmStatus::out_of_gas;
  const bool has_value = !value.is_zero();
  if (kind == CallKind::call && has_value && f.msg.is_static)
    return EvmStatus::static_mode_violation;
  if (has_value)
    f.gas -= kCallValueGas;
  if (kind == CallKind::call) {
    const bool new_account =
        cancun ? has_value && f.evm.is_empty(destination) : !f.evm.exists(destination);
    if (new_account)
      f.gas -= kNewAccountGas;
  }
  if (f.gas < 0)
    return EvmStatus::out_of_gas;
  std::int64_t call_gas = requested.fits_u64() && requested.low_u64() <= INT64_MAX
                              ? static_cast<std::int64_t>(requested.low_u64())
                              : INT64_MAX;
  if (cancun)
    call_gas = std::min(call_gas, f.gas - f.gas / 64);  // EIP-150: all but one 64th
  else if (call_gas > f.gas)
    return EvmStatus::out_of_gas;
  f.gas -= call_gas;
  if (has_value)
    call_gas += kCallStipend;

  f.return_data.clear();
  if (f.msg.depth >= kMaxCallDepth || (has_value && f.evm.balance(f.msg.recipient) < value)) {
    f.gas += call_gas;
    f.stack.push(0);
    return EvmStatus::success;
  }
  Message message;
  message.kind = kind;
  message.is_static = f.msg.is_static || kind == CallKind::staticcall;
  message.depth = f.msg.depth + 1;
  message.gas = call_gas;
  message.code_address = destination;
  message.recipient = takes_value && kind == CallKind::call ? destination : f.msg.recipient;
  if (kind == CallKind::staticcall)
    message.recipient = destination;
  message.sender = kind == CallKind::delegatecall ? f.msg.sender : f.msg.recipient;
  message.value = kind == CallKind::delegatecall ? f.msg.value : value;
  if (!input_size.is_zero())
    message.input = f.memory.view(input_offset.low_u64(), input_size.low_u64());

  ExecResult result = f.evm.call(message);
  f.return_data = std::move(result.output);
  const std::size_t count = std::min<std::size_t>(output_size.low_u64(), f.return_data.size());
  if (count > 0) {
    std::memcpy(f.memory.data() + output_offset.low_u64(), f.return_data.data(), count);
  }
  f.gas += result.gas_left;
  if (result.status == EvmStatus::success)
    f.refund += result.gas_refund;
  f.stack.push(result.status == EvmStatus::success ? 1 : 0);
  return EvmStatus::success;
}

EvmStatus op_create(Frame& f, bool create2) {
  if (f.msg.is_static)
    return EvmStatus::static_mode_violation;
  const u256 value = f.stack.pop();
  const u256 offset = f.stack.pop();
  const u256 size = f.stack.pop();
  const u256 salt = create2 ? f.stack.pop() : u256(0);
  if (!grow_memory(f, offset, size))
    return EvmStatus::out_of_gas;
  const auto words = static_cast<std::int64_t>(num_words(size.low_u64()));
  if (f.revision == Revision::cancun) {
    if (size.low_u64() > kMaxInitCodeSizeEvm)
      return EvmStatus::out_of_gas;  // EIP-3860: an exceptional halt
    f.gas -= kInitCodeWordCost * words;
  }
  if (create2)
    f.gas -= kKeccakWordGas * words;
  if (f.gas < 0)
    return EvmStatus::out_of_gas;

  f.return_data.clear();
  if (f.msg.depth >= kMaxCallDepth ||
      (!value.is_zero() && f.evm.balance(f.msg.recipient) < value)) {
    f.stack.push(0);
    return EvmStatus::success;
  }
  Message message;
  message.kind = create2 ? CallKind::create2 : CallKind::create;
  message.depth = f.msg.depth + 1;
  message.gas = f.revision == Revision::cancun ? f.gas - f.gas / 64 : f.gas;
  message.sender = f.msg.recipient;
  message.value = value;
  message.salt = salt.to_be();
  if (!size.is_zero())
    message.input = f.memory.view(offset.low_u64(), size.low_u64());
  f.gas -= message.gas;

  ExecResult result = f.evm.create(message);
  f.gas += result.gas_left;
  if (result.status == EvmStatus::success) {
    f.refund += result.gas_refund;
    f.stack.push(from_address(result.created_address));
  } else {
    f.stack.push(0);
    if (result.status == EvmStatus::revert)
      f.return_data = std::move(result.output);
  }
  return EvmStatus::success;
}

EvmStatus op_selfdestruct(Frame& f) {
  if (f.msg.is_static)
    return EvmStatus::static_mode_violation;
  const Address beneficiary = to_address(f.stack.pop());
  if (f.revision == Revision::cancun) {
    if (f.evm.access_account(beneficiary))
      f.gas -= kColdAccountAccessGas;
    if (!f.evm.balance(f.msg.recipient).is_zero() && f.evm.is_empty(beneficiary))
      f.gas -= kNewAccountGas;
    if (f.gas < 0)
      return EvmStatus::out_of_gas;
  }
  if (f.evm.selfdestruct(f.msg.recipient, beneficiary) && f.revision == Revision::homestead)
    f.refund += 24000;
  return EvmStatus::success;
}

EvmStatus op_return(Frame& f) {
  const u256 offset = f.stack.pop();
  const u256 size = f.stack.pop();
  if (!grow_memory(f, offset, size))
    return EvmStatus::out_of_gas;
  if (!size.is_zero()) {
    const BytesView data = f.memory.view(offset.low_u64(), size.low_u64());
    f.output.assign(data.begin(), data.end());
  }
  return EvmStatus::success;
}

u256 block_hash(Frame& f, const u256& number) {
  const std::uint64_t current = f.evm.block().number;
  if (!number.fits_u64() || number.low_u64() >= current || current - number.low_u64() > 256)
    return 0;
  return u256::from_be(f.evm.block_hash(number.low_u64()));
}

ExecResult failed(EvmStatus status) {
  return {status, 0, 0, {}, {}};
}

}  // namespace

ExecResult interpret(Evm& evm, const Message& message, const CodeAnalysis& code) {
  Frame f{.evm = evm,
          .msg = message,
          .code = code,
          .revision = evm.revision(),
          .stack = EvmStack(evm.stack_space(message.depth)),
          .gas = message.gas,
          .refund = 0,
          .memory = {},
          .return_data = {},
          .output = {}};
  const OpcodeTable& table = opcode_table(f.revision);
  const Byte* const bytes = code.padded();
  EvmStack& stack = f.stack;
  std::uint64_t pc = 0;
  for (;;) {
    const Byte op = bytes[pc];
    const OpcodeInfo& info = table[op];
    if (!info.defined)
      return failed(EvmStatus::undefined_instruction);
    const auto height = static_cast<std::ptrdiff_t>(stack.size());
    if (height < info.stack_in)
      return failed(EvmStatus::stack_underflow);
    if (height + info.growth > static_cast<std::ptrdiff_t>(kMaxStackSize))
      return failed(EvmStatus::stack_overflow);
    f.gas -= info.gas;
    if (f.gas < 0)
      return failed(EvmStatus::out_of_gas);

    EvmStatus status = EvmStatus::success;
    switch (op) {
      case 0x00:
        return {EvmStatus::success, f.gas, f.refund, {}, {}};
      case 0x01: {
        const u256 a = stack.pop();
        stack.peek() = a + stack.peek();
        break;
      }
      case 0x02: {
        const u256 a = stack.pop();
        stack.peek() = a * stack.peek();
        break;
      }
      case 0x03: {
        const u256 a = stack.pop();
        stack.peek() = a - stack.peek();
        break;
      }
      case 0x04: {
        const u256 a = stack.pop();
        stack.peek() = div(a, stack.peek());
        break;
      }
      case 0x05: {
        const u256 a = stack.pop();
        stack.peek() = sdiv(a, stack.peek());
        break;
      }
      case 0x06: {
        const u256 a = stack.pop();
        stack.peek() = mod(a, stack.peek());
        break;
      }
      case 0x07: {
        const u256 a = stack.pop();
        stack.peek() = smod(a, stack.peek());
        break;
      }
      case 0x08: {
        const u256 a = stack.pop();
        const u256 b = stack.pop();
        stack.peek() = addmod(a, b, stack.peek());
        break;
      }
      case 0x09: {
        const u256 a = stack.pop();
        const u256 b = stack.pop();
        stack.peek() = mulmod(a, b, stack.peek());
        break;
      }
      case 0x0a:
        status = op_exp(f);
        break;
      case 0x0b: {
        const u256 a = stack.pop();
        stack.peek() = signextend(a, stack.peek());
        break;
      }
      case 0x10: {
        const u256 a = stack.pop();
        stack.peek() = u256(a < stack.peek());
        break;
      }
      case 0x11: {
        const u256 a = stack.pop();
        stack.peek() = u256(a > stack.peek());
        break;
      }
      case 0x12: {
        const u256 a = stack.pop();
        stack.peek() = u256(slt(a, stack.peek()));
        break;
      }
      case 0x13: {
        const u256 a = stack.pop();
        stack.peek() = u256(sgt(a, stack.peek()));
        break;
      }
      case 0x14: {
        const u256 a = stack.pop();
        stack.peek() = u256(a == stack.peek());
        break;
      }
      case 0x15:
        stack.peek() = u256(stack.peek().is_zero());
        break;
      case 0x16: {
        const u256 a = stack.pop();
        stack.peek() = a & stack.peek();
        break;
      }
      case 0x17: {
        const u256 a = stack.pop();
        stack.peek() = a | stack.peek();
        break;
      }
      case 0x18: {
        const u256 a = stack.pop();
        stack.peek() = a ^ stack.peek();
        break;
      }
      case 0x19:
        stack.peek() = ~stack.peek();
        break;
      case 0x1a: {
        const u256 a = stack.pop();
        stack.peek() = byte(a, stack.peek());
        break;
      }
      case 0x1b: {
        const u256 a = stack.pop();
        stack.peek() = shl(a, stack.peek());
        break;
      }
      case 0x1c: {
        const u256 a = stack.pop();
        stack.peek() = shr(a, stack.peek());
        break;
      }
      case 0x1d: {
        const u256 a = stack.pop();
        stack.peek() = sar(a, stack.peek());
        break;
      }
      case 0x20:
        status = op_keccak(f);
        break;
      case 0x30:
        stack.push(from_address(message.recipient));
        break;
      case 0x31:
      case 0x3b:
      case 0x3f:
        status = op_account_read(f, op);
        break;
      case 0x32:
        stack.push(from_address(evm.tx().origin));
        break;
      case 0x33:
        stack.push(from_address(message.sender));
        break;
      case 0x34:
        stack.push(message.value);
        break;
      case 0x35: {
        u256& top = stack.peek();
        Byte word[32] = {};
        if (top.fits_u64() && top.low_u64() < message.input.size()) {
          const std::size_t count = std::min<std::size_t>(32, message.input.size() - top.low_u64());
          std::memcpy(word, message.input.data() + top.low_u64(), count);
        }
        top = load_word(word);
        break;
      }
      case 0x36:
        stack.push(u256(message.input.size()));
        break;
      case 0x37:
        status = op_copy(f, message.input);
        break;
      case 0x38:
        stack.push(u256(code.size()));
        break;
      case 0x39:
        status = op_copy(f, code.code());
        break;
      case 0x3a:
        stack.push(evm.tx().gas_price);
        break;
      case 0x3c:
        status = op_extcodecopy(f);
        break;
      case 0x3d:
        stack.push(u256(f.return_data.size()));
        break;
      case 0x3e:
        status = op_returndatacopy(f);
        break;
      case 0x40:
        stack.peek() = block_hash(f, stack.peek());
        break;
      case 0x41:
        stack.push(from_address(evm.block().coinbase));
        break;
      case 0x42:
        stack.push(u256(evm.block().timestamp));
        break;
      case 0x43:
        stack.push(u256(evm.block().number));
        break;
      case 0x44:
        stack.push(f.revision == Revision::cancun ? u256::from_be(evm.block().prev_randao)
                                                  : evm.block().difficulty);
        break;
      case 0x45:
        stack.push(u256(evm.block().gas_limit));
        break;
      case 0x46:
        stack.push(u256(evm.block().chain_id));
        break;
      case 0x47:
        stack.push(evm.balance(message.recipient));
        break;
      case 0x48:
        stack.push(evm.block().base_fee);
        break;
      case 0x49:
        stack.peek() = 0;
        break;  // BLOBHASH: no blobs, no versioned hashes
      case 0x4a:
        stack.push(blob_base_fee(evm.block().excess_blob_gas));
        break;
      case 0x50:
        stack.drop(1);
        break;
      case 0x51: {
        u256& top = stack.peek();
        if (!grow_memory(f, top, 32)) {
          status = EvmStatus::out_of_gas;
          break;
        }
        top = load_word(f.memory.data() + top.low_u64());
        break;
      }
      case 0x52: {
        const u256 offset = stack.pop();
        const u256 value = stack.pop();
        if (!grow_memory(f, offset, 32)) {
          status = EvmStatus::out_of_gas;
          break;
        }
        store_word(f.memory.data() + offset.low_u64(), value);
        break;
      }
      case 0x53: {
        const u256 offset = stack.pop();
        const u256 value = stack.pop();
        if (!grow_memory(f, offset, 1)) {
          status = EvmStatus::out_of_gas;
          break;
        }
        f.memory.data()[offset.low_u64()] = static_cast<Byte>(value.low_u64());
        break;
      }
      case 0x54:
        status = op_sload(f);
        break;
      case 0x55:
        status = op_sstore(f);
        break;
      case 0x56: {
        const u256 dest = stack.pop();
        if (!dest.fits_u64() || !code.is_jumpdest(dest.low_u64()))
          return failed(EvmStatus::bad_jump_destination);
        pc = dest.low_u64();
        continue;
      }
      case 0x57: {
        const u256 dest = stack.pop();
        const u256 condition = stack.pop();
        if (!condition.is_zero()) {
          if (!dest.fits_u64() || !code.is_jumpdest(dest.low_u64()))
            return failed(EvmStatus::bad_jump_destination);
          pc = dest.low_u64();
          continue;
        }
        break;
      }
      case 0x58:
        stack.push(u256(pc));
        break;
      case 0x59:
        stack.push(u256(f.memory.size()));
        break;
      case 0x5a:
        stack.push(u256(static_cast<std::uint64_t>(f.gas)));
        break;
      case 0x5b:
        break;
      case 0x5c: {
        u256& top = stack.peek();
        top = evm.transient(message.recipient, top);
        break;
      }
      case 0x5d: {
        if (message.is_static)
          return failed(EvmStatus::static_mode_violation);
        const u256 slot = stack.pop();
        const u256 value = stack.pop();
        evm.set_transient(message.recipient, slot, value);
        break;
      }
      case 0x5e:
        status = op_mcopy(f);
        break;
      case 0x5f:
        stack.push(0);
        break;
      case 0x60:
      case 0x61:
      case 0x62:
      case 0x63:
      case 0x64:
      case 0x65:
      case 0x66:
      case 0x67:
      case 0x68:
      case 0x69:
      case 0x6a:
      case 0x6b:
      case 0x6c:
      case 0x6d:
      case 0x6e:
      case 0x6f:
      case 0x70:
      case 0x71:
      case 0x72:
      case 0x73:
      case 0x74:
      case 0x75:
      case 0x76:
      case 0x77:
      case 0x78:
      case 0x79:
      case 0x7a:
      case 0x7b:
      case 0x7c:
      case 0x7d:
      case 0x7e:
      case 0x7f: {
        const std::size_t count = static_cast<std::size_t>(op - 0x5f);
        stack.push(load_push(bytes + pc + 1, count));
        pc += count + 1;
        continue;
      }
      case 0x80:
      case 0x81:
      case 0x82:
      case 0x83:
      case 0x84:
      case 0x85:
      case 0x86:
      case 0x87:
      case 0x88:
      case 0x89:
      case 0x8a:
      case 0x8b:
      case 0x8c:
      case 0x8d:
      case 0x8e:
      case 0x8f:
        stack.dup(static_cast<std::size_t>(op - 0x7f));
        break;
      case 0x90:
      case 0x91:
      case 0x92:
      case 0x93:
      case 0x94:
      case 0x95:
      case 0x96:
      case 0x97:
      case 0x98:
      case 0x99:
      case 0x9a:
      case 0x9b:
      case 0x9c:
      case 0x9d:
      case 0x9e:
      case 0x9f:
        stack.swap(static_cast<std::size_t>(op - 0x8f));
        break;
      case 0xa0:
      case 0xa1:
      case 0xa2:
      case 0xa3:
      case 0xa4:
        status = op_log(f, static_cast<std::size_t>(op - 0xa0));
        break;
      case 0xf0:
        status = op_create(f, false);
        break;
      case 0xf5:
        status = op_create(f, true);
        break;
      case 0xf1:
      case 0xf2:
      case 0xf4:
      case 0xfa:
        status = op_call(f, op);
        break;
      case 0xf3:
        status = op_return(f);
        if (status == EvmStatus::success)
          return {EvmStatus::success, f.gas, f.refund, std::move(f.output), {}};
        break;
      case 0xfd:
        status = op_return(f);
        if (status == EvmStatus::success)
          return {EvmStatus::revert, f.gas, 0, std::move(f.output), {}};
        break;
      case 0xff:
        status = op_selfdestruct(f);
        if (status == EvmStatus::success)
          return {EvmStatus::success, f.gas, f.refund, {}, {}};
        break;
      default:
        return failed(EvmStatus::undefined_instruction);
    }
    if (status != EvmStatus::success)
      return failed(status);
    ++pc;
  }
}

}  // namespace tally::chain
