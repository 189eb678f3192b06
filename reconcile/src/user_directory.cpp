#include <vector>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/user_directory.hpp>

namespace tally::reconcile {
namespace {

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r';
}

// The words of a line split at blanks.
std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i]))
      ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_blank(line[i]))
      ++i;
    if (i > start)
      words.push_back(line.substr(start, i - start));
  }
  return words;
}

}  // namespace

Result<UserDirectory> UserDirectory::parse(std::string_view text) {
  if (text.size() > kMaxUsersFileBytes) {
    return fail(Errc::limit_exceeded,
                str_cat("users file: ", text.size(), " bytes, at most ", kMaxUsersFileBytes));
  }
  UserDirectory directory;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const auto words = words_of(line);
    if (words.empty() || words.front().starts_with('#'))
      continue;
    const auto located = [line_number](std::string message) {
      return fail(Errc::malformed, str_cat("users file: line ", line_number, ": ", message));
    };
    if (words.size() != 2)
      return located("expected 'name role'");
    if (!valid_user_name(words[0]))
      return located(str_cat("'", words[0], "' is not a valid user name"));
    const auto role = role_from_name(words[1]);
    if (!role)
      return located(str_cat("unknown role '", words[1], "' (ops, approver or auditor)"));
    if (directory.roles_.size() == kMaxUsers) {
      return fail(Errc::limit_exceeded,
                  str_cat("users file: line ", line_number, ": more than ", kMaxUsers, " users"));
    }
    if (!directory.roles_.emplace(std::string(words[0]), *role).second)
      return located(str_cat("user '", words[0], "' appears twice"));
  }
  return directory;
}

std::optional<User> UserDirectory::find(std::string_view name) const {
  const auto found = roles_.find(name);
  if (found == roles_.end())
    return std::nullopt;
  return User{found->first, found->second};
}

Result<User> UserDirectory::require(std::string_view name) const {
  auto user = find(name);
  if (!user)
    return fail(Errc::not_found, str_cat("no user '", name, "' in the users file"));
  return std::move(*user);
}

}  // namespace tally::reconcile
