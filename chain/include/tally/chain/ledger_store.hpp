#pragma once
// A Ledger seen as the NodeStore and CodeStore of its state, so tries and WorldState read the
// nodes and code that commits stored. Put a CachingNodeStore in front of it for a node's hot path.
// Reads go through the ledger's connection: use from the ledger's thread only.

#include <tally/chain/code_store.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/node_store.hpp>

namespace tally::chain {

class LedgerStore final : public NodeStore, public CodeStore {
 public:
  // The ledger must outlive this object.
  explicit LedgerStore(Ledger& ledger) noexcept : ledger_(&ledger) {}

  Result<std::optional<Bytes>> get(const Hash256& hash) const override {
    return ledger_->trie_node(hash);
  }
  Result<std::optional<Bytes>> code(const Hash256& code_hash) const override {
    return ledger_->code(code_hash);
  }

 private:
  Ledger* ledger_;
};

}  // namespace tally::chain
