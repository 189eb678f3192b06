// WorldState::commit: the overlay into the tries, in address and slot order.
#include <tally/chain/trie.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/rlp_u256.hpp>

namespace tally::chain {

Result<Hash256> WorldState::commit_storage(const Address& address,
                                           const AccountEntry& entry,
                                           NodeBatch& nodes) {
  const auto first = slots_.lower_bound({address, u256(0)});
  const bool has_slots = first != slots_.end() && first->first.first == address;
  TALLY_TRY(const auto stored, stored_account(address));
  const Hash256 base =
      entry.storage_reset || !stored ? empty_trie_root(suite_) : stored->storage_root;
  if (!has_slots)
    return base;

  SecureTrie trie(suite_, nodes_, base);
  for (auto it = first; it != slots_.end() && it->first.first == address; ++it) {
    const Hash256 key = it->first.second.to_be();
    if (it->second.is_zero()) {
      TALLY_TRY_VOID(trie.erase(key.view()));
    } else {
      RlpWriter writer;
      add_rlp_u256(writer, it->second);
      TALLY_TRY_VOID(trie.put(key.view(), writer.finish()));
    }
  }
  return trie.commit(nodes);
}

Result<Hash256> WorldState::commit(NodeBatch& nodes, CodeBatch& code) {
  TALLY_ASSERT(!spent_);
  spent_ = true;
  for (const auto& [address, entry] : accounts_) {
    if (!entry.account) {
      TALLY_TRY_VOID(state_trie_.erase(address.view()));
      continue;
    }
    Account account = *entry.account;
    TALLY_TRY(account.storage_root, commit_storage(address, entry, nodes));
    TALLY_TRY_VOID(state_trie_.put(address.view(), account.encode()));
    if (const auto it = new_code_.find(account.code_hash); it != new_code_.end()) {
      code.emplace_back(it->first, it->second);
    }
  }
  return state_trie_.commit(nodes);
}

}  // namespace tally::chain
