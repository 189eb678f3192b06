#pragma once
// How `tally ingest` shows its outcomes: a table for people, or JSON for programs. Both list
// every file: accepted ones with their record count and totals by kind, direction and currency,
// refused ones with every located error.

#include <iosfwd>
#include <vector>

#include <tally/reconcile/ingest.hpp>

namespace tally::cli {

void write_ingest_table(std::ostream& out, const std::vector<reconcile::IngestOutcome>& outcomes);
void write_ingest_json(std::ostream& out, const std::vector<reconcile::IngestOutcome>& outcomes);

}  // namespace tally::cli
