#include "ingest_report.hpp"

#include <iomanip>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <tally/core/amount.hpp>

namespace tally::cli {
namespace {

using reconcile::IngestOutcome;
using reconcile::KindTotal;

// The total in the currency's own decimals; an unknown code (never stored) shows minor units.
std::string format_total(const KindTotal& total) {
  const auto currency = Currency::from_code(total.currency);
  if (!currency)
    return std::to_string(total.total_minor);
  return Amount(total.total_minor, *currency).to_string({.grouping_separator = ','});
}

std::size_t count_of(const std::vector<IngestOutcome>& outcomes, bool accepted) {
  std::size_t n = 0;
  for (const auto& outcome : outcomes)
    n += outcome.accepted == accepted ? 1 : 0;
  return n;
}

void write_totals_table(std::ostream& out, const std::vector<KindTotal>& totals) {
  out << "  " << std::left << std::setw(14) << "kind" << std::setw(10) << "direction"
      << std::setw(9) << "currency" << std::right << std::setw(10) << "records" << std::setw(24)
      << "total" << '\n';
  for (const auto& total : totals) {
    out << "  " << std::left << std::setw(14) << adapters::record_kind_name(total.kind)
        << std::setw(10) << adapters::direction_name(total.direction) << std::setw(9)
        << total.currency << std::right << std::setw(10) << total.count << std::setw(24)
        << format_total(total) << '\n';
  }
}

boost::json::object error_json(const adapters::LocatedError& error) {
  boost::json::object json;
  json["file"] = error.where.file_id;
  if (error.where.line != 0)
    json["line"] = error.where.line;
  if (error.column != 0)
    json["column"] = error.column;
  if (!error.where.element_path.empty())
    json["path"] = error.where.element_path;
  json["byte_offset"] = error.where.byte_offset;
  json["reason"] = error.reason;
  return json;
}

boost::json::object outcome_json(const IngestOutcome& outcome) {
  boost::json::object json;
  json["file"] = outcome.file.name;
  json["sha256"] = outcome.file.file_hash.hex(false);
  json["bytes"] = outcome.file.byte_size;
  json["profile"] = outcome.file.profile;
  json["institution"] = outcome.file.institution;
  json["status"] = outcome.accepted ? "accepted" : "refused";
  if (outcome.accepted) {
    json["records"] = outcome.file.record_count;
    boost::json::array totals;
    for (const auto& total : outcome.totals) {
      totals.push_back({{"kind", adapters::record_kind_name(total.kind)},
                        {"direction", adapters::direction_name(total.direction)},
                        {"currency", total.currency},
                        {"records", total.count},
                        {"total_minor", total.total_minor},
                        {"total", format_total(total)}});
    }
    json["totals"] = std::move(totals);
  } else {
    boost::json::array errors;
    for (const auto& error : outcome.errors)
      errors.push_back(error_json(error));
    json["errors"] = std::move(errors);
    json["error_count"] = outcome.error_count;
  }
  return json;
}

}  // namespace

void write_ingest_table(std::ostream& out, const std::vector<IngestOutcome>& outcomes) {
  for (const auto& outcome : outcomes) {
    out << outcome.file.name << ": ";
    if (outcome.accepted) {
      out << "accepted, " << outcome.file.record_count << " records, sha256 "
          << outcome.file.file_hash.hex(false) << '\n';
      write_totals_table(out, outcome.totals);
      continue;
    }
    out << "refused, " << outcome.error_count << " error" << (outcome.error_count == 1 ? "" : "s")
        << '\n';
    for (const auto& error : outcome.errors)
      out << "  " << error.to_string() << '\n';
    if (outcome.error_count > outcome.errors.size())
      out << "  ... and " << outcome.error_count - outcome.errors.size() << " more\n";
  }
  out << outcomes.size() << " file" << (outcomes.size() == 1 ? "" : "s") << ": "
      << count_of(outcomes, true) << " accepted, " << count_of(outcomes, false) << " refused\n";
}

void write_ingest_json(std::ostream& out, const std::vector<IngestOutcome>& outcomes) {
  boost::json::array files;
  for (const auto& outcome : outcomes)
    files.push_back(outcome_json(outcome));
  const boost::json::object json{{"files", std::move(files)},
                                 {"accepted", count_of(outcomes, true)},
                                 {"refused", count_of(outcomes, false)}};
  out << boost::json::serialize(json) << '\n';
}

}  // namespace tally::cli
