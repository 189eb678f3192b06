#include <algorithm>
#include <bit>
#include <cstdio>
#include <map>
#include <thread>
#include <unistd.h>

#include <tally/core/assert.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/match_engine.hpp>
#include <tally/reconcile/packed_groups.hpp>

#include "bucket_matcher.hpp"
#include "match_item.hpp"
#include "ordered_pipeline.hpp"

namespace tally::reconcile {
namespace {

using adapters::Date;
using adapters::Record;

constexpr std::uint32_t kWholeBp = 10'000;

struct FileCloser {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

std::optional<Date> date_of(const Record& record, DateField field) {
  switch (field) {
    case DateField::business_date:
      return record.business_date;
    case DateField::value_date:
      return record.value_date ? record.value_date : record.business_date;
    case DateField::booking_date:
      return record.booking_date ? record.booking_date : record.business_date;
  }
  return std::nullopt;
}

std::int32_t day_number(const Date& date) {
  return static_cast<std::int32_t>(std::chrono::sys_days{date}.time_since_epoch().count());
}

std::array<std::optional<Amount>, kComponentCount> components_of(const adapters::Components& c) {
  return {c.principal, c.interest, c.penalty_interest, c.fee};
}

// A record made ready for a partition: the item (all but its key's offset), its key and, for a
// joint loan, its share. Reused from record to record, so the key's buffer is allocated once.
struct Draft {
  MatchItem item;
  std::string key;
  std::string scratch;  // a key field's text the record does not hold as text
  JointShare joint;
  bool has_joint = false;
};

Result<void> key_of(const RuleSet& rules, Side side, const Record& record, Draft& draft) {
  draft.key.clear();
  for (std::size_t i = 0; i < rules.key.size(); ++i) {
    const KeyField& field = rules.key[i];
    const KeySource source = side == Side::right ? field.right : field.left;
    if (i > 0)
      draft.key += '\x1f';
    TALLY_TRY_VOID(append_normalized_key(key_source_view(record, source, draft.scratch),
                                         field.normalization, draft.key));
  }
  if (draft.key.size() > kMaxKeyBytes)
    return fail(Errc::limit_exceeded, str_cat("key of ", draft.key.size(), " bytes"));
  return {};
}

// A joint-loan platform record compares as the partner's share: each component (or the whole
// amount, when it has none) allocated by largest remainder, the partner's part summed.
Result<void> set_partner_share(const RuleSet& rules,
                               const Record& record,
                               std::int64_t sign,
                               Draft& draft) {
  const auto platform_bp = rules.joint_loan->platform_share_bp ? rules.joint_loan->platform_share_bp
                                                               : record.funding_ratio_bp;
  if (!platform_bp || *platform_bp > kWholeBp) {
    draft.item.flags |= kNoFundingRatio;
    return {};
  }
  const std::array<std::uint64_t, 2> weights = {*platform_bp, kWholeBp - *platform_bp};
  JointShare& joint = draft.joint;
  draft.has_joint = true;
  joint.share_bp = kWholeBp - *platform_bp;
  std::int64_t share = 0;
  const auto parts = components_of(record.components);
  const bool by_component = record.components.any();
  for (std::size_t c = 0; c < (by_component ? kComponentCount : 1); ++c) {
    const std::optional<Amount> whole = by_component ? parts[c] : record.amount;
    if (!whole)
      continue;
    TALLY_TRY(const auto split, whole->allocate(weights));
    const std::int64_t partner = split[1].minor_units();
    share += partner;
    if (by_component) {
      joint.components[c] = partner;
      joint.component_mask = static_cast<std::uint8_t>(joint.component_mask | (1u << c));
    }
  }
  draft.item.amount = share * sign;
  return {};
}

Result<void> draft_of(const RuleSet& rules,
                      Side side,
                      std::uint64_t seq,
                      const Record& record,
                      std::int32_t day,
                      Draft& draft) {
  if (record.amount.is_negative())
    return fail(Errc::invalid_argument, "a negative amount (the direction carries the sign)");
  if (seq > kMaxSeq)
    return fail(Errc::limit_exceeded, str_cat("a sequence number past ", kMaxSeq));
  MatchItem& item = draft.item;
  item = MatchItem{};
  draft.has_joint = false;
  if (rules.joint_loan)
    draft.joint = JointShare{};
  item.side = side;
  item.set_ref(0, seq);
  item.currency = record.amount.currency().numeric();
  item.day = day;
  const std::int64_t sign = record.direction == adapters::Direction::credit ? 1 : -1;
  item.stated = record.amount.minor_units() * sign;
  switch (rules.direction) {
    case DirectionMode::same:
      item.amount = item.stated;
      break;
    case DirectionMode::opposite:
      item.amount = side == Side::right ? -item.stated : item.stated;
      break;
    case DirectionMode::ignore:
      item.amount = record.amount.minor_units();
      break;
  }
  TALLY_TRY_VOID(key_of(rules, side, record, draft));
  item.hash = key_hash(draft.key, item.currency);
  if (rules.joint_loan && side == Side::left) {
    TALLY_TRY_VOID(set_partner_share(rules, record, item.amount < 0 ? -1 : 1, draft));
  } else if (rules.joint_loan && side == Side::right) {
    const auto parts = components_of(record.components);
    for (std::size_t c = 0; c < kComponentCount; ++c) {
      if (parts[c]) {
        draft.has_joint = true;
        draft.joint.components[c] = parts[c]->minor_units();
        draft.joint.component_mask =
            static_cast<std::uint8_t>(draft.joint.component_mask | (1u << c));
      }
    }
  }
  return {};
}

// The day a record is matched on (kNoDay when undated); nullopt (counted out_of_period) when the
// run has dates and the record is undated or outside them. A day number, not an optional<Date>:
// that went through memory in byte-wide pieces read back whole, a stall per record.
std::optional<std::int32_t> day_in_period(const RuleSet& rules,
                                          const MatchOptions& options,
                                          const Record& record) {
  const auto date = date_of(record, rules.date_field);
  if ((options.from || options.to) &&
      (!date || (options.from && *date < *options.from) || (options.to && *date > *options.to)))
    return std::nullopt;
  return date ? day_number(*date) : kNoDay;
}

// add()'s draft of one record, or its error naming the source and seq.
Result<void> located_draft_of(const RuleSet& rules,
                              Side side,
                              const Hash256& source,
                              std::uint64_t seq,
                              const Record& record,
                              std::int32_t day,
                              Draft& draft) {
  if (auto made = draft_of(rules, side, seq, record, day, draft); !made) {
    return fail(made.error().code,
                str_cat("match: ", side_name(side), " source ", source.hex(false).substr(0, 16),
                        " record #", seq, ": ", made.error().message));
  }
  return {};
}

// The draft's item into a chunk, its key into the chunk's arena.
Result<void> place(Draft& draft, ItemChunk& chunk) {
  TALLY_TRY_VOID(chunk.arena.add(draft.item, draft.key, draft.has_joint ? &draft.joint : nullptr));
  chunk.items.push_back(draft.item);
  return {};
}

// A batch's chunk of at least this many items is handed to the engine as it is; a smaller one is
// copied into the engine's own chunk of the partition, so that small batches do not leave
// thousands of small chunks.
constexpr std::size_t kChunkMoveItems = 512;

std::size_t bytes_of(const std::vector<ItemChunk>& chunks) {
  std::size_t bytes = 0;
  for (const ItemChunk& chunk : chunks)
    bytes += chunk.bytes();
  return bytes;
}

}  // namespace

struct MatchEngine::State {
  RuleSet rules;
  MatchOptions options;
  std::map<SourceId, std::uint32_t> source_index;
  std::vector<SourceId> sources;
  // Per partition: chunks[0] is the engine's own (record-by-record adds and small batches are
  // appended to it), then the chunks batches handed over.
  std::vector<std::vector<ItemChunk>> partitions;
  std::size_t held_bytes = 0;       // the chunks' bytes() summed
  std::filesystem::path spill_dir;  // empty until the first spill
  std::vector<FilePtr> spill_files;
  MatchStats stats;
  Draft draft;  // add()'s, record by record
  bool has_ledger = false;
  bool finished = false;
  // An add that failed after it began to change what is held (a chunk past its arena's limit, a
  // spill that could not be written): the engine holds part of it, so every later add and
  // finish fails with the same error rather than match an incomplete input.
  std::optional<Error> unusable;

  Result<void> usable() const {
    return unusable ? Result<void>{std::unexpected(*unusable)} : Result<void>{};
  }
  Result<void> unusable_unless(Result<void> done) {
    if (!done)
      unusable = done.error();
    return done;
  }

  ~State() {
    spill_files.clear();
    if (!spill_dir.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(spill_dir, ignored);
    }
  }

  // Records come a file at a time: the last source answers most look-ups without the map's
  // 33-byte comparisons.
  std::optional<SourceId> last_source;
  std::uint32_t last_source_index = 0;

  Result<std::uint32_t> source_of(Side side, const Hash256& id) {
    if (last_source && last_source->side == side && last_source->id == id)
      return last_source_index;
    TALLY_TRY(last_source_index, index_source(side, id));
    last_source = SourceId{side, id};
    return last_source_index;
  }

  Result<std::uint32_t> index_source(Side side, const Hash256& id) {
    const SourceId key{side, id};
    if (const auto found = source_index.find(key); found != source_index.end())
      return found->second;
    if (sources.size() >= kMaxSources)
      return fail(Errc::limit_exceeded, str_cat("match: more than ", kMaxSources, " sources"));
    const auto index = static_cast<std::uint32_t>(sources.size());
    source_index.emplace(key, index);
    sources.push_back(key);
    return index;
  }

  void count(Side side, std::size_t records) {
    stats.records[static_cast<int>(side) - 1] += records;
    has_ledger = has_ledger || (side == Side::ledger && records > 0);
  }

  // Appends a small chunk of a batch (its items' sources set) to the partition's own chunk.
  Result<void> hold_copy(std::size_t p, const ItemChunk& part) {
    ItemChunk& own = partitions[p].front();
    const std::size_t before = own.bytes();
    TALLY_TRY_VOID(own.append(part));
    held_bytes = held_bytes - before + own.bytes();
    return {};
  }

  // Takes a large chunk of a batch as it is.
  void hold_moved(std::size_t p, ItemChunk&& part) {
    held_bytes += part.bytes();
    partitions[p].push_back(std::move(part));
  }

  Result<void> hold_draft() {
    ItemChunk& own = partitions[partition_of(draft.item.hash, partitions.size())].front();
    const std::size_t before = own.bytes();
    TALLY_TRY_VOID(place(draft, own));
    held_bytes = held_bytes - before + own.bytes();
    count(draft.item.side, 1);
    return spill_over_bound();
  }

  Result<void> spill_over_bound() {
    return held_bytes > options.memory_bound_bytes ? spill() : Result<void>{};
  }

  Result<void> spill() {
    if (spill_dir.empty()) {
      const auto base =
          options.spill_dir.empty() ? std::filesystem::temp_directory_path() : options.spill_dir;
      std::string pattern = (base / "tally-match-XXXXXX").string();
      if (::mkdtemp(pattern.data()) == nullptr)
        return fail(Errc::io_error,
                    str_cat("match: cannot create a spill folder in ", base.string()));
      spill_dir = pattern;
      spill_files.resize(partitions.size());
    }
    for (std::size_t p = 0; p < partitions.size(); ++p) {
      std::vector<ItemChunk>& chunks = partitions[p];
      if (bytes_of(chunks) == 0)
        continue;
      if (!spill_files[p]) {
        const auto path = spill_dir / str_cat("partition-", p, ".bin");
        spill_files[p].reset(std::fopen(path.c_str(), "w+b"));
        if (!spill_files[p])
          return fail(Errc::io_error, str_cat("match: cannot create ", path.string()));
        ++stats.spill_files;
      }
      for (const ItemChunk& chunk : chunks) {
        if (chunk.items.empty())
          continue;
        TALLY_TRY_VOID(write_block(spill_files[p].get(), chunk));
        stats.spilled_bytes += chunk.items.size() * sizeof(MatchItem) + chunk.arena.size();
      }
      chunks.resize(1);
      chunks.front().clear_and_free();
    }
    held_bytes = 0;
    return {};
  }

  // The whole partition: what was spilled, then what is in memory. Touches only partition p's
  // chunks and file, so partitions can be taken by several threads at once.
  Result<std::vector<ItemChunk>> take_partition(std::size_t p) {
    std::vector<ItemChunk> chunks;
    if (p < spill_files.size() && spill_files[p]) {
      std::FILE* file = spill_files[p].get();
      if (std::fflush(file) != 0 || std::fseek(file, 0, SEEK_SET) != 0)
        return fail(Errc::io_error, "match: cannot read back a spill file");
      TALLY_TRY_VOID(read_blocks(file, chunks));
      spill_files[p].reset();
    }
    for (ItemChunk& chunk : partitions[p]) {
      if (!chunk.items.empty())
        chunks.push_back(std::move(chunk));
    }
    std::vector<ItemChunk>().swap(partitions[p]);
    return chunks;
  }
};

MatchEngine::MatchEngine(std::unique_ptr<State> state) : state_(std::move(state)) {}
MatchEngine::MatchEngine(MatchEngine&&) noexcept = default;
MatchEngine& MatchEngine::operator=(MatchEngine&&) noexcept = default;
MatchEngine::~MatchEngine() = default;

Result<MatchEngine> MatchEngine::create(RuleSet rules, MatchOptions options) {
  if (options.partitions == 0 || options.partitions > kMaxPartitions)
    return fail(Errc::invalid_argument, str_cat("match: partitions must be 1 to ", kMaxPartitions));
  if (rules.key.empty() || rules.rules.empty())
    return fail(Errc::invalid_argument, "match: a rule set needs a key and a rule");
  if (options.from && options.to && *options.to < *options.from)
    return fail(Errc::invalid_argument, "match: the period ends before it starts");
  auto state = std::make_unique<State>();
  state->partitions.resize(options.partitions, std::vector<ItemChunk>(1));
  state->rules = std::move(rules);
  state->options = std::move(options);
  return MatchEngine(std::move(state));
}

const MatchStats& MatchEngine::stats() const noexcept {
  return state_->stats;
}

Result<void> MatchEngine::add(Side side,
                              const Hash256& source,
                              std::uint64_t seq,
                              const Record& record) {
  State& s = *state_;
  TALLY_ASSERT(!s.finished);
  TALLY_TRY_VOID(s.usable());
  const auto day = day_in_period(s.rules, s.options, record);
  if (!day) {
    ++s.stats.out_of_period;
    return {};
  }
  // The draft first: a refused record must not number its source either.
  TALLY_TRY_VOID(located_draft_of(s.rules, side, source, seq, record, *day, s.draft));
  TALLY_TRY(const auto index, s.source_of(side, source));
  s.draft.item.set_ref(index, s.draft.item.seq());
  return s.unusable_unless(s.hold_draft());
}

// A batch keeps its items partitioned as the engine does, so that adding it to the engine is a
// copy of a few buffers per partition under the caller's lock.
struct MatchBatch::State {
  const MatchEngine::State* engine;
  Side side;
  Hash256 source;
  std::vector<ItemChunk> partitions;  // their items' source is set when the engine takes them
  std::size_t size = 0;
  std::uint64_t out_of_period = 0;
  Draft draft;
};

MatchBatch::MatchBatch(std::unique_ptr<State> state) : state_(std::move(state)) {}
MatchBatch::MatchBatch(MatchBatch&&) noexcept = default;
MatchBatch& MatchBatch::operator=(MatchBatch&&) noexcept = default;
MatchBatch::~MatchBatch() = default;

std::size_t MatchBatch::size() const noexcept {
  return state_->size;
}

Result<void> MatchBatch::add(std::uint64_t seq, const Record& record) {
  State& b = *state_;
  const auto day = day_in_period(b.engine->rules, b.engine->options, record);
  if (!day) {
    ++b.out_of_period;
    return {};
  }
  TALLY_TRY_VOID(located_draft_of(b.engine->rules, b.side, b.source, seq, record, *day, b.draft));
  TALLY_TRY_VOID(
      place(b.draft, b.partitions[partition_of(b.draft.item.hash, b.partitions.size())]));
  ++b.size;
  return {};
}

MatchBatch MatchEngine::batch(Side side, const Hash256& source) const {
  auto state = std::make_unique<MatchBatch::State>();
  state->engine = state_.get();
  state->side = side;
  state->source = source;
  state->partitions.resize(state_->partitions.size());
  return MatchBatch(std::move(state));
}

Result<void> MatchEngine::add(MatchBatch& batch) {
  State& s = *state_;
  MatchBatch::State& b = *batch.state_;
  TALLY_ASSERT(!s.finished && b.engine == &s);
  TALLY_TRY_VOID(s.usable());
  s.stats.out_of_period += b.out_of_period;
  b.out_of_period = 0;
  if (b.size == 0)
    return {};
  // As add() does, a source is numbered when its first record in the period arrives.
  TALLY_TRY(const auto index, s.source_of(b.side, b.source));
  for (std::size_t p = 0; p < b.partitions.size(); ++p) {
    ItemChunk& part = b.partitions[p];
    if (part.items.empty())
      continue;
    for (MatchItem& item : part.items)
      item.set_ref(index, item.seq());
    if (part.items.size() < kChunkMoveItems) {
      TALLY_TRY_VOID(s.unusable_unless(s.hold_copy(p, part)));
      part.items.clear();
      part.arena.clear();
      continue;
    }
    // The batch's next buffers: a quarter more than this chunk filled, so that they rarely grow
    // (doubling would leave half of them spare, counted against the bound).
    const std::size_t items = part.items.size() + part.items.size() / 4;
    const std::size_t bytes = part.arena.size() + part.arena.size() / 4;
    s.hold_moved(p, std::move(part));
    part = ItemChunk{};
    part.items.reserve(items);
    part.arena.reserve(bytes);
  }
  s.count(b.side, b.size);
  b.size = 0;
  return s.unusable_unless(s.spill_over_bound());
}

Result<void> MatchEngine::add_ledger(const LedgerSource& ledger) {
  const Date from = state_->options.from.value_or(
      Date{std::chrono::year{1}, std::chrono::January, std::chrono::day{1}});
  const Date to = state_->options.to.value_or(
      Date{std::chrono::year{9999}, std::chrono::December, std::chrono::day{31}});
  State& s = *state_;
  TALLY_TRY_VOID(s.usable());
  // The entries stop at the first that fails, and those before it are held: the engine cannot
  // go on with part of the ledger.
  return s.unusable_unless(ledger.entries(from, to, [this](const LedgerEntry& entry) {
    return add(Side::ledger, entry.id, entry.seq, entry.record);
  }));
}

namespace {

// Left against right, then left against the ledger when there is one. `bucket` is sorted by
// side, so each side is one run.
void match_key(const RuleSet& rules,
               bool has_ledger,
               const ItemArena& arena,
               std::span<const MatchItem> bucket,
               BucketOutput& out) {
  const auto side_end = [&](Side side) {
    return static_cast<std::size_t>(
        std::ranges::partition_point(bucket,
                                     [side](const MatchItem& item) { return item.side <= side; }) -
        bucket.begin());
  };
  const std::size_t left_end = side_end(Side::left);
  const std::size_t right_end = side_end(Side::right);
  const auto left = bucket.subspan(0, left_end);
  const auto right = bucket.subspan(left_end, right_end - left_end);
  const auto ledger = bucket.subspan(right_end);
  BucketPass first;
  first.joint_loan = rules.joint_loan.has_value();
  match_bucket(rules, first, arena, left, right, out);
  if (!has_ledger)
    return;
  // The ledger holds whole movements: a joint-loan platform record compares at its own amount.
  std::vector<MatchItem> whole(left.begin(), left.end());
  if (rules.joint_loan) {
    for (MatchItem& item : whole) {
      item.amount = item.stated;
      item.flags = 0;
    }
  }
  BucketPass second;
  second.b_side = Side::ledger;
  second.a_missing = BreakClass::missing_ledger;
  second.b_missing = BreakClass::missing_left;
  match_bucket(rules, second, arena, whole, ledger, out);
}

// Items of one bucket (equal key and currency) in ref order; buckets by key hash, then key,
// then currency. The order is a function of the items alone.
bool ref_order(const MatchItem& x, const MatchItem& y) {
  if (x.hash != y.hash)
    return x.hash < y.hash;
  if (x.side != y.side)
    return x.side < y.side;
  return x.ref_bits < y.ref_bits;  // (source, seq), as MemberRef orders them
}

bool same_bucket(const ItemArena& arena, const MatchItem& x, const MatchItem& y) {
  return x.hash == y.hash && x.currency == y.currency && arena.key(x) == arena.key(y);
}

// A slot of the counting sort up to this size is sorted by insertion.
constexpr std::ptrdiff_t kInsertionSortItems = 16;

// The partition's chunks as one chunk sorted by (hash, ref): a counting sort on the hash's top
// bits (up to 16; the partition is chosen by the low ones) that also merges the arenas and numbers
// the sources by rank, then the few items of each slot. Chunks are freed as they are consumed.
// Where two keys share a 64-bit hash, match_partition sorts their run by key.
Result<ItemChunk> sort_by_bucket(std::vector<ItemChunk> chunks,
                                 const std::vector<std::uint32_t>& rank) {
  std::size_t count = 0;
  std::size_t arena_bytes = 0;
  for (const ItemChunk& chunk : chunks) {
    count += chunk.items.size();
    arena_bytes += chunk.arena.size();
  }
  if (count >= UINT32_MAX)
    return fail(Errc::limit_exceeded,
                "match: a partition of 4 billion records (use more partitions)");
  // About four items a slot, at most 2^16 slots (the hash's top 16 bits): a small partition does
  // not clear and walk 65,536 slots.
  const int bits = std::clamp(static_cast<int>(std::bit_width(count / 4)), 1, 16);
  const auto slot_of = [bits](const MatchItem& item) {
    return static_cast<std::size_t>(item.hash >> (64 - bits));
  };
  const std::size_t slots = std::size_t{1} << bits;
  std::vector<std::uint32_t> starts(slots + 1, 0);
  for (const ItemChunk& chunk : chunks) {
    for (const MatchItem& item : chunk.items)
      ++starts[slot_of(item) + 1];
  }
  for (std::size_t i = 1; i <= slots; ++i)
    starts[i] += starts[i - 1];
  ItemChunk sorted;
  sorted.items.resize(count);
  sorted.arena.reserve(arena_bytes);
  {
    std::vector<std::uint32_t> next(starts.begin(), starts.end() - 1);
    for (ItemChunk& chunk : chunks) {
      TALLY_TRY(const auto base, sorted.arena.append(chunk.arena.data(), chunk.arena.size()));
      for (MatchItem item : chunk.items) {
        if (item.source() >= rank.size())
          return fail(Errc::corrupted, "match: an item of an unknown source");
        item.key += base;
        item.set_ref(rank[item.source()], item.seq());
        sorted.items[next[slot_of(item)]++] = item;
      }
      chunk.clear_and_free();
    }
  }
  std::vector<MatchItem>& items = sorted.items;
  for (std::size_t slot = 0; slot < slots; ++slot) {
    const auto begin = items.begin() + starts[slot];
    const auto end = items.begin() + starts[slot + 1];
    if (end - begin > kInsertionSortItems) {
      std::sort(begin, end, ref_order);
      continue;
    }
    for (auto next = begin; next < end; ++next) {  // a slot holds ~5 items
      const MatchItem item = *next;
      auto hole = next;
      for (; hole > begin && ref_order(item, *(hole - 1)); --hole)
        *hole = *(hole - 1);
      *hole = item;
    }
  }
  return sorted;
}

// One partition matched: its groups packed (rows of at most kGroupsPerChunk) and its breaks, in
// emission order, and the SHA-256 of the packed rows and the breaks' canonical text.
struct PackedRow {
  Bytes bytes;
  std::size_t groups = 0;
};

struct PartitionOutput {
  std::vector<PackedRow> packed;
  std::vector<Break> breaks;
  MatchStats stats;  // matched, over_search_bound, groups
  Hash256 digest;
};

Result<PartitionOutput> match_partition(std::vector<ItemChunk> chunks,
                                        const std::vector<std::uint32_t>& rank,
                                        const RuleSet& rules,
                                        bool has_ledger) {
  TALLY_TRY(auto partition, sort_by_bucket(std::move(chunks), rank));
  PartitionOutput result;
  BucketOutput out;
  std::vector<MatchItem>& items = partition.items;
  const ItemArena& arena = partition.arena;
  const auto bucket_order = [&arena](const MatchItem& x, const MatchItem& y) {
    return std::pair(arena.key(x), x.currency) < std::pair(arena.key(y), y.currency);
  };
  // Items are in hash order, their keys in arrival order: each key compared below is a random
  // read of the arena, so the keys of the items a little ahead are fetched while these compare.
  constexpr std::size_t kPrefetchAhead = 16;
  std::size_t fetched = 0;
  for (std::size_t begin = 0; begin < items.size();) {
    for (; fetched < std::min(items.size(), begin + kPrefetchAhead); ++fetched)
      __builtin_prefetch(arena.data() + items[fetched].key);
    // A run of one hash is one bucket, unless two keys (or currencies) share the hash: then the
    // run is sorted by key, keeping ref order, and split.
    std::size_t end = begin + 1;
    bool collided = false;
    for (; end < items.size() && items[end].hash == items[begin].hash; ++end)
      collided = collided || !same_bucket(arena, items[begin], items[end]);
    const auto run = std::span(items).subspan(begin, end - begin);
    if (collided)
      std::ranges::stable_sort(run, bucket_order);
    for (std::size_t first = 0; first < run.size();) {
      std::size_t last = first + 1;
      while (collided && last < run.size() && same_bucket(arena, run[first], run[last]))
        ++last;
      if (!collided)
        last = run.size();
      match_key(rules, has_ledger, arena, run.subspan(first, last - first), out);
      first = last;
    }
    begin = end;
  }
  partition.clear_and_free();
  // Packed here, in the matching threads: the canonical form of the groups, hashed and stored as
  // it is.
  Sha256Stream digest;
  GroupPacker packer;
  for (std::size_t first = 0; first < out.groups.size(); first += kGroupsPerChunk) {
    const std::size_t count = std::min(kGroupsPerChunk, out.groups.size() - first);
    for (const GroupRow& row : std::span(out.groups).subspan(first, count)) {
      packer.add(rules.rules[row.rule].name, group_kind_name(row.kind),
                 std::span(out.members).subspan(row.first, row.count));
    }
    PackedRow& row = result.packed.emplace_back();
    packer.finish(row.bytes);
    row.groups = count;
    digest.update(row.bytes);
  }
  for (const Break& result_break : out.breaks)
    digest.update(as_bytes(canonical_text(result_break)));
  result.digest = digest.finish();
  result.stats = out.stats;
  result.stats.groups = out.groups.size();
  result.breaks = std::move(out.breaks);
  return result;
}

// The threads finish() matches on: the options' (or one per core), but no more than the memory
// bound allows. A thread holds its partition twice while sorting it (the chunks and the sorted
// copy), and as many partitions again may wait to be emitted: a run that spilled far past its
// bound is finished on fewer threads, down to one.
std::size_t finish_threads(const MatchOptions& options,
                           std::size_t total_bytes,
                           std::size_t partitions) {
  const std::size_t wanted =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t per_partition = total_bytes / partitions + 1;
  const std::size_t allowed =
      std::max<std::size_t>(1, options.memory_bound_bytes / (3 * per_partition));
  return std::min(wanted, allowed);
}

}  // namespace

Result<MatchSummary> MatchEngine::finish(MatchSink& sink) {
  State& s = *state_;
  TALLY_ASSERT(!s.finished);
  if (s.unusable)
    return std::unexpected(*s.unusable);
  s.finished = true;
  // Sources are numbered in (side, id) order, so the result does not depend on the order in
  // which they were first seen.
  std::vector<std::uint32_t> rank(s.sources.size());
  std::vector<SourceId> sorted = s.sources;
  std::ranges::sort(sorted);
  for (std::size_t i = 0; i < s.sources.size(); ++i) {
    rank[i] =
        static_cast<std::uint32_t>(std::ranges::lower_bound(sorted, s.sources[i]) - sorted.begin());
  }
  Sha256Stream digest;
  digest.update(as_bytes(str_cat("tally match v2 rules ", s.rules.digest.hex(false), "\n")));
  for (const SourceId& source : sorted)
    digest.update(
        as_bytes(str_cat("source ", side_name(source.side), " ", source.id.hex(false), "\n")));
  TALLY_TRY_VOID(sink.on_sources(sorted));
  const std::size_t threads =
      finish_threads(s.options, s.stats.spilled_bytes + s.held_bytes, s.partitions.size());
  const auto make = [&s, &rank](std::size_t p) -> Result<PartitionOutput> {
    TALLY_TRY(auto chunks, s.take_partition(p));
    return match_partition(std::move(chunks), rank, s.rules, s.has_ledger);
  };
  const auto take = [&](Result<PartitionOutput> made) -> Result<void> {
    TALLY_TRY(auto partition, std::move(made));
    digest.update(partition.digest.view());
    for (const PackedRow& row : partition.packed)
      TALLY_TRY_VOID(sink.on_packed_groups(row.bytes, row.groups));
    TALLY_TRY_VOID(sink.on_breaks(partition.breaks));
    for (int side = 0; side < 3; ++side)
      s.stats.matched[side] += partition.stats.matched[side];
    s.stats.over_search_bound += partition.stats.over_search_bound;
    s.stats.groups += partition.stats.groups;
    s.stats.breaks += partition.breaks.size();
    return {};
  };
  TALLY_TRY_VOID(ordered_pipeline<Result<PartitionOutput>>(
      s.partitions.size(), std::min(threads, s.partitions.size()), make, take));
  return MatchSummary{s.stats, digest.finish(), std::move(sorted)};
}

}  // namespace tally::reconcile
