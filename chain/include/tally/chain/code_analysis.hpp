#pragma once
// What the interpreter needs of contract code before running it: the code padded with zero bytes
// (so PUSH data running past the end reads zeros and execution falling off the end meets STOP)
// and the bitmap of valid jump destinations (JUMPDEST bytes that are not PUSH data). Analysed
// once per code hash and cached by the EVM for as long as it lives.

#include <cstdint>
#include <map>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

class CodeAnalysis {
 public:
  explicit CodeAnalysis(BytesView code);

  std::uint64_t size() const noexcept { return size_; }
  const Byte* padded() const noexcept { return padded_.data(); }
  BytesView code() const noexcept { return BytesView(padded_).first(size_); }
  bool is_jumpdest(std::uint64_t pc) const noexcept {
    return pc < size_ && ((jumpdests_[pc / 64] >> (pc % 64)) & 1) != 0;
  }

 private:
  std::uint64_t size_;
  Bytes padded_;
  std::vector<std::uint64_t> jumpdests_;
};

// Analyses by code hash. References stay valid as long as the cache (std::map nodes do not move).
class CodeCache {
 public:
  // The analysis of `code`, whose Keccak-256 is `code_hash`.
  const CodeAnalysis& get(const Hash256& code_hash, BytesView code);
  const CodeAnalysis* find(const Hash256& code_hash) const;

 private:
  std::map<Hash256, CodeAnalysis> entries_;
};

}  // namespace tally::chain
