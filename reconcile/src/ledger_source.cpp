#include <tally/reconcile/ledger_source.hpp>

namespace tally::reconcile {

Result<void> VectorLedgerSource::entries(adapters::Date from,
                                         adapters::Date to,
                                         const LedgerSink& sink) const {
  for (const LedgerEntry& entry : entries_) {
    const auto& date = entry.record.business_date;
    if (date && (*date < from || *date > to))
      continue;
    TALLY_TRY_VOID(sink(entry));
  }
  return {};
}

}  // namespace tally::reconcile
