#include <algorithm>
#include <cstring>

#include <tally/core/keccak.hpp>

#include "evm_frame.hpp"

namespace tally::chain::detail {
namespace {

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

}  // namespace

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

}  // namespace tally::chain::detail
