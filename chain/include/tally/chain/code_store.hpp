#pragma once
// Where contract code lives, by its Keccak-256 code hash. Like trie nodes, code is content
// addressed: written once, never changed.

#include <map>
#include <optional>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

class CodeStore {
 public:
  virtual ~CodeStore() = default;
  // The code whose hash is `code_hash`, nullopt when there is none.
  virtual Result<std::optional<Bytes>> code(const Hash256& code_hash) const = 0;
};

// Code in a map: tests, and states that never reach a ledger.
class MemoryCodeStore final : public CodeStore {
 public:
  Result<std::optional<Bytes>> code(const Hash256& code_hash) const override;
  void put(const Hash256& code_hash, Bytes code) { code_[code_hash] = std::move(code); }

 private:
  std::map<Hash256, Bytes> code_;
};

}  // namespace tally::chain
