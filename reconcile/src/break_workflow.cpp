#include <array>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/break_workflow.hpp>

namespace tally::reconcile {
namespace {

constexpr std::array<std::string_view, 3> kRoleNames = {"ops", "approver", "auditor"};
constexpr std::array<std::string_view, 3> kStatusNames = {"open", "proposed", "resolved"};
constexpr std::array<std::string_view, 6> kActionNames = {"assign",  "comment", "propose",
                                                          "approve", "reject",  "reopen"};
constexpr std::array<std::string_view, 3> kResolutionNames = {"match", "write_off", "adjust"};

template <typename Enum, std::size_t N>
std::optional<Enum> from_name(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name)
      return static_cast<Enum>(i);
  }
  return std::nullopt;
}

using Outcome = std::expected<BreakState, Refusal>;

// Every refusal's message starts with its rule's name.
Refusal refusal(BreakRule rule, std::string_view message) {
  return Refusal{rule, str_cat(rule_name(rule), ": ", message)};
}

std::unexpected<Refusal> refuse(BreakRule rule, std::string_view message) {
  return std::unexpected(refusal(rule, message));
}

// Structure only (lead and continuation bytes, no overlongs or surrogates): the audit log's JSON
// must be valid UTF-8.
bool valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned min_second = 0x80;
    unsigned max_second = 0xBF;
    if (lead < 0x80) {
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      min_second = lead == 0xE0 ? 0xA0 : 0x80;
      max_second = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      min_second = lead == 0xF0 ? 0x90 : 0x80;
      max_second = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    if (text.size() - i < length)
      return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      const unsigned low = k == 1 ? min_second : 0x80;
      const unsigned high = k == 1 ? max_second : 0xBF;
      if (byte < low || byte > high)
        return false;
    }
    i += length;
  }
  return true;
}

std::optional<Refusal> check_text(std::string_view what, std::string_view text, bool required) {
  if (required && text.empty())
    return refusal(BreakRule::input, str_cat(what, " is required"));
  if (text.size() > kMaxTextBytes) {
    return refusal(BreakRule::limit,
                   str_cat(what, " has ", text.size(), " bytes, at most ", kMaxTextBytes));
  }
  if (!valid_utf8(text))
    return refusal(BreakRule::input, str_cat(what, " is not UTF-8"));
  return std::nullopt;
}

std::optional<Refusal> check_proposal(const Proposal& proposal) {
  const bool reason_required = proposal.kind == Resolution::write_off;
  if (auto problem = check_text("the reason", proposal.reason, reason_required))
    return problem;
  const auto input = [](std::string_view message) { return refusal(BreakRule::input, message); };
  if (proposal.kind == Resolution::adjust && proposal.adjust_minor == 0)
    return input("an adjustment needs an amount other than zero");
  if (proposal.kind != Resolution::adjust && proposal.adjust_minor != 0)
    return input("only an adjustment carries an amount");
  if (proposal.kind != Resolution::match && !proposal.records.empty())
    return input("only a manual match names records");
  if (proposal.kind == Resolution::match && proposal.records.empty())
    return input("a manual match names at least one record");
  if (proposal.records.size() > kMaxMatchRecords) {
    return refusal(BreakRule::limit, str_cat("a manual match names ", proposal.records.size(),
                                             " records, at most ", kMaxMatchRecords));
  }
  for (std::size_t i = 0; i < proposal.records.size(); ++i) {
    const std::string& record = proposal.records[i];
    if (record.empty() || record.size() > kMaxRecordRefBytes || !valid_utf8(record))
      return input(str_cat("record reference ", i, " is empty, too long or not UTF-8"));
    for (std::size_t k = 0; k < i; ++k) {
      if (proposal.records[k] == record)
        return input(str_cat("record reference '", record, "' is named twice"));
    }
  }
  return std::nullopt;
}

bool may_work(Role role) noexcept {
  return role == Role::ops || role == Role::approver;
}

// The status and role rules every action shares.
std::optional<Refusal> check_permitted(const BreakState& state,
                                       ActionKind kind,
                                       const User& actor) {
  const bool allowed_in_status = [&] {
    switch (kind) {
      case ActionKind::assign:
      case ActionKind::comment:
        return state.status != BreakStatus::resolved;
      case ActionKind::propose:
        return state.status == BreakStatus::open;
      case ActionKind::approve:
      case ActionKind::reject:
        return state.status == BreakStatus::proposed;
      case ActionKind::reopen:
        return state.status == BreakStatus::resolved;
    }
    return false;
  }();
  if (!allowed_in_status) {
    return refusal(BreakRule::status, str_cat(action_name(kind), " is not allowed on a",
                                              state.status == BreakStatus::open ? "n " : " ",
                                              status_name(state.status), " break"));
  }
  const bool deciding = kind == ActionKind::approve || kind == ActionKind::reject;
  const bool allowed_for_role = deciding ? actor.role == Role::approver : may_work(actor.role);
  if (!allowed_for_role) {
    return refusal(BreakRule::role,
                   str_cat(actor.name, " (", role_name(actor.role), ") may not ", action_name(kind),
                           deciding ? "; only an approver may" : ""));
  }
  if (deciding && state.proposal && state.proposal->proposer == actor.name) {
    return refusal(BreakRule::four_eyes,
                   str_cat(actor.name, " proposed this resolution and may not ", action_name(kind),
                           " it; a second user decides"));
  }
  return std::nullopt;
}

}  // namespace

std::string_view role_name(Role role) noexcept {
  return kRoleNames[static_cast<std::size_t>(role)];
}
std::string_view status_name(BreakStatus status) noexcept {
  return kStatusNames[static_cast<std::size_t>(status)];
}
std::string_view action_name(ActionKind kind) noexcept {
  return kActionNames[static_cast<std::size_t>(kind)];
}
std::string_view resolution_name(Resolution resolution) noexcept {
  return kResolutionNames[static_cast<std::size_t>(resolution)];
}
std::optional<Role> role_from_name(std::string_view name) noexcept {
  return from_name<Role>(kRoleNames, name);
}
std::optional<BreakStatus> status_from_name(std::string_view name) noexcept {
  return from_name<BreakStatus>(kStatusNames, name);
}
std::optional<ActionKind> action_from_name(std::string_view name) noexcept {
  return from_name<ActionKind>(kActionNames, name);
}
std::optional<Resolution> resolution_from_name(std::string_view name) noexcept {
  return from_name<Resolution>(kResolutionNames, name);
}

std::string_view rule_name(BreakRule rule) noexcept {
  switch (rule) {
    case BreakRule::status:
      return "status";
    case BreakRule::role:
      return "role";
    case BreakRule::four_eyes:
      return "four-eyes";
    case BreakRule::assignee:
      return "assignee";
    case BreakRule::input:
      return "input";
    case BreakRule::limit:
      return "limit";
  }
  return "unknown";
}

Action Action::assign(User to) {
  Action action;
  action.kind = ActionKind::assign;
  action.assignee = std::move(to);
  return action;
}
Action Action::comment(std::string text) {
  Action action;
  action.kind = ActionKind::comment;
  action.text = std::move(text);
  return action;
}
Action Action::propose(Proposal proposal) {
  Action action;
  action.kind = ActionKind::propose;
  action.proposal = std::move(proposal);
  action.proposal.proposer.clear();
  return action;
}
Action Action::approve() {
  Action action;
  action.kind = ActionKind::approve;
  return action;
}
Action Action::reject(std::string reason) {
  Action action;
  action.kind = ActionKind::reject;
  action.text = std::move(reason);
  return action;
}
Action Action::reopen(std::string reason) {
  Action action;
  action.kind = ActionKind::reopen;
  action.text = std::move(reason);
  return action;
}

bool valid_user_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > kMaxUserNameBytes)
    return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

Outcome apply_action(const BreakState& state, const Action& action, const User& actor) {
  if (!valid_user_name(actor.name))
    return refuse(BreakRule::input, "the acting user's name is not a valid user name");
  if (auto problem = check_permitted(state, action.kind, actor))
    return std::unexpected(std::move(*problem));

  BreakState next = state;
  ++next.action_count;
  switch (action.kind) {
    case ActionKind::assign:
      if (!valid_user_name(action.assignee.name))
        return refuse(BreakRule::input, "the assignee's name is not a valid user name");
      if (!may_work(action.assignee.role)) {
        return refuse(BreakRule::assignee,
                      str_cat(action.assignee.name, " (", role_name(action.assignee.role),
                              ") cannot own a break; only ops or an approver"));
      }
      next.owner = action.assignee.name;
      return next;
    case ActionKind::comment:
      if (auto problem = check_text("the comment", action.text, true))
        return std::unexpected(std::move(*problem));
      return next;
    case ActionKind::propose:
      if (auto problem = check_proposal(action.proposal))
        return std::unexpected(std::move(*problem));
      next.status = BreakStatus::proposed;
      next.proposal = action.proposal;
      next.proposal->proposer = actor.name;
      return next;
    case ActionKind::approve:
      next.status = BreakStatus::resolved;
      next.approved_by = actor.name;
      return next;
    case ActionKind::reject:
    case ActionKind::reopen:
      if (auto problem = check_text("the reason", action.text, true))
        return std::unexpected(std::move(*problem));
      if (action.kind == ActionKind::reopen)
        ++next.reopen_count;
      next.status = BreakStatus::open;
      next.proposal.reset();
      next.approved_by.clear();
      return next;
  }
  return refuse(BreakRule::input, "unknown action");
}

}  // namespace tally::reconcile
