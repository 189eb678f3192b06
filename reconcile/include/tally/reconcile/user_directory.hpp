#pragma once
// Who may act on breaks, and in which role, until authentication arrives with the web API: a
// plain text file, one user a line, "name role" separated by spaces or tabs, '#' starting a
// comment line:
//
//   # ops team
//   olga     ops
//   anna     approver
//   ada      auditor
//
// Names follow valid_user_name (break_workflow.hpp); roles are ops, approver, auditor; a name
// appears once. Errors name the line.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <tally/core/error.hpp>
#include <tally/reconcile/break_workflow.hpp>

namespace tally::reconcile {

inline constexpr std::size_t kMaxUsersFileBytes = 1024 * 1024;
inline constexpr std::size_t kMaxUsers = 10'000;

class UserDirectory {
 public:
  static Result<UserDirectory> parse(std::string_view text);

  std::optional<User> find(std::string_view name) const;
  // Errc::not_found naming the user when they are not in the directory.
  Result<User> require(std::string_view name) const;
  std::size_t size() const noexcept { return roles_.size(); }

 private:
  std::map<std::string, Role, std::less<>> roles_;
};

}  // namespace tally::reconcile
