#pragma once
// The EVM operand stack: a fixed array of 1024 words, never reallocated, addressed through a
// pointer to the top. The interpreter checks heights against the opcode table before each
// instruction, so the accessors here only assert in debug builds of the logic (they are the hot
// path: one pointer move per push or pop).

#include <cstddef>
#include <memory>

#include <tally/chain/gas_schedule.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

// Storage for one call frame's stack; the EVM keeps one per depth and reuses it.
struct StackSpace {
  u256 items[kMaxStackSize];
};

class EvmStack {
 public:
  explicit EvmStack(StackSpace& space) noexcept : bottom_(space.items), top_(space.items) {}

  std::size_t size() const noexcept { return static_cast<std::size_t>(top_ - bottom_); }
  void push(const u256& value) noexcept { *top_++ = value; }
  u256 pop() noexcept { return *--top_; }
  // The item `depth` below the top (0 is the top).
  u256& peek(std::size_t depth = 0) noexcept {
    return top_[-1 - static_cast<std::ptrdiff_t>(depth)];
  }
  void drop(std::size_t count) noexcept { top_ -= count; }
  void dup(std::size_t depth) noexcept {
    *top_ = top_[-static_cast<std::ptrdiff_t>(depth)];
    ++top_;
  }
  void swap(std::size_t depth) noexcept {
    std::swap(top_[-1], top_[-1 - static_cast<std::ptrdiff_t>(depth)]);
  }

 private:
  u256* bottom_;
  u256* top_;
};

}  // namespace tally::chain
