// The breaks store: actions in one db_txn with their audit entries, listing with ageing, and the
// replay check that ties stored states to the audit log.
#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/action_payload.hpp>
#include <tally/reconcile/break_store.hpp>
#include <tally/reconcile/record_store.hpp>
#include <tally/reconcile/run_store.hpp>

#include "reconcile/break_fixture.hpp"

namespace tally::reconcile {
namespace {

const User kOps{"olga", Role::ops};
const User kApprover{"anna", Role::approver};
const User kApprover2{"arno", Role::approver};

Proposal write_off(std::string reason) {
  Proposal proposal;
  proposal.kind = Resolution::write_off;
  proposal.reason = std::move(reason);
  return proposal;
}

class BreakStoreTest : public test::BreakStoreFixture {
 protected:
  std::uint64_t entry_count() {
    auto entries = store().audit_log().entries();
    EXPECT_TRUE(entries);
    return entries ? entries->size() : 0;
  }
};

TEST(BreakStoreOpen, ADatabaseWithoutBreaksIsRefused) {
  tally::test::TempDir dir;
  auto database = sqlite::Database::open(dir / "empty.db");
  ASSERT_TRUE(database);
  const ManualClock clock;
  const auto store = BreakStore::open(std::move(*database), clock);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::not_found);
}

TEST(BreakStoreOpen, AMissingFileIsNotCreated) {
  tally::test::TempDir dir;
  const ManualClock clock;
  const auto store = BreakStore::open(dir / "typo.db", clock);
  ASSERT_FALSE(store);
  EXPECT_FALSE(std::filesystem::exists(dir / "typo.db"));
}

TEST_F(BreakStoreTest, AFreshBreakReadsAsOpen) {
  const auto id = add_break();
  const auto view = store().get(id);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->state, BreakState{});
  EXPECT_EQ(view->break_class, "amount_mismatch");
  EXPECT_EQ(view->currency, "CNY");
  EXPECT_EQ(view->key, "fixture-key");
  EXPECT_EQ(view->amount_minor, 1'250);
  EXPECT_EQ(format_business_date(*view->business_date), "2026-11-20");
}

TEST_F(BreakStoreTest, AnActionUpdatesStateAndStatusAndAppendsItsEntry) {
  const auto id = add_break();
  ASSERT_TRUE(store().act(id, Action::assign(kOps), kApprover));
  clock_.advance(std::chrono::milliseconds{1'500});
  const auto state = store().act(id, Action::propose(write_off("rounding")), kOps);
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->status, BreakStatus::proposed);

  const auto view = store().get(id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->state, *state);
  EXPECT_EQ(view->state.owner, "olga");

  const auto entries = store().audit_log().entries_of(id);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].action, "assign");
  EXPECT_EQ((*entries)[0].user, "anna");
  EXPECT_EQ((*entries)[0].role, "approver");
  EXPECT_EQ((*entries)[0].at, "2026-11-21T09:00:00.000Z");
  EXPECT_EQ((*entries)[1].action, "propose");
  EXPECT_EQ((*entries)[1].at, "2026-11-21T09:00:01.500Z");
  EXPECT_EQ((*entries)[1].payload, R"({"kind":"write_off","reason":"rounding"})");

  auto status = db().prepare("SELECT status FROM breaks WHERE break_id = ?1");
  ASSERT_TRUE(status);
  ASSERT_TRUE(status->bind(1, id));
  ASSERT_EQ(status->step(), true);
  EXPECT_EQ(status->column_text(0), "proposed");
}

TEST_F(BreakStoreTest, TheProposerApprovingIsRefusedAndLeavesNoTrace) {
  const auto id = add_break();
  ASSERT_TRUE(store().act(id, Action::propose(write_off("small")), kApprover));
  const auto before = store().get(id);
  const auto entries_before = entry_count();

  const auto refused = store().act(id, Action::approve(), kApprover);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_EQ(refused.error().message,
            str_cat("break ", id,
                    ": four-eyes: anna proposed this resolution and may not approve it; a second "
                    "user decides"));
  EXPECT_EQ(store().get(id), before);
  EXPECT_EQ(entry_count(), entries_before);

  const auto approved = store().act(id, Action::approve(), kApprover2);
  ASSERT_TRUE(approved);
  EXPECT_EQ(approved->status, BreakStatus::resolved);
}

TEST_F(BreakStoreTest, AnUnknownBreakIsNotFound) {
  const auto refused = store().act(99, Action::comment("x"), kOps);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::not_found);
  EXPECT_EQ(entry_count(), 0u);
}

TEST_F(BreakStoreTest, NoStateChangeWithoutItsEntry) {
  const auto id = add_break();
  tamper(
      "CREATE TRIGGER fail_append BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk "
      "full'); END");
  const auto failed = store().act(id, Action::assign(kOps), kOps);
  ASSERT_FALSE(failed);
  const auto view = store().get(id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->state, BreakState{});
}

TEST_F(BreakStoreTest, NoEntryWithoutItsStateChange) {
  const auto id = add_break();
  tamper(
      "CREATE TRIGGER fail_status BEFORE UPDATE ON breaks BEGIN SELECT RAISE(ABORT, 'disk "
      "full'); END");
  ASSERT_FALSE(store().act(id, Action::propose(write_off("w")), kOps));
  EXPECT_EQ(entry_count(), 0u);
  const auto head = store().audit_log().head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->seq, 0u);
}

TEST_F(BreakStoreTest, StateSurvivesReopeningTheStore) {
  const auto id = add_break();
  ASSERT_TRUE(store().act(id, Action::assign(kApprover), kOps));
  ASSERT_TRUE(store().act(id, Action::propose(write_off("w")), kOps));
  const auto before = store().get(id);
  store_.reset();
  auto reopened = BreakStore::open(dir_ / "breaks.db", clock_);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(reopened->get(id), before);
}

TEST_F(BreakStoreTest, TheRecordsStoreStillOpensBesideTheWorkflowTables) {
  ASSERT_TRUE(store().act(add_break(), Action::comment("c"), kOps));
  store_.reset();
  auto records = RecordStore::open(dir_ / "breaks.db");
  ASSERT_TRUE(records) << records.error().message;
  EXPECT_TRUE(prepare_run_schema(records->database()));
  EXPECT_TRUE(BreakStore::open(std::move(records->database()), clock_));
}

TEST_F(BreakStoreTest, ListFiltersByStatusAndAgesByTheAsOfDate) {
  const auto today = add_break("2026-11-21");
  const auto week = add_break("2026-11-14");     // 7 days: 2-7
  const auto eight = add_break("2026-11-13");    // 8 days: 8-30
  const auto month = add_break("2026-10-22");    // 30 days: 8-30
  const auto old = add_break("2026-10-21");      // 31 days: >30
  const auto undated = add_break(std::nullopt);  // no age
  const auto future = add_break("2026-11-22");   // after the as-of date: no age
  ASSERT_TRUE(store().act(week, Action::propose(write_off("w")), kOps));

  BreakFilter filter;
  filter.as_of = parse_business_date("2026-11-21").value();
  const auto all = store().list(filter);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 7u);
  const auto bucket_of = [&](std::int64_t id) -> std::string {
    for (const BreakView& view : *all) {
      if (view.break_id == id)
        return view.age_bucket ? std::string(age_bucket_name(*view.age_bucket)) : "none";
    }
    return "missing";
  };
  EXPECT_EQ(bucket_of(today), "0-1");
  EXPECT_EQ(bucket_of(week), "2-7");
  EXPECT_EQ(bucket_of(eight), "8-30");
  EXPECT_EQ(bucket_of(month), "8-30");
  EXPECT_EQ(bucket_of(old), ">30");
  EXPECT_EQ(bucket_of(undated), "none");
  EXPECT_EQ(bucket_of(future), "none");

  filter.status = BreakStatus::proposed;
  const auto proposed = store().list(filter);
  ASSERT_TRUE(proposed);
  ASSERT_EQ(proposed->size(), 1u);
  EXPECT_EQ(proposed->front().break_id, week);
  EXPECT_EQ(proposed->front().age_days, 7);
}

TEST_F(BreakStoreTest, ReplayAgreesAfterAFullLifeCycle) {
  const auto a = add_break();
  const auto b = add_break();
  ASSERT_TRUE(store().act(a, Action::assign(kOps), kApprover));
  ASSERT_TRUE(store().act(a, Action::comment("asked the partner bank"), kOps));
  ASSERT_TRUE(store().act(a, Action::propose(write_off("fx rounding")), kOps));
  ASSERT_TRUE(store().act(a, Action::reject("not rounding"), kApprover));
  ASSERT_TRUE(store().act(a, Action::propose(write_off("fee")), kOps));
  ASSERT_TRUE(store().act(a, Action::approve(), kApprover));
  ASSERT_TRUE(store().act(a, Action::reopen("fee refunded"), kOps));
  ASSERT_TRUE(store().act(b, Action::comment("later"), kOps));
  const auto verdict = store().check_replay();
  ASSERT_TRUE(verdict);
  EXPECT_TRUE(verdict->consistent()) << verdict->reason;
  EXPECT_EQ(verdict->entries, 8u);
}

TEST_F(BreakStoreTest, ReplayFindsAStateChangedBehindTheLogsBack) {
  const auto a = add_break();
  const auto b = add_break();
  ASSERT_TRUE(store().act(a, Action::assign(kOps), kApprover));
  ASSERT_TRUE(store().act(b, Action::propose(write_off("w")), kOps));
  {
    tamper("UPDATE break_state SET owner = 'mallory' WHERE break_id = 1");
    const auto verdict = store().check_replay();
    ASSERT_TRUE(verdict);
    EXPECT_EQ(verdict->first_bad_break, a);
    tamper("UPDATE break_state SET owner = 'olga' WHERE break_id = 1");
  }
  tamper("UPDATE breaks SET status = 'resolved' WHERE break_id = 2");
  const auto verdict = store().check_replay();
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->first_bad_break, b);
  EXPECT_NE(verdict->reason.find("resolved"), std::string::npos) << verdict->reason;
}

TEST_F(BreakStoreTest, ReplayFindsAnActionWrittenWithoutItsEntry) {
  const auto a = add_break();
  ASSERT_TRUE(store().act(a, Action::comment("one"), kOps));
  tamper("UPDATE break_state SET action_count = 2 WHERE break_id = 1");
  const auto verdict = store().check_replay();
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->first_bad_break, a);
}

TEST_F(BreakStoreTest, ReplayFindsAnEntryForABreakThatDoesNotExist) {
  const auto a = add_break();
  ASSERT_TRUE(store().act(a, Action::comment("one"), kOps));
  tamper("DELETE FROM break_state; DELETE FROM breaks");
  const auto verdict = store().check_replay();
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->first_bad_break, a);
}

}  // namespace
}  // namespace tally::reconcile
