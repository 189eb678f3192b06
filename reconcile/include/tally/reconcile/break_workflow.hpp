#pragma once
// The breaks workflow as a pure state machine: a break's state, the actions users take on it, and
// the rules that decide whether an action is allowed. No I/O: the store (break_store.hpp) reads
// the state, calls apply_action and writes the new state with its audit entry in one db_txn.
//
//   open --propose--> proposed --approve--> resolved --reopen--> open
//                     proposed --reject---> open
//   assign and comment: in open and proposed; a resolved break only takes reopen.
//
// Roles: ops may assign, comment and propose; an approver may do all that and approve or reject a
// proposal that another user made (four-eyes); an auditor only reads. Every refusal names the rule.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tally::reconcile {

// Bounds on what users type, so a break's state and its audit entries stay small.
inline constexpr std::size_t kMaxUserNameBytes = 64;
inline constexpr std::size_t kMaxTextBytes = 4'096;  // a comment or a reason
inline constexpr std::size_t kMaxMatchRecords = 1'000;
inline constexpr std::size_t kMaxRecordRefBytes = 200;

enum class Role : std::uint8_t { ops, approver, auditor };
enum class BreakStatus : std::uint8_t { open, proposed, resolved };
enum class ActionKind : std::uint8_t { assign, comment, propose, approve, reject, reopen };
enum class Resolution : std::uint8_t { match, write_off, adjust };

// Stable names, as stored in the database and the audit log ("ops", "proposed", "write_off"...).
std::string_view role_name(Role role) noexcept;
std::string_view status_name(BreakStatus status) noexcept;
std::string_view action_name(ActionKind kind) noexcept;
std::string_view resolution_name(Resolution resolution) noexcept;
std::optional<Role> role_from_name(std::string_view name) noexcept;
std::optional<BreakStatus> status_from_name(std::string_view name) noexcept;
std::optional<ActionKind> action_from_name(std::string_view name) noexcept;
std::optional<Resolution> resolution_from_name(std::string_view name) noexcept;

// A user as authenticated elsewhere: a name and one role.
struct User {
  std::string name;
  Role role = Role::ops;

  bool operator==(const User&) const = default;
};

// A proposed (and, once approved, the applied) resolution of a break.
struct Proposal {
  Resolution kind = Resolution::write_off;
  std::string reason;                // required for write_off; a note otherwise
  std::int64_t adjust_minor = 0;     // adjust: signed, in the break's currency, not zero
  std::vector<std::string> records;  // match: references of the records matched by hand
  std::string proposer;              // set by apply_action from the acting user

  bool operator==(const Proposal&) const = default;
};

struct BreakState {
  BreakStatus status = BreakStatus::open;
  std::string owner;                 // empty: not assigned
  std::optional<Proposal> proposal;  // pending when proposed; the resolution when resolved
  std::string approved_by;           // resolved only
  std::uint32_t reopen_count = 0;
  std::uint64_t action_count = 0;  // actions applied so far

  bool operator==(const BreakState&) const = default;
};

struct Action {
  ActionKind kind = ActionKind::comment;
  User assignee;      // assign
  std::string text;   // comment: the comment; reject, reopen: the reason
  Proposal proposal;  // propose (its proposer is ignored)

  static Action assign(User to);
  static Action comment(std::string text);
  static Action propose(Proposal proposal);
  static Action approve();
  static Action reject(std::string reason);
  static Action reopen(std::string reason);

  bool operator==(const Action&) const = default;
};

// The rule that refused an action; the numbers are stable.
enum class BreakRule : std::uint8_t {
  status = 1,     // the action is not allowed in the break's status
  role = 2,       // the user's role may not take this action
  four_eyes = 3,  // the proposer may not decide on their own proposal
  assignee = 4,   // a break goes only to an ops user or an approver
  input = 5,      // a required reason, amount or record is missing or malformed
  limit = 6,      // a text or list is longer than its bound
};
std::string_view rule_name(BreakRule rule) noexcept;

struct Refusal {
  BreakRule rule;
  std::string message;  // "four-eyes: alice proposed this resolution and may not approve it"

  bool operator==(const Refusal&) const = default;
};

// The state after `actor` takes `action`, or the rule that refuses it. Pure and deterministic.
std::expected<BreakState, Refusal> apply_action(const BreakState& state,
                                                const Action& action,
                                                const User& actor);

// Whether a name is a valid user name: 1..kMaxUserNameBytes of [A-Za-z0-9._@-].
bool valid_user_name(std::string_view name) noexcept;

}  // namespace tally::reconcile
