#include <tally/chain/interpreter.hpp>

#include "evm_frame.hpp"

namespace tally::chain {
namespace {

ExecResult failed(EvmStatus status) {
  return {status, 0, 0, {}, {}};
}

// Runs an out-of-line instruction on the frame, handing it the loop's stack pointer and gas and
// taking them back.
template <typename Op>
EvmStatus run_op(detail::Frame& f, EvmStack& stack, std::int64_t& gas, Op op) {
  f.stack = stack;
  f.gas = gas;
  const EvmStatus status = op();
  stack = f.stack;
  gas = f.gas;
  return status;
}

bool grow_memory_local(detail::Frame& f, std::int64_t& gas, const u256& offset, const u256& size) {
  f.gas = gas;
  const bool grown = detail::grow_memory(f, offset, size);
  gas = f.gas;
  return grown;
}

}  // namespace

// One long function on purpose: the dispatch switch is the hot loop, and each case small enough
// to read beside its opcode; the larger instructions live in instructions.cpp.
ExecResult interpret(Evm& evm, const Message& message, const CodeAnalysis& code) {
  using namespace detail;
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
  // The stack pointer and the gas counter live in locals the compiler keeps in registers; the
  // frame's copies are synchronised only around the out-of-line instructions (run_op).
  EvmStack stack = f.stack;
  std::int64_t gas = f.gas;
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
    gas -= info.gas;
    if (gas < 0)
      return failed(EvmStatus::out_of_gas);

    EvmStatus status = EvmStatus::success;
    switch (op) {
      case 0x00:
        return {EvmStatus::success, gas, f.refund, {}, {}};
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
        status = run_op(f, stack, gas, [&] { return op_exp(f); });
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
        status = run_op(f, stack, gas, [&] { return op_keccak(f); });
        break;
      case 0x30:
        stack.push(from_address(message.recipient));
        break;
      case 0x31:
      case 0x3b:
      case 0x3f:
        status = run_op(f, stack, gas, [&] { return op_account_read(f, op); });
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
        status = run_op(f, stack, gas, [&] { return op_copy(f, message.input); });
        break;
      case 0x38:
        stack.push(u256(code.size()));
        break;
      case 0x39:
        status = run_op(f, stack, gas, [&] { return op_copy(f, code.code()); });
        break;
      case 0x3a:
        stack.push(evm.tx().gas_price);
        break;
      case 0x3c:
        status = run_op(f, stack, gas, [&] { return op_extcodecopy(f); });
        break;
      case 0x3d:
        stack.push(u256(f.return_data.size()));
        break;
      case 0x3e:
        status = run_op(f, stack, gas, [&] { return op_returndatacopy(f); });
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
        if (!grow_memory_local(f, gas, top, 32)) {
          status = EvmStatus::out_of_gas;
          break;
        }
        top = load_word(f.memory.data() + top.low_u64());
        break;
      }
      case 0x52: {
        const u256 offset = stack.pop();
        const u256 value = stack.pop();
        if (!grow_memory_local(f, gas, offset, 32)) {
          status = EvmStatus::out_of_gas;
          break;
        }
        store_word(f.memory.data() + offset.low_u64(), value);
        break;
      }
      case 0x53: {
        const u256 offset = stack.pop();
        const u256 value = stack.pop();
        if (!grow_memory_local(f, gas, offset, 1)) {
          status = EvmStatus::out_of_gas;
          break;
        }
        f.memory.data()[offset.low_u64()] = static_cast<Byte>(value.low_u64());
        break;
      }
      case 0x54:
        status = run_op(f, stack, gas, [&] { return op_sload(f); });
        break;
      case 0x55:
        status = run_op(f, stack, gas, [&] { return op_sstore(f); });
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
        stack.push(u256(static_cast<std::uint64_t>(gas)));
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
        status = run_op(f, stack, gas, [&] { return op_mcopy(f); });
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
        status =
            run_op(f, stack, gas, [&] { return op_log(f, static_cast<std::size_t>(op - 0xa0)); });
        break;
      case 0xf0:
        status = run_op(f, stack, gas, [&] { return op_create(f, false); });
        break;
      case 0xf5:
        status = run_op(f, stack, gas, [&] { return op_create(f, true); });
        break;
      case 0xf1:
      case 0xf2:
      case 0xf4:
      case 0xfa:
        status = run_op(f, stack, gas, [&] { return op_call(f, op); });
        break;
      case 0xf3:
        status = run_op(f, stack, gas, [&] { return op_return(f); });
        if (status == EvmStatus::success)
          return {EvmStatus::success, gas, f.refund, std::move(f.output), {}};
        break;
      case 0xfd:
        status = run_op(f, stack, gas, [&] { return op_return(f); });
        if (status == EvmStatus::success)
          return {EvmStatus::revert, gas, 0, std::move(f.output), {}};
        break;
      case 0xff:
        status = run_op(f, stack, gas, [&] { return op_selfdestruct(f); });
        if (status == EvmStatus::success)
          return {EvmStatus::success, gas, f.refund, {}, {}};
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
