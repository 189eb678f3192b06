#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <tally/core/amount.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/break_store.hpp>
#include <tally/reconcile/user_directory.hpp>

#include "arguments.hpp"
#include "breaks_report.hpp"
#include "commands.hpp"

namespace tally::cli {
namespace {

using reconcile::Action;
using reconcile::BreakStore;

constexpr std::string_view kUsage =
    "usage: tally breaks SUBCOMMAND [ARGS] [--db FILE]\n"
    "  list [--status open|proposed|resolved] [--as-of YYYY-MM-DD] [--format table|json]\n"
    "  show ID                                    the break and its audit entries\n"
    "  assign ID --to USER --by USER\n"
    "  comment ID --text TEXT --by USER\n"
    "  propose ID --by USER --write-off REASON\n"
    "  propose ID --by USER --adjust AMOUNT [--reason TEXT]   (AMOUNT in the break's currency)\n"
    "  propose ID --by USER --match [--reason TEXT] RECORD...\n"
    "  approve ID --by USER                       by an approver other than the proposer\n"
    "  reject ID --reason TEXT --by USER          likewise\n"
    "  reopen ID --reason TEXT --by USER          a resolved break\n"
    "  audit verify [--head SEQ:HASH]             check the audit log's hash chain, its anchor,\n"
    "                                             a head you kept, and the states' replay\n"
    "  --db     the store holding the reconciliation's breaks (default tally-records.db)\n"
    "  --users  who may act, one 'name role' a line; roles ops, approver, auditor\n"
    "           (default tally-users.txt)\n"
    "exit: 0 done; 1 refused by a workflow rule, or the audit log is not intact; 2 could not run\n";

struct Usage {
  std::string message;
};

const std::map<std::string, ArgumentSpec, std::less<>>& subcommand_specs() {
  static const std::map<std::string, ArgumentSpec, std::less<>> specs = {
      {"list", {.options = {"db", "status", "as-of", "format"}, .flags = {}}},
      {"show", {.options = {"db"}, .flags = {}}},
      {"assign", {.options = {"db", "users", "by", "to"}, .flags = {}}},
      {"comment", {.options = {"db", "users", "by", "text"}, .flags = {}}},
      {"propose",
       {.options = {"db", "users", "by", "write-off", "adjust", "reason"}, .flags = {"match"}}},
      {"approve", {.options = {"db", "users", "by"}, .flags = {}}},
      {"reject", {.options = {"db", "users", "by", "reason"}, .flags = {}}},
      {"reopen", {.options = {"db", "users", "by", "reason"}, .flags = {}}},
      {"audit", {.options = {"db", "head"}, .flags = {}}},
  };
  return specs;
}

Result<std::int64_t> parse_break_id(std::string_view text) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc{} || end != text.data() + text.size() || id < 0)
    return fail(Errc::invalid_argument, str_cat("'", text, "' is not a break id"));
  return id;
}

Result<std::string> read_small_file(const std::string& path, std::size_t limit) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return fail(Errc::not_found, str_cat("cannot read ", path));
  std::string text(limit + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > limit)
    return fail(Errc::limit_exceeded, str_cat(path, ": larger than ", limit, " bytes"));
  return text;
}

Result<reconcile::UserDirectory> load_users(const Arguments& parsed) {
  const std::string path = parsed.option("users", "tally-users.txt");
  TALLY_TRY(const std::string text, read_small_file(path, reconcile::kMaxUsersFileBytes));
  return in_context(reconcile::UserDirectory::parse(text), path);
}

Result<reconcile::AuditHead> parse_head(std::string_view text) {
  const auto colon = text.find(':');
  std::uint64_t seq = 0;
  const std::string_view number = text.substr(0, colon);
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), seq);
  if (colon == std::string_view::npos || error != std::errc{} ||
      end != number.data() + number.size())
    return fail(Errc::invalid_argument, "--head takes SEQ:HASH, as `audit verify` prints it");
  TALLY_TRY(const auto hash, in_context(Hash256::from_hex(text.substr(colon + 1)), "--head"));
  return reconcile::AuditHead{seq, hash};
}

// The action a subcommand asks for. `view` gives the currency an adjustment is written in.
Result<Action> build_action(std::string_view name,
                            const Arguments& parsed,
                            const reconcile::BreakView& view,
                            const reconcile::UserDirectory& users) {
  if (name == "assign") {
    TALLY_TRY(const reconcile::User to, users.require(parsed.option("to")));
    return Action::assign(to);
  }
  if (name == "comment")
    return Action::comment(parsed.option("text"));
  if (name == "approve")
    return Action::approve();
  if (name == "reject")
    return Action::reject(parsed.option("reason"));
  if (name == "reopen")
    return Action::reopen(parsed.option("reason"));
  reconcile::Proposal proposal;
  proposal.reason = parsed.option("reason");
  if (parsed.has("write-off")) {
    proposal.kind = reconcile::Resolution::write_off;
    proposal.reason = parsed.option("write-off");
  } else if (parsed.has("adjust")) {
    proposal.kind = reconcile::Resolution::adjust;
    TALLY_TRY(const Currency currency, in_context(Currency::from_code(view.currency),
                                                  str_cat("break ", view.break_id, " currency")));
    TALLY_TRY(const Amount amount,
              in_context(Amount::parse(parsed.option("adjust"), currency), "--adjust"));
    proposal.adjust_minor = amount.minor_units();
  } else {
    proposal.kind = reconcile::Resolution::match;
    const auto& positional = parsed.positional();
    proposal.records.assign(positional.begin() + 1, positional.end());
  }
  return Action::propose(std::move(proposal));
}

// What is missing from an action's command line, if anything.
std::optional<std::string> missing_for(std::string_view name, const Arguments& parsed) {
  const std::size_t positional = parsed.positional().size();
  if (positional == 0)
    return "needs a break ID";
  if (!parsed.has("by"))
    return "needs --by USER";
  if (name == "assign" && !parsed.has("to"))
    return "needs --to USER";
  if (name == "comment" && !parsed.has("text"))
    return "needs --text TEXT";
  if ((name == "reject" || name == "reopen") && !parsed.has("reason"))
    return "needs --reason TEXT";
  if (name == "propose") {
    const int kinds =
        int{parsed.has("write-off")} + int{parsed.has("adjust")} + int{parsed.flag("match")};
    if (kinds != 1)
      return "needs exactly one of --write-off, --adjust, --match";
    if (parsed.flag("match") && positional < 2)
      return "--match needs at least one RECORD after the ID";
    if (parsed.has("write-off") && parsed.has("reason"))
      return "--write-off takes its reason itself";
    return std::nullopt;
  }
  if (positional != 1)
    return "takes one break ID";
  return std::nullopt;
}

int report_failure(std::ostream& err, const Error& error) {
  err << "tally breaks: " << error.message << '\n';
  // A rule's refusal is the input's fault, not the tool's.
  return error.code == Errc::invalid_argument ? kExitRefused : kExitFailed;
}

int run_action(std::string_view name,
               const Arguments& parsed,
               BreakStore& store,
               std::ostream& out,
               std::ostream& err) {
  auto id = parse_break_id(parsed.positional().front());
  if (!id) {
    err << "tally breaks " << name << ": " << id.error().message << '\n';
    return kExitFailed;
  }
  auto users = load_users(parsed);
  if (!users)
    return report_failure(err, Error{Errc::io_error, users.error().message});
  auto actor = users->require(parsed.option("by"));
  if (!actor)
    return report_failure(err, Error{Errc::not_found, actor.error().message});
  auto view = store.get(*id);
  if (!view)
    return report_failure(err, Error{Errc::not_found, view.error().message});
  auto action = build_action(name, parsed, *view, *users);
  if (!action)
    return report_failure(err, Error{Errc::not_found, action.error().message});
  const auto state = store.act(*id, *action, *actor);
  if (!state)
    return report_failure(err, state.error());
  const auto head = store.audit_log().head();
  out << "break " << *id << ": " << reconcile::action_name(action->kind) << " by " << actor->name
      << "; now " << reconcile::status_name(state->status);
  if (!state->owner.empty())
    out << ", owner " << state->owner;
  if (head)
    out << "; audit entry " << head->seq;
  out << '\n';
  return kExitOk;
}

int run_list(const Arguments& parsed, BreakStore& store, std::ostream& out, std::ostream& err) {
  reconcile::BreakFilter filter;
  if (parsed.has("status")) {
    filter.status = reconcile::status_from_name(parsed.option("status"));
    if (!filter.status) {
      err << "tally breaks list: --status is open, proposed or resolved\n";
      return kExitFailed;
    }
  }
  if (parsed.has("as-of")) {
    auto as_of = reconcile::parse_business_date(parsed.option("as-of"));
    if (!as_of) {
      err << "tally breaks list: --as-of: " << as_of.error().message << '\n';
      return kExitFailed;
    }
    filter.as_of = *as_of;
  }
  const std::string format = parsed.option("format", "table");
  if (format != "table" && format != "json") {
    err << "tally breaks list: --format is table or json\n";
    return kExitFailed;
  }
  const auto breaks = store.list(filter);
  if (!breaks)
    return report_failure(err, Error{Errc::corrupted, breaks.error().message});
  if (format == "json")
    write_breaks_json(out, *breaks, filter.as_of);
  else
    write_breaks_table(out, *breaks);
  return kExitOk;
}

int run_show(const Arguments& parsed, BreakStore& store, std::ostream& out, std::ostream& err) {
  if (parsed.positional().size() != 1) {
    err << "tally breaks show: takes one break ID\n";
    return kExitFailed;
  }
  auto id = parse_break_id(parsed.positional().front());
  if (!id) {
    err << "tally breaks show: " << id.error().message << '\n';
    return kExitFailed;
  }
  const auto view = store.get(*id);
  if (!view)
    return report_failure(err, Error{Errc::not_found, view.error().message});
  const auto entries = store.audit_log().entries_of(*id);
  if (!entries)
    return report_failure(err, Error{Errc::corrupted, entries.error().message});
  write_break_history(out, *view, *entries);
  return kExitOk;
}

int run_audit_verify(const Arguments& parsed,
                     BreakStore& store,
                     std::ostream& out,
                     std::ostream& err) {
  std::optional<reconcile::AuditHead> trusted;
  if (parsed.has("head")) {
    auto head = parse_head(parsed.option("head"));
    if (!head) {
      err << "tally breaks audit verify: " << head.error().message << '\n';
      return kExitFailed;
    }
    trusted = *head;
  }
  const auto verdict = store.audit_log().verify(trusted);
  if (!verdict)
    return report_failure(err, Error{Errc::corrupted, verdict.error().message});
  if (!verdict->intact()) {
    out << "audit log NOT intact: first bad entry " << *verdict->first_bad << ": "
        << verdict->reason << '\n';
    return kExitRefused;
  }
  out << "audit log intact: " << verdict->entries << " entries, head " << verdict->head.seq << ':'
      << verdict->head.hash.hex(false) << '\n';
  const auto replay = store.check_replay();
  if (!replay)
    return report_failure(err, Error{Errc::corrupted, replay.error().message});
  if (!replay->consistent()) {
    out << "break states NOT consistent with the log: break " << *replay->first_bad_break << ": "
        << replay->reason << '\n';
    return kExitRefused;
  }
  out << "break states agree with the replay of the log\n";
  return kExitOk;
}

}  // namespace

int run_breaks(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  const SystemClock clock;
  return run_breaks(args, out, err, clock);
}

int run_breaks(std::span<const std::string_view> args,
               std::ostream& out,
               std::ostream& err,
               const Clock& clock) {
  if (!args.empty() && (args.front() == "--help" || args.front() == "help")) {
    out << kUsage;
    return kExitOk;
  }
  const auto& specs = subcommand_specs();
  const auto spec = args.empty() ? specs.end() : specs.find(args.front());
  if (spec == specs.end()) {
    err << "tally breaks: " << (args.empty() ? "needs a subcommand" : "unknown subcommand '")
        << (args.empty() ? "" : std::string(args.front()) + "'") << '\n'
        << kUsage;
    return kExitFailed;
  }
  const std::string_view name = spec->first;
  const auto parsed = Arguments::parse(args.subspan(1), spec->second);
  std::optional<std::string> problem;
  if (!parsed)
    problem = parsed.error().message;
  else if (name == "audit" && parsed->positional() != std::vector<std::string>{"verify"})
    problem = "the audit subcommand is `audit verify`";
  else if (name != "list" && name != "show" && name != "audit")
    problem = missing_for(name, *parsed);
  if (problem) {
    err << "tally breaks " << name << ": " << *problem << '\n' << kUsage;
    return kExitFailed;
  }

  auto store =
      BreakStore::open(std::filesystem::path(parsed->option("db", "tally-records.db")), clock);
  if (!store) {
    err << "tally breaks: " << store.error().message << '\n';
    return kExitFailed;
  }
  if (name == "list")
    return run_list(*parsed, *store, out, err);
  if (name == "show")
    return run_show(*parsed, *store, out, err);
  if (name == "audit")
    return run_audit_verify(*parsed, *store, out, err);
  return run_action(name, *parsed, *store, out, err);
}

}  // namespace tally::cli
