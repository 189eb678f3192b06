// The breaks workflow's costs: hashing one audit entry, one action end to end (a db_txn that reads
// the break, applies the rules, writes state, status and the chained entry), and verifying a log
// of 10,000 entries. The store runs with Durability::normal, as a busy ops desk would, so the
// action figure measures the work rather than the disk's fsync.

#include <chrono>
#include <filesystem>
#include <optional>
#include <random>

#include <benchmark/benchmark.h>

#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/audit_log.hpp>
#include <tally/reconcile/break_store.hpp>
#include <tally/reconcile/record_store.hpp>
#include <tally/reconcile/run_store.hpp>

namespace {

using namespace tally;
using namespace tally::reconcile;

// A fresh store with `breaks` breaks of one run, in a folder removed when it goes.
class BenchStore {
 public:
  explicit BenchStore(int breaks) {
    std::mt19937_64 random(std::random_device{}());
    dir_ = std::filesystem::temp_directory_path() / str_cat("tally-audit-bench-", random());
    std::filesystem::create_directories(dir_);
    {
      auto records = RecordStore::open(dir_ / "store.db");
      TALLY_ASSERT(records && prepare_run_schema(records->database()));
      TALLY_ASSERT(records->database().execute(
          "INSERT INTO runs (run_id, rules_name, rules_digest, sources, started_at, finished_at,"
          " left_count, right_count, ledger_count, group_count, break_count, result_digest)"
          " VALUES (1, 'bench', zeroblob(32), '', '', '', 0, 0, 0, 0, 0, zeroblob(32))"));
      for (int i = 0; i < breaks; ++i) {
        TALLY_ASSERT(records->database().execute(
            "INSERT INTO breaks (run_id, class, business_date, currency, amount_minor, key, detail,"
            " members) VALUES (1, 'amount_mismatch', '2026-11-20', 'CNY', 1250, 'LN-1', 'bench',"
            " x'02010100')"));  // one member: left, source 0, seq 0
      }
    }
    sqlite::OpenOptions options;
    options.durability = sqlite::Durability::normal;
    auto database = sqlite::Database::open(dir_ / "store.db", options);
    TALLY_ASSERT(database);
    auto store = BreakStore::open(std::move(*database), clock_);
    TALLY_ASSERT(store);
    store_.emplace(std::move(*store));
  }
  ~BenchStore() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  BenchStore(const BenchStore&) = delete;
  BenchStore& operator=(const BenchStore&) = delete;

  BreakStore& store() { return *store_; }
  ManualClock& clock() { return clock_; }

 private:
  std::filesystem::path dir_;
  ManualClock clock_{Instant{std::chrono::seconds{1'795'000'000}}};
  std::optional<BreakStore> store_;
};

const User kOps{"olga", Role::ops};

void BM_AuditEntryHash(benchmark::State& state) {
  AuditEntry entry;
  entry.seq = 12'345;
  entry.at = "2026-11-21T09:00:00.000Z";
  entry.user = "olga";
  entry.role = "ops";
  entry.action = "comment";
  entry.break_id = 42;
  entry.payload = str_cat("{\"text\":\"", std::string(100, 'x'), "\"}");
  for (auto _ : state) {
    benchmark::DoNotOptimize(audit_entry_hash(entry));
    ++entry.seq;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_AuditEntryHash);

void BM_BreakAction(benchmark::State& state) {
  BenchStore bench(100);
  std::int64_t id = 0;
  for (auto _ : state) {
    const auto done =
        bench.store().act(1 + id % 100, Action::comment("checked with the bank"), kOps);
    TALLY_ASSERT(done);
    ++id;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_BreakAction)->Unit(benchmark::kMicrosecond);

void BM_AuditVerify(benchmark::State& state) {
  const auto entries = static_cast<int>(state.range(0));
  BenchStore bench(100);
  for (int i = 0; i < entries; ++i)
    TALLY_ASSERT(bench.store().act(1 + i % 100, Action::comment(str_cat("note ", i)), kOps));
  for (auto _ : state) {
    const auto verdict = bench.store().audit_log().verify();
    TALLY_ASSERT(verdict && verdict->intact());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * entries);
}
BENCHMARK(BM_AuditVerify)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
