#pragma once
// A records store with the matching engine's tables (schemas/sql/reconcile.sql) and one run, in
// which tests put breaks as the engine would, for the breaks workflow's tests.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <tally/core/clock.hpp>
#include <tally/core/sqlite.hpp>
#include <tally/reconcile/break_store.hpp>
#include <tally/reconcile/record_store.hpp>
#include <tally/reconcile/run_store.hpp>

#include "support/temp_dir.hpp"

namespace tally::reconcile::test {

inline constexpr std::string_view kRun =
    "INSERT INTO runs (run_id, rules_name, rules_digest, sources, started_at, finished_at,"
    " left_count, right_count, ledger_count, group_count, break_count, result_digest)"
    " VALUES (1, 'fixture', zeroblob(32), '', '2026-11-21T08:00:00.000Z',"
    " '2026-11-21T08:00:01.000Z', 0, 0, 0, 0, 0, zeroblob(32))";

// 2026-11-21T09:00:00Z, moved by each action's caller as they like.
inline Instant fixture_start() {
  return std::chrono::sys_days{std::chrono::year{2026} / 11 / 21} + std::chrono::hours{9};
}

// A temporary database with a `breaks` table and a BreakStore on it.
class BreakStoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto records = RecordStore::open(dir_ / "breaks.db");
    ASSERT_TRUE(records) << records.error().message;
    ASSERT_TRUE(prepare_run_schema(records->database()));
    ASSERT_TRUE(records->database().execute(kRun));
    auto store = BreakStore::open(std::move(records->database()), clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_.emplace(std::move(*store));
  }

  // A break as the engine would write it; returns its id.
  std::int64_t add_break(std::optional<std::string_view> business_date = "2026-11-20",
                         std::string_view break_class = "amount_mismatch",
                         std::int64_t amount_minor = 1'250) {
    auto insert = db().prepare(
        "INSERT INTO breaks (run_id, class, business_date, currency, amount_minor, key, detail, "
        "members) VALUES (1, ?1, ?2, 'CNY', ?3, 'fixture-key', 'fixture', x'02010100')");  // left
                                                                                           // 0:0
    EXPECT_TRUE(insert);
    EXPECT_TRUE(insert->bind_text(1, break_class));
    EXPECT_TRUE(business_date ? insert->bind_text(2, *business_date) : insert->bind_null(2));
    EXPECT_TRUE(insert->bind(3, amount_minor));
    EXPECT_TRUE(insert->run());
    return db().last_insert_rowid();
  }

  // Runs SQL behind the store's back, as someone tampering with the file would.
  void tamper(std::string_view sql) {
    const auto done = db().execute(sql);
    ASSERT_TRUE(done) << sql << ": " << done.error().message;
  }

  BreakStore& store() { return *store_; }
  sqlite::Database& db() { return store_->database(); }

  tally::test::TempDir dir_;
  ManualClock clock_{fixture_start()};
  std::optional<BreakStore> store_;
};

}  // namespace tally::reconcile::test
