// The users file: one "name role" a line, errors located by line, bounds crossed.
#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/user_directory.hpp>

namespace tally::reconcile {
namespace {

TEST(UserDirectory, ReadsNamesAndRolesSkippingCommentsAndBlankLines) {
  const auto directory = UserDirectory::parse(
      "# ops team\n"
      "olga ops\n"
      "\n"
      "  anna\tapprover  \r\n"
      "ada auditor");
  ASSERT_TRUE(directory) << directory.error().message;
  EXPECT_EQ(directory->size(), 3u);
  EXPECT_EQ(directory->find("anna"), (User{"anna", Role::approver}));
  EXPECT_EQ(directory->find("ada"), (User{"ada", Role::auditor}));
  EXPECT_FALSE(directory->find("bob"));
  EXPECT_EQ(directory->require("bob").error().message, "no user 'bob' in the users file");
}

TEST(UserDirectory, ErrorsNameTheLine) {
  const auto expect_error = [](std::string_view text, std::string_view message) {
    const auto directory = UserDirectory::parse(text);
    ASSERT_FALSE(directory) << text;
    EXPECT_EQ(directory.error().message, message);
  };
  expect_error("olga ops\nanna\n", "users file: line 2: expected 'name role'");
  expect_error("olga ops extra\n", "users file: line 1: expected 'name role'");
  expect_error("olga root\n", "users file: line 1: unknown role 'root' (ops, approver or auditor)");
  expect_error("ol/ga ops\n", "users file: line 1: 'ol/ga' is not a valid user name");
  expect_error("olga ops\n\nolga approver\n", "users file: line 3: user 'olga' appears twice");
}

TEST(UserDirectory, BoundsAreEnforced) {
  std::string text;
  for (std::size_t i = 0; i < kMaxUsers; ++i)
    text += str_cat("u", i, " ops\n");
  ASSERT_TRUE(UserDirectory::parse(text));
  text += "one-more ops\n";
  EXPECT_EQ(UserDirectory::parse(text).error().code, Errc::limit_exceeded);
  const std::string huge(kMaxUsersFileBytes + 1, '#');
  EXPECT_EQ(UserDirectory::parse(huge).error().code, Errc::limit_exceeded);
  EXPECT_TRUE(UserDirectory::parse(std::string(kMaxUsersFileBytes, '#')));
}

}  // namespace
}  // namespace tally::reconcile
