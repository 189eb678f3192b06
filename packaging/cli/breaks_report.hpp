#pragma once
// How `tally breaks` shows breaks: a table for people or JSON for programs, and one break with
// its audit entries.

#include <iosfwd>
#include <optional>
#include <vector>

#include <tally/reconcile/audit_log.hpp>
#include <tally/reconcile/break_store.hpp>

namespace tally::cli {

void write_breaks_table(std::ostream& out, const std::vector<reconcile::BreakView>& breaks);
// {"as_of": "YYYY-MM-DD" or null, "breaks": [{"break_id": 7, "class": ..., "status": ..., ...}]}
void write_breaks_json(std::ostream& out,
                       const std::vector<reconcile::BreakView>& breaks,
                       const std::optional<reconcile::BusinessDate>& as_of);
void write_break_history(std::ostream& out,
                         const reconcile::BreakView& view,
                         const std::vector<reconcile::AuditEntry>& entries);

}  // namespace tally::cli
