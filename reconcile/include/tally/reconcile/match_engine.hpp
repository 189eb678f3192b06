#pragma once
// The matching engine: records of two or three sources (left files, right files, ledger entries)
// for a business date or period, matched by a RuleSet's cascade, into match groups and classified
// breaks (match_result.hpp). Pure logic apart from its spill files: no clock, no locale, no
// unordered iteration, no floating point.
//
// Streaming with a memory bound: each record becomes a compact item, hashed by its key into one
// of `partitions` partitions; when the bytes held in memory pass `memory_bound_bytes`, every
// partition is appended to its spill file under `spill_dir` and memory is freed. finish() then
// matches the partitions on `threads` threads (all records of a key land in the same partition, so
// each is complete on its own) and emits each one's groups and breaks, key by key, to the sink on
// the calling thread, in partition order. The partition of a key depends neither on the bound nor
// on the threads, so every run of the same inputs gives byte-identical output. One partition must
// fit in memory: with the default 64 partitions, 10 million records per side are ~300k items a
// partition.
//
// Two passes run in each partition: left against right, then (when a ledger was added) left
// against the ledger, whose leftovers are missing_ledger (left records) and missing_left (ledger
// entries).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <tally/adapters/record.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/reconcile/ledger_source.hpp>
#include <tally/reconcile/match_result.hpp>
#include <tally/reconcile/match_rules.hpp>

namespace tally::reconcile {

inline constexpr std::size_t kDefaultPartitions = 64;
inline constexpr std::size_t kMaxPartitions = 4096;
inline constexpr std::size_t kMaxSources = 65536;

struct MatchOptions {
  std::optional<adapters::Date> from;  // the business date or period, inclusive; none: all dates
  std::optional<adapters::Date> to;
  std::size_t memory_bound_bytes = std::size_t{1} << 30;
  std::size_t partitions = kDefaultPartitions;
  std::filesystem::path spill_dir;  // default: the system's temporary folder
  // Threads that match partitions in finish() (the calling thread emits them, in order); 0: one
  // per core. The result does not depend on it.
  std::size_t threads = 0;
};

struct SourceId {
  Side side = Side::left;
  Hash256 id;  // a file's content hash, or a ledger batch id

  auto operator<=>(const SourceId&) const = default;
};

struct MatchSummary {
  MatchStats stats;
  Hash256 digest;  // over the packed groups and the breaks' canonical text, in emission order
                   // (README "Determinism and memory")
  std::vector<SourceId> sources;  // sorted by (side, id); MemberRef::source indexes this
};

class MatchEngine;

// One source's records made into the engine's items away from the engine: making an item (the
// key's normalisation, the date, the amount) is most of the cost of adding a record and reads
// only the rule set and the options, so parsing threads fill batches in parallel and hand them to
// the engine under their own lock. Adding a record to a batch and the batch to the engine does
// exactly what MatchEngine::add does for each record, with the same errors. Batches of one engine
// may be filled concurrently with each other and with the engine's add; the engine must outlive
// them.
class MatchBatch {
 public:
  MatchBatch(MatchBatch&&) noexcept;
  MatchBatch& operator=(MatchBatch&&) noexcept;
  ~MatchBatch();

  Result<void> add(std::uint64_t seq, const adapters::Record& record);
  std::size_t size() const noexcept;

 private:
  friend class MatchEngine;
  struct State;
  explicit MatchBatch(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

class MatchEngine {
 public:
  static Result<MatchEngine> create(RuleSet rules, MatchOptions options);
  MatchEngine(MatchEngine&&) noexcept;
  MatchEngine& operator=(MatchEngine&&) noexcept;
  ~MatchEngine();

  // One record of a source. A record whose key field is not valid UTF-8 is refused
  // (invalid_argument naming the source and seq); the engine is unchanged by it. An error after
  // an add began to change what the engine holds (a spill file that cannot be written, a
  // partition's keys past 4 GiB) leaves it unusable: every later add and finish fails with it.
  Result<void> add(Side side,
                   const Hash256& source,
                   std::uint64_t seq,
                   const adapters::Record& record);
  // An empty batch for records of one source.
  MatchBatch batch(Side side, const Hash256& source) const;
  // The batch's records, as add() would take them one by one; the batch is empty afterwards and
  // can be filled again.
  Result<void> add(MatchBatch& batch);
  // Every ledger entry of the run's dates (all dates when the run has none). An entry refused,
  // or a ledger that fails partway, leaves the engine unusable (part of the ledger is held).
  Result<void> add_ledger(const LedgerSource& ledger);

  // Matches and emits everything; the engine is spent afterwards.
  Result<MatchSummary> finish(MatchSink& sink);

  const MatchStats& stats() const noexcept;

 private:
  friend class MatchBatch;
  struct State;
  explicit MatchEngine(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace tally::reconcile
