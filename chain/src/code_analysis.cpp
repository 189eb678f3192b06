#include <tally/chain/code_analysis.hpp>

namespace tally::chain {
namespace {

constexpr Byte kJumpdest = 0x5b;
constexpr Byte kPush1 = 0x60;
constexpr Byte kPush32 = 0x7f;
// PUSH32's data plus the STOP after it.
constexpr std::size_t kPadding = 33;

}  // namespace

CodeAnalysis::CodeAnalysis(BytesView code)
    : size_(code.size()), padded_(code.size() + kPadding, 0), jumpdests_(code.size() / 64 + 1, 0) {
  std::copy(code.begin(), code.end(), padded_.begin());
  for (std::size_t pc = 0; pc < code.size(); ++pc) {
    const Byte op = code[pc];
    if (op == kJumpdest)
      jumpdests_[pc / 64] |= std::uint64_t{1} << (pc % 64);
    else if (op >= kPush1 && op <= kPush32)
      pc += static_cast<std::size_t>(op - kPush1 + 1);  // skip the PUSH data
  }
}

const CodeAnalysis& CodeCache::get(const Hash256& code_hash, BytesView code) {
  auto it = entries_.find(code_hash);
  if (it == entries_.end())
    it = entries_.emplace(code_hash, CodeAnalysis(code)).first;
  return it->second;
}

const CodeAnalysis* CodeCache::find(const Hash256& code_hash) const {
  const auto it = entries_.find(code_hash);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace tally::chain
