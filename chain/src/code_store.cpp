#include <tally/chain/code_store.hpp>

namespace tally::chain {

Result<std::optional<Bytes>> MemoryCodeStore::code(const Hash256& code_hash) const {
  const auto it = code_.find(code_hash);
  if (it == code_.end())
    return std::optional<Bytes>();
  return std::optional<Bytes>(it->second);
}

}  // namespace tally::chain
