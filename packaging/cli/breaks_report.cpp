#include "breaks_report.hpp"

#include <ostream>
#include <string>

#include <boost/json.hpp>

#include <tally/core/amount.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::cli {
namespace {

namespace json = boost::json;
using reconcile::BreakView;

// "CNY 12.50", or the minor units as they are when the currency is not one we know.
std::string amount_text(const std::string& code, std::int64_t amount_minor) {
  const auto currency = Currency::from_code(code);
  if (!currency)
    return str_cat(code, " ", amount_minor, " (minor units)");
  return str_cat(code, " ", Amount{amount_minor, *currency}.to_string());
}

std::string proposal_text(const BreakView& view) {
  const reconcile::BreakState& state = view.state;
  if (!state.proposal)
    return "-";
  const reconcile::Proposal& p = *state.proposal;
  std::string text = str_cat(reconcile::resolution_name(p.kind), " by ", p.proposer);
  if (p.kind == reconcile::Resolution::adjust)
    text += str_cat(" (", amount_text(view.currency, p.adjust_minor), ")");
  if (p.kind == reconcile::Resolution::match)
    text += str_cat(" (", p.records.size(), " records)");
  return text;
}

void pad(std::ostream& out, std::string_view text, std::size_t width) {
  out << text;
  for (std::size_t i = text.size(); i < width; ++i)
    out << ' ';
}

json::value proposal_json(const reconcile::BreakState& state) {
  if (!state.proposal)
    return nullptr;
  const reconcile::Proposal& p = *state.proposal;
  json::object object;
  object["kind"] = reconcile::resolution_name(p.kind);
  object["reason"] = p.reason;
  object["proposer"] = p.proposer;
  if (p.kind == reconcile::Resolution::adjust)
    object["amount_minor"] = p.adjust_minor;
  if (p.kind == reconcile::Resolution::match) {
    json::array records;
    for (const std::string& record : p.records)
      records.emplace_back(record);
    object["records"] = std::move(records);
  }
  return object;
}

json::object break_json(const BreakView& view) {
  json::object object;
  object["break_id"] = view.break_id;
  object["run_id"] = view.run_id;
  object["class"] = view.break_class;
  object["business_date"] = view.business_date
                                ? json::value(reconcile::format_business_date(*view.business_date))
                                : json::value(nullptr);
  object["currency"] = view.currency;
  object["amount_minor"] = view.amount_minor;
  object["key"] = view.key;
  object["detail"] = view.detail;
  object["status"] = reconcile::status_name(view.state.status);
  object["owner"] = view.state.owner;
  object["proposal"] = proposal_json(view.state);
  object["approved_by"] = view.state.approved_by;
  object["reopen_count"] = view.state.reopen_count;
  object["age_days"] = view.age_days ? json::value(*view.age_days) : json::value(nullptr);
  object["age_bucket"] = view.age_bucket ? json::value(reconcile::age_bucket_name(*view.age_bucket))
                                         : json::value(nullptr);
  return object;
}

}  // namespace

void write_breaks_table(std::ostream& out, const std::vector<BreakView>& breaks) {
  constexpr std::size_t kWidths[] = {8, 20, 12, 22, 10, 14, 6, 8};
  const std::string_view headers[] = {"id",     "class", "date", "amount",
                                      "status", "owner", "age",  "bucket"};
  for (std::size_t i = 0; i < std::size(headers); ++i)
    pad(out, headers[i], kWidths[i]);
  out << "proposal\n";
  for (const BreakView& view : breaks) {
    const std::string cells[] = {
        str_cat(view.break_id),
        view.break_class,
        view.business_date ? reconcile::format_business_date(*view.business_date) : "-",
        amount_text(view.currency, view.amount_minor),
        std::string(reconcile::status_name(view.state.status)),
        view.state.owner.empty() ? "-" : view.state.owner,
        view.age_days ? str_cat(*view.age_days) : "-",
        view.age_bucket ? std::string(reconcile::age_bucket_name(*view.age_bucket)) : "-"};
    for (std::size_t i = 0; i < std::size(cells); ++i)
      pad(out, cells[i], kWidths[i]);
    out << proposal_text(view) << '\n';
  }
  out << breaks.size() << (breaks.size() == 1 ? " break\n" : " breaks\n");
}

void write_breaks_json(std::ostream& out,
                       const std::vector<BreakView>& breaks,
                       const std::optional<reconcile::BusinessDate>& as_of) {
  json::array list;
  for (const BreakView& view : breaks)
    list.emplace_back(break_json(view));
  json::object document;
  document["as_of"] =
      as_of ? json::value(reconcile::format_business_date(*as_of)) : json::value(nullptr);
  document["breaks"] = std::move(list);
  out << json::serialize(document) << '\n';
}

void write_break_history(std::ostream& out,
                         const BreakView& view,
                         const std::vector<reconcile::AuditEntry>& entries) {
  write_breaks_table(out, {view});
  out << "key: " << view.key << "\ndetail: " << view.detail << '\n';
  out << "history:\n";
  for (const reconcile::AuditEntry& entry : entries) {
    out << "  #" << entry.seq << ' ' << entry.at << ' ' << entry.user << " (" << entry.role << ") "
        << entry.action << ' ' << entry.payload << '\n';
  }
}

}  // namespace tally::cli
