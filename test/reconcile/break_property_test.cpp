// Random action sequences by random users on a few breaks. Whatever is accepted or refused:
// every accepted action has exactly one audit entry and every refused one none; statuses move only
// along the documented edges; no break is resolved by its proposer; the chain verifies; the stored
// states are the replay of the log. And a random edit or deletion of any entry is found at it.
#include <random>

#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/break_store.hpp>

#include "reconcile/break_fixture.hpp"
#include "support/seed.hpp"

namespace tally::reconcile {
namespace {

const std::vector<User> kUsers = {{"olga", Role::ops},
                                  {"oscar", Role::ops},
                                  {"anna", Role::approver},
                                  {"arno", Role::approver},
                                  {"ada", Role::auditor}};

// The status an accepted action leads to, written as the table the design states, independently
// of apply_action's code.
BreakStatus expected_status(BreakStatus before, ActionKind kind) {
  switch (kind) {
    case ActionKind::propose:
      return BreakStatus::proposed;
    case ActionKind::approve:
      return BreakStatus::resolved;
    case ActionKind::reject:
    case ActionKind::reopen:
      return BreakStatus::open;
    case ActionKind::assign:
    case ActionKind::comment:
      return before;
  }
  return before;
}

bool allowed_from(BreakStatus status, ActionKind kind) {
  switch (kind) {
    case ActionKind::assign:
    case ActionKind::comment:
      return status != BreakStatus::resolved;
    case ActionKind::propose:
      return status == BreakStatus::open;
    case ActionKind::approve:
    case ActionKind::reject:
      return status == BreakStatus::proposed;
    case ActionKind::reopen:
      return status == BreakStatus::resolved;
  }
  return false;
}

Action random_action(std::mt19937_64& random) {
  const auto pick = [&random](std::uint64_t n) { return random() % n; };
  const std::string text = pick(8) == 0 ? "" : str_cat("note ", pick(1'000));
  switch (pick(6)) {
    case 0:
      return Action::assign(kUsers[pick(kUsers.size())]);
    case 1:
      return Action::comment(text);
    case 2: {
      Proposal proposal;
      proposal.kind = static_cast<Resolution>(pick(3));
      proposal.reason = text;
      if (proposal.kind == Resolution::adjust)
        proposal.adjust_minor = static_cast<std::int64_t>(pick(2'001)) - 1'000;
      if (proposal.kind == Resolution::match) {
        for (std::uint64_t i = pick(3); i > 0; --i)
          proposal.records.push_back(str_cat("file:", pick(50)));
      }
      return Action::propose(std::move(proposal));
    }
    case 3:
      return Action::approve();
    case 4:
      return Action::reject(text);
    default:
      return Action::reopen(text);
  }
}

class BreakPropertyTest : public test::BreakStoreFixture {};

TEST_F(BreakPropertyTest, RandomActionSequencesKeepTheInvariants) {
  const std::uint64_t seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  std::mt19937_64 random(seed);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i)
    ids.push_back(add_break());

  std::uint64_t accepted = 0;
  std::uint64_t resolved_seen = 0;
  const std::uint64_t steps = tally::test::property_iterations(200);
  for (std::uint64_t step = 0; step < steps; ++step) {
    const std::int64_t id = ids[random() % ids.size()];
    const User& actor = kUsers[random() % kUsers.size()];
    const Action action = random_action(random);
    clock_.advance(std::chrono::milliseconds{random() % 5'000});
    const BreakView before = store().get(id).value();
    const auto result = store().act(id, action, actor);
    const BreakView after = store().get(id).value();
    SCOPED_TRACE(
        str_cat("step ", step, ": ", actor.name, " ", action_name(action.kind), " on ", id));
    if (result) {
      ++accepted;
      EXPECT_TRUE(allowed_from(before.state.status, action.kind));
      EXPECT_EQ(after.state.status, expected_status(before.state.status, action.kind));
      EXPECT_EQ(after.state, *result);
      EXPECT_EQ(after.state.action_count, before.state.action_count + 1);
    } else {
      EXPECT_EQ(result.error().code, Errc::invalid_argument) << result.error().message;
      EXPECT_EQ(after, before);
    }
    if (after.state.status == BreakStatus::resolved) {
      ++resolved_seen;
      ASSERT_TRUE(after.state.proposal);
      EXPECT_NE(after.state.approved_by, after.state.proposal->proposer);
      EXPECT_NE(after.state.approved_by, "");
    }
    EXPECT_EQ(store().audit_log().head().value().seq, accepted);
    if (step % 50 == 49 || step + 1 == steps) {
      const auto verdict = store().audit_log().verify().value();
      ASSERT_TRUE(verdict.intact()) << verdict.reason;
      EXPECT_EQ(verdict.entries, accepted);
      const auto replay = store().check_replay().value();
      ASSERT_TRUE(replay.consistent()) << replay.reason;
    }
  }
  // A sequence so unlucky that nothing got through would prove little.
  EXPECT_GT(accepted, steps / 10);
  RecordProperty("resolved_seen", static_cast<int>(resolved_seen));
}

TEST_F(BreakPropertyTest, AnyEditOrDeletionOfAnEntryIsFoundAtIt) {
  const std::uint64_t seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  std::mt19937_64 random(seed);
  const auto id = add_break();
  constexpr std::uint64_t kEntries = 12;
  for (std::uint64_t i = 0; i < kEntries; ++i)
    ASSERT_TRUE(store().act(id, Action::comment(str_cat("c", i)), kUsers[i % 2]));
  tamper("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");

  const std::vector<std::string> edits = {
      "payload = '{\"text\":\"x\"}'", "user_name = 'mallory'", "at = '1970-01-01T00:00:00.000Z'",
      "break_id = break_id + 1",      "role = 'approver'",     "action = 'approve'",
      "prev_hash = zeroblob(32)",     "hash = zeroblob(32)",   "DELETE"};
  for (std::uint64_t round = 0; round < tally::test::property_iterations(30); ++round) {
    const std::uint64_t seq = 1 + random() % kEntries;
    const std::string& edit = edits[random() % edits.size()];
    SCOPED_TRACE(str_cat("entry ", seq, ": ", edit));
    tamper("SAVEPOINT edit");
    tamper(edit == "DELETE" ? str_cat("DELETE FROM audit_log WHERE seq = ", seq)
                            : str_cat("UPDATE audit_log SET ", edit, " WHERE seq = ", seq));
    const auto verdict = store().audit_log().verify().value();
    // Zeroing entry 1's prev_hash changes nothing: it is zero already.
    if (!(seq == 1 && edit == "prev_hash = zeroblob(32)")) {
      EXPECT_EQ(verdict.first_bad, seq) << verdict.reason;
    }
    tamper("ROLLBACK TO edit; RELEASE edit");
  }
  EXPECT_TRUE(store().audit_log().verify().value().intact());
}

}  // namespace
}  // namespace tally::reconcile
