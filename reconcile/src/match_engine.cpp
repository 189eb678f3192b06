#include <algorithm>
#include <cstdio>
#include <map>
#include <unistd.h>

#include <tally/core/assert.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/match_engine.hpp>

#include "bucket_matcher.hpp"
#include "match_item.hpp"

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

// FNV-1a: a fixed function of the key, so a key's partition never depends on the run.
std::uint64_t key_hash(const std::string& key, std::uint16_t currency) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto mix = [&hash](std::uint8_t byte) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  };
  for (const char c : key)
    mix(static_cast<std::uint8_t>(c));
  mix(static_cast<std::uint8_t>(currency & 0xFF));
  mix(static_cast<std::uint8_t>(currency >> 8));
  return hash;
}

std::array<std::optional<Amount>, kComponentCount> components_of(const adapters::Components& c) {
  return {c.principal, c.interest, c.penalty_interest, c.fee};
}

bool item_order(const MatchItem& x, const MatchItem& y) {
  return std::tie(x.key, x.currency, x.ref) < std::tie(y.key, y.currency, y.ref);
}

Result<std::string> key_of(const RuleSet& rules, Side side, const Record& record) {
  std::string key;
  for (std::size_t i = 0; i < rules.key.size(); ++i) {
    const KeyField& field = rules.key[i];
    const KeySource source = side == Side::right ? field.right : field.left;
    TALLY_TRY(auto text, normalize_key_text(key_source_text(record, source), field.normalization));
    if (i == 0) {
      key = std::move(text);  // the usual one-field key: no second copy
      continue;
    }
    key += '\x1f';
    key += text;
  }
  if (key.size() > kMaxKeyBytes)
    return fail(Errc::limit_exceeded, str_cat("key of ", key.size(), " bytes"));
  return key;
}

// A joint-loan platform record compares as the partner's share: each component (or the whole
// amount, when it has none) allocated by largest remainder, the partner's part summed.
Result<void> set_partner_share(const RuleSet& rules,
                               const Record& record,
                               std::int64_t sign,
                               MatchItem& item) {
  const auto platform_bp = rules.joint_loan->platform_share_bp ? rules.joint_loan->platform_share_bp
                                                               : record.funding_ratio_bp;
  if (!platform_bp || *platform_bp > kWholeBp) {
    item.flags |= kNoFundingRatio;
    return {};
  }
  const std::array<std::uint64_t, 2> weights = {*platform_bp, kWholeBp - *platform_bp};
  JointShare& joint = item.joint.set();
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
  item.amount = share * sign;
  return {};
}

Result<MatchItem> item_of(const RuleSet& rules,
                          Side side,
                          std::uint32_t source,
                          std::uint64_t seq,
                          const Record& record,
                          std::optional<Date> date) {
  if (record.amount.is_negative())
    return fail(Errc::invalid_argument, "a negative amount (the direction carries the sign)");
  MatchItem item;
  item.ref = {side, source, seq};
  item.currency = record.amount.currency().numeric();
  item.day = date ? day_number(*date) : kNoDay;
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
  TALLY_TRY(item.key, key_of(rules, side, record));
  if (rules.joint_loan && side == Side::left) {
    TALLY_TRY_VOID(set_partner_share(rules, record, item.amount < 0 ? -1 : 1, item));
  } else if (rules.joint_loan && side == Side::right) {
    const auto parts = components_of(record.components);
    for (std::size_t c = 0; c < kComponentCount; ++c) {
      if (parts[c]) {
        JointShare& joint = item.joint.set();
        joint.components[c] = parts[c]->minor_units();
        joint.component_mask = static_cast<std::uint8_t>(joint.component_mask | (1u << c));
      }
    }
  }
  return item;
}

// The date a record is matched on; nullopt (counted out_of_period) when the run has dates and the
// record is undated or outside them.
std::optional<std::optional<Date>> dated_in_period(const RuleSet& rules,
                                                   const MatchOptions& options,
                                                   const Record& record) {
  const auto date = date_of(record, rules.date_field);
  if ((options.from || options.to) &&
      (!date || (options.from && *date < *options.from) || (options.to && *date > *options.to)))
    return std::nullopt;
  return date;
}

// add()'s item of one record, or its error naming the source and seq.
Result<MatchItem> located_item_of(const RuleSet& rules,
                                  Side side,
                                  const Hash256& source,
                                  std::uint32_t index,
                                  std::uint64_t seq,
                                  const Record& record,
                                  std::optional<Date> date) {
  auto item = item_of(rules, side, index, seq, record, date);
  if (!item) {
    return fail(item.error().code,
                str_cat("match: ", side_name(side), " source ", source.hex(false).substr(0, 16),
                        " record #", seq, ": ", item.error().message));
  }
  return item;
}

}  // namespace

struct MatchEngine::State {
  RuleSet rules;
  MatchOptions options;
  std::map<SourceId, std::uint32_t> source_index;
  std::vector<SourceId> sources;
  std::vector<std::vector<MatchItem>> buffers;
  std::size_t held_bytes = 0;
  std::filesystem::path spill_dir;  // empty until the first spill
  std::vector<FilePtr> spill_files;
  std::vector<std::size_t> spilled_items;  // per partition, to size its vector when read back
  MatchStats stats;
  bool has_ledger = false;
  bool finished = false;

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

  Result<void> hold(MatchItem&& item) {
    ++stats.records[static_cast<int>(item.ref.side) - 1];
    has_ledger = has_ledger || item.ref.side == Side::ledger;
    const std::size_t p = key_hash(item.key, item.currency) % buffers.size();
    held_bytes += item.footprint();
    buffers[p].push_back(std::move(item));
    if (held_bytes > options.memory_bound_bytes)
      return spill();
    return {};
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
      spill_files.resize(buffers.size());
      spilled_items.resize(buffers.size());
    }
    for (std::size_t p = 0; p < buffers.size(); ++p) {
      if (buffers[p].empty())
        continue;
      if (!spill_files[p]) {
        const auto path = spill_dir / str_cat("partition-", p, ".bin");
        spill_files[p].reset(std::fopen(path.c_str(), "w+b"));
        if (!spill_files[p])
          return fail(Errc::io_error, str_cat("match: cannot create ", path.string()));
        ++stats.spill_files;
      }
      for (const MatchItem& item : buffers[p]) {
        TALLY_TRY_VOID(write_item(spill_files[p].get(), item));
        stats.spilled_bytes += item.footprint();
      }
      spilled_items[p] += buffers[p].size();
      std::vector<MatchItem>().swap(buffers[p]);
    }
    held_bytes = 0;
    return {};
  }

  Result<std::vector<MatchItem>> take_partition(std::size_t p) {
    std::vector<MatchItem> items;
    if (p >= spill_files.size() || !spill_files[p]) {
      items = std::move(buffers[p]);  // never spilled: the buffer is the partition, no copy
      std::vector<MatchItem>().swap(buffers[p]);
      return items;
    }
    items.reserve(spilled_items[p] + buffers[p].size());
    std::FILE* file = spill_files[p].get();
    if (std::fflush(file) != 0 || std::fseek(file, 0, SEEK_SET) != 0)
      return fail(Errc::io_error, "match: cannot read back a spill file");
    for (;;) {
      TALLY_TRY(auto item, read_item(file));
      if (!item)
        break;
      items.push_back(std::move(*item));
    }
    spill_files[p].reset();
    for (auto& item : buffers[p])
      items.push_back(std::move(item));
    std::vector<MatchItem>().swap(buffers[p]);
    return items;
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
  state->buffers.resize(options.partitions);
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
  const auto date = dated_in_period(s.rules, s.options, record);
  if (!date) {
    ++s.stats.out_of_period;
    return {};
  }
  TALLY_TRY(const auto index, s.source_of(side, source));
  TALLY_TRY(auto item, located_item_of(s.rules, side, source, index, seq, record, *date));
  return s.hold(std::move(item));
}

struct MatchBatch::State {
  const MatchEngine::State* engine;
  Side side;
  Hash256 source;
  std::vector<MatchItem> items;  // their ref.source is set when the engine takes them
  std::uint64_t out_of_period = 0;
};

MatchBatch::MatchBatch(std::unique_ptr<State> state) : state_(std::move(state)) {}
MatchBatch::MatchBatch(MatchBatch&&) noexcept = default;
MatchBatch& MatchBatch::operator=(MatchBatch&&) noexcept = default;
MatchBatch::~MatchBatch() = default;

std::size_t MatchBatch::size() const noexcept {
  return state_->items.size();
}

Result<void> MatchBatch::add(std::uint64_t seq, const Record& record) {
  State& b = *state_;
  const auto date = dated_in_period(b.engine->rules, b.engine->options, record);
  if (!date) {
    ++b.out_of_period;
    return {};
  }
  TALLY_TRY(auto item, located_item_of(b.engine->rules, b.side, b.source, 0, seq, record, *date));
  b.items.push_back(std::move(item));
  return {};
}

MatchBatch MatchEngine::batch(Side side, const Hash256& source) const {
  return MatchBatch(
      std::make_unique<MatchBatch::State>(MatchBatch::State{state_.get(), side, source, {}, 0}));
}

Result<void> MatchEngine::add(MatchBatch& batch) {
  State& s = *state_;
  MatchBatch::State& b = *batch.state_;
  TALLY_ASSERT(!s.finished && b.engine == &s);
  s.stats.out_of_period += b.out_of_period;
  b.out_of_period = 0;
  if (b.items.empty())
    return {};
  // As add() does, a source is numbered when its first record in the period arrives.
  TALLY_TRY(const auto index, s.source_of(b.side, b.source));
  for (MatchItem& item : b.items) {
    item.ref.source = index;
    TALLY_TRY_VOID(s.hold(std::move(item)));
  }
  b.items.clear();
  return {};
}

Result<void> MatchEngine::add_ledger(const LedgerSource& ledger) {
  const Date from = state_->options.from.value_or(
      Date{std::chrono::year{1}, std::chrono::January, std::chrono::day{1}});
  const Date to = state_->options.to.value_or(
      Date{std::chrono::year{9999}, std::chrono::December, std::chrono::day{31}});
  return ledger.entries(from, to, [this](const LedgerEntry& entry) {
    return add(Side::ledger, entry.id, entry.seq, entry.record);
  });
}

namespace {

// Left against right, then left against the ledger when there is one. `bucket` is sorted by
// side, so each side is one run.
void match_key(const RuleSet& rules,
               bool has_ledger,
               std::span<const MatchItem> bucket,
               BucketOutput& out) {
  const auto side_end = [&](Side side) {
    return static_cast<std::size_t>(
        std::ranges::partition_point(
            bucket, [side](const MatchItem& item) { return item.ref.side <= side; }) -
        bucket.begin());
  };
  const std::size_t left_end = side_end(Side::left);
  const std::size_t right_end = side_end(Side::right);
  const auto left = bucket.subspan(0, left_end);
  const auto right = bucket.subspan(left_end, right_end - left_end);
  const auto ledger = bucket.subspan(right_end);
  BucketPass first;
  first.joint_loan = rules.joint_loan.has_value();
  match_bucket(rules, first, left, right, out);
  if (!has_ledger)
    return;
  // The ledger holds whole movements: a joint-loan platform record compares at its own amount.
  std::vector<MatchItem> whole(left.begin(), left.end());
  if (rules.joint_loan) {
    for (MatchItem& item : whole) {
      item.amount = item.stated;
      item.flags = 0;
      item.joint.reset();
    }
  }
  BucketPass second;
  second.b_side = Side::ledger;
  second.a_missing = BreakClass::missing_ledger;
  second.b_missing = BreakClass::missing_left;
  match_bucket(rules, second, whole, ledger, out);
}

// Puts each bucket's items (equal key and currency) together, in ref order within the bucket.
// Buckets come in key-hash order, not key order: the partition's groups and breaks are sorted by
// member before they are emitted, so the order buckets are matched in never shows. Sorting 16-byte
// (hash, index) pairs and moving each item once costs far less than sorting the items themselves
// by their key strings.
void sort_by_bucket(std::vector<MatchItem>& items) {
  struct Slot {
    std::uint64_t hash;
    std::uint32_t index;
  };
  TALLY_ASSERT(items.size() <= UINT32_MAX);
  std::vector<Slot> slots(items.size());
  for (std::size_t i = 0; i < items.size(); ++i)
    slots[i] = {key_hash(items[i].key, items[i].currency), static_cast<std::uint32_t>(i)};
  std::ranges::sort(slots, [&items](const Slot& x, const Slot& y) {
    if (x.hash != y.hash)
      return x.hash < y.hash;
    return item_order(items[x.index], items[y.index]);
  });
  std::vector<MatchItem> sorted;
  sorted.reserve(items.size());
  for (const Slot& slot : slots)
    sorted.push_back(std::move(items[slot.index]));
  items = std::move(sorted);
}

Result<void> emit_partition(std::vector<MatchItem>& items,
                            const RuleSet& rules,
                            bool has_ledger,
                            MatchSink& sink,
                            Sha256Stream& digest,
                            MatchStats& stats) {
  sort_by_bucket(items);
  BucketOutput out;
  for (std::size_t begin = 0; begin < items.size();) {
    std::size_t end = begin + 1;
    while (end < items.size() && items[end].key == items[begin].key &&
           items[end].currency == items[begin].currency)
      ++end;
    match_key(rules, has_ledger, std::span(items).subspan(begin, end - begin), out);
    begin = end;
  }
  // Sorting the groups themselves measured faster than sorting slots of their first members and
  // emitting through the slots: emission then reads groups and their members in random order.
  std::ranges::sort(out.groups, [](const MatchGroup& x, const MatchGroup& y) {
    return std::tie(x.members, x.rule, x.kind) < std::tie(y.members, y.rule, y.kind);
  });
  std::ranges::sort(out.breaks, [](const Break& x, const Break& y) {
    return std::tie(x.members, x.break_class, x.detail) <
           std::tie(y.members, y.break_class, y.detail);
  });
  std::string text;
  for (const MatchGroup& group : out.groups) {
    text.clear();
    append_canonical_text(group, text);
    digest.update(as_bytes(text));
    TALLY_TRY_VOID(sink.on_group(group));
  }
  for (const Break& result_break : out.breaks) {
    digest.update(as_bytes(canonical_text(result_break)));
    TALLY_TRY_VOID(sink.on_break(result_break));
  }
  for (int side = 0; side < 3; ++side)
    stats.matched[side] += out.stats.matched[side];
  stats.over_search_bound += out.stats.over_search_bound;
  stats.groups += out.groups.size();
  stats.breaks += out.breaks.size();
  return {};
}

}  // namespace

Result<MatchSummary> MatchEngine::finish(MatchSink& sink) {
  State& s = *state_;
  TALLY_ASSERT(!s.finished);
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
  digest.update(as_bytes(str_cat("tally match v1 rules ", s.rules.digest.hex(false), "\n")));
  for (const SourceId& source : sorted)
    digest.update(
        as_bytes(str_cat("source ", side_name(source.side), " ", source.id.hex(false), "\n")));
  TALLY_TRY_VOID(sink.on_sources(sorted));
  for (std::size_t p = 0; p < s.buffers.size(); ++p) {
    TALLY_TRY(auto items, s.take_partition(p));
    for (MatchItem& item : items)
      item.ref.source = rank[item.ref.source];
    TALLY_TRY_VOID(emit_partition(items, s.rules, s.has_ledger, sink, digest, s.stats));
  }
  return MatchSummary{s.stats, digest.finish(), std::move(sorted)};
}

}  // namespace tally::reconcile
