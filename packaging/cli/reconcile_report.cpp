#include "reconcile_report.hpp"

#include <cstdio>
#include <iomanip>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <tally/core/amount.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::cli {
namespace {

using reconcile::StoredBreak;

std::string date_text(const std::optional<adapters::Date>& date) {
  if (!date)
    return "";
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date->year()),
                static_cast<unsigned>(date->month()), static_cast<unsigned>(date->day()));
  return text;
}

std::string amount_text(const StoredBreak& b) {
  const auto currency = Currency::from_code(b.currency);
  return currency ? Amount(b.amount_minor, *currency).to_string() : str_cat(b.amount_minor);
}

std::string members_text(const StoredBreak& b) {
  std::string out;
  for (const auto& m : b.members) {
    out += str_cat(out.empty() ? "" : " ", reconcile::side_name(m.side), ":",
                   m.source.hex(false).substr(0, 12), "#", m.seq);
  }
  return out;
}

// RFC 4180: quoted when it holds a comma, a quote or a line end; quotes doubled.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    out += c;
    if (c == '"')
      out += '"';
  }
  return out + "\"";
}

void write_table(std::ostream& out,
                 const reconcile::RunInfo& run,
                 const reconcile::MatchStats& stats,
                 const std::vector<StoredBreak>& breaks) {
  out << "run " << run.run_id << "  rules " << run.rules_name << "  dates "
      << (run.from ? date_text(run.from) + " to " + date_text(run.to) : std::string("all")) << '\n';
  out << "records  left " << run.records[0] << "  right " << run.records[1] << "  ledger "
      << run.records[2] << "  (outside the dates: " << stats.out_of_period << ")\n";
  out << "matched  left " << stats.matched[0] << "  right " << stats.matched[1] << "  ledger "
      << stats.matched[2] << "  in " << run.groups << " groups\n";
  out << "breaks   " << run.breaks << "\n";
  out << "digest   " << run.result_digest.hex(false) << '\n';
  if (breaks.empty())
    return;
  out << '\n'
      << std::left << std::setw(8) << "id" << std::setw(21) << "class" << std::setw(12) << "date"
      << std::setw(5) << "ccy" << std::right << std::setw(18) << "amount"
      << "  " << std::left << std::setw(24) << "key"
      << "  detail\n";
  for (const auto& b : breaks) {
    out << std::left << std::setw(8) << b.break_id << std::setw(21)
        << reconcile::break_class_name(b.break_class) << std::setw(12) << date_text(b.business_date)
        << std::setw(5) << b.currency << std::right << std::setw(18) << amount_text(b) << "  "
        << std::left << std::setw(24) << b.key << "  " << b.detail << "  [" << members_text(b)
        << "]\n";
  }
}

void write_csv(std::ostream& out, const std::vector<StoredBreak>& breaks) {
  out << "break_id,class,business_date,currency,amount,key,detail,members\n";
  for (const auto& b : breaks) {
    out << b.break_id << ',' << reconcile::break_class_name(b.break_class) << ','
        << date_text(b.business_date) << ',' << b.currency << ',' << amount_text(b) << ','
        << csv_field(b.key) << ',' << csv_field(b.detail) << ',' << csv_field(members_text(b))
        << '\n';
  }
}

void write_json(std::ostream& out,
                const reconcile::RunInfo& run,
                const reconcile::MatchStats& stats,
                const std::vector<StoredBreak>& breaks) {
  boost::json::object json;
  json["run_id"] = run.run_id;
  json["rules"] = run.rules_name;
  json["rules_sha256"] = run.rules_digest.hex(false);
  json["from"] = date_text(run.from);
  json["to"] = date_text(run.to);
  json["records"] = {
      {"left", run.records[0]}, {"right", run.records[1]}, {"ledger", run.records[2]}};
  json["matched"] = {
      {"left", stats.matched[0]}, {"right", stats.matched[1]}, {"ledger", stats.matched[2]}};
  json["out_of_period"] = stats.out_of_period;
  json["groups"] = run.groups;
  json["result_digest"] = run.result_digest.hex(false);
  boost::json::array list;
  for (const auto& b : breaks) {
    boost::json::array members;
    for (const auto& m : b.members) {
      members.push_back({{"side", reconcile::side_name(m.side)},
                         {"source", m.source.hex(false)},
                         {"seq", m.seq}});
    }
    list.push_back({{"break_id", b.break_id},
                    {"class", reconcile::break_class_name(b.break_class)},
                    {"business_date", date_text(b.business_date)},
                    {"currency", b.currency},
                    {"amount_minor", b.amount_minor},
                    {"amount", amount_text(b)},
                    {"key", b.key},
                    {"detail", b.detail},
                    {"status", b.status},
                    {"members", std::move(members)}});
  }
  json["breaks"] = std::move(list);
  out << boost::json::serialize(json) << '\n';
}

}  // namespace

void write_reconcile_report(std::ostream& out,
                            ReportFormat format,
                            const reconcile::RunInfo& run,
                            const reconcile::MatchStats& stats,
                            const std::vector<StoredBreak>& breaks) {
  switch (format) {
    case ReportFormat::table:
      write_table(out, run, stats, breaks);
      return;
    case ReportFormat::csv:
      write_csv(out, breaks);
      return;
    case ReportFormat::json:
      write_json(out, run, stats, breaks);
      return;
  }
}

}  // namespace tally::cli
