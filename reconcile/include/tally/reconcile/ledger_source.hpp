#pragma once
// The shared ledger as a third source of a run. The chain will implement this interface over its
// joint-loan state; until then, and in tests, VectorLedgerSource serves entries from memory.
// An entry is a normalized Record (the ledger's view of one movement) with an identity: the
// ledger's id for its batch (a tx hash) and a sequence number within it.

#include <cstdint>
#include <functional>
#include <vector>

#include <tally/adapters/record.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::reconcile {

struct LedgerEntry {
  Hash256 id;
  std::uint64_t seq = 0;
  adapters::Record record;
};

using LedgerSink = std::function<Result<void>(const LedgerEntry&)>;

class LedgerSource {
 public:
  virtual ~LedgerSource() = default;
  // Every entry whose business date lies in [from, to], each once, to `sink`, stopping at the
  // sink's first error. The order is the source's own; the engine does not depend on it.
  virtual Result<void> entries(adapters::Date from,
                               adapters::Date to,
                               const LedgerSink& sink) const = 0;
};

class VectorLedgerSource final : public LedgerSource {
 public:
  explicit VectorLedgerSource(std::vector<LedgerEntry> entries) : entries_(std::move(entries)) {}

  Result<void> entries(adapters::Date from,
                       adapters::Date to,
                       const LedgerSink& sink) const override;

 private:
  std::vector<LedgerEntry> entries_;
};

}  // namespace tally::reconcile
