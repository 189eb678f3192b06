#pragma once
// How `tally reconcile` shows a run: a summary and its breaks, as a table for people, CSV for
// spreadsheets or JSON for programs.

#include <iosfwd>
#include <vector>

#include <tally/reconcile/run_store.hpp>

namespace tally::cli {

enum class ReportFormat { table, csv, json };

void write_reconcile_report(std::ostream& out,
                            ReportFormat format,
                            const reconcile::RunInfo& run,
                            const reconcile::MatchStats& stats,
                            const std::vector<reconcile::StoredBreak>& breaks);

}  // namespace tally::cli
