#include <array>
#include <charconv>

#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/match_result.hpp>
#include <tally/reconcile/packed_groups.hpp>

namespace tally::reconcile {
namespace {

constexpr std::array<std::string_view, 8> kBreakClassNames = {
    "missing_left",  "missing_right", "missing_ledger", "amount_mismatch",
    "date_mismatch", "duplicate",     "ambiguous",      "allocation_mismatch"};

void append_number(std::uint64_t value, std::string& out) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

// " side:source:seq" per member, appended in place: the run's hottest text (one per group).
void append_members(std::span<const MemberRef> members, std::string& out) {
  for (const MemberRef& member : members) {
    out += ' ';
    out += side_name(member.side);
    out += ':';
    append_number(member.source, out);
    out += ':';
    append_number(member.seq, out);
  }
}

}  // namespace

std::string_view side_name(Side side) noexcept {
  switch (side) {
    case Side::left:
      return "left";
    case Side::right:
      return "right";
    case Side::ledger:
      return "ledger";
  }
  return "";
}

std::string_view break_class_name(BreakClass break_class) noexcept {
  const auto index = static_cast<std::size_t>(break_class);
  return index < kBreakClassNames.size() ? kBreakClassNames[index] : std::string_view();
}

Result<BreakClass> parse_break_class(std::string_view name) {
  for (std::size_t i = 0; i < kBreakClassNames.size(); ++i) {
    if (kBreakClassNames[i] == name)
      return static_cast<BreakClass>(i);
  }
  return fail(Errc::invalid_argument, str_cat("unknown break class '", name, "'"));
}

std::string canonical_text(const MatchGroup& group) {
  std::string out = "group ";
  out += group.rule;
  out += ' ';
  out += group.kind;
  append_members(group.members, out);
  out += '\n';
  return out;
}

std::string canonical_text(const Break& result_break) {
  std::string date = "-";
  if (result_break.business_date) {
    const auto& d = *result_break.business_date;
    date = str_cat(static_cast<int>(d.year()), "-", static_cast<unsigned>(d.month()), "-",
                   static_cast<unsigned>(d.day()));
  }
  std::string out = str_cat("break ", break_class_name(result_break.break_class), " ", date, " ",
                            result_break.currency, " ", result_break.amount_minor, " [",
                            result_break.key, "] ", result_break.detail, " |");
  append_members(result_break.members, out);
  out += '\n';
  return out;
}

Result<void> MatchSink::on_packed_groups(BytesView packed, std::size_t count) {
  TALLY_TRY(const auto groups, unpack_groups(packed));
  TALLY_ASSERT(groups.size() == count);
  for (const MatchGroup& group : groups)
    TALLY_TRY_VOID(on_group(group));
  return {};
}

Result<void> MatchSink::on_breaks(std::span<const Break> breaks) {
  for (const Break& result_break : breaks)
    TALLY_TRY_VOID(on_break(result_break));
  return {};
}

Result<void> CollectingSink::on_group(const MatchGroup& group) {
  groups.push_back(group);
  return {};
}

Result<void> CollectingSink::on_break(const Break& result_break) {
  breaks.push_back(result_break);
  return {};
}

}  // namespace tally::reconcile
