#include "bucket_matcher.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

#include <tally/core/assert.hpp>
#include <tally/core/currency.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::reconcile {
namespace {

// Sums and products of int64 amounts, exact (GCC's extension; -Wpedantic wants the marker).
__extension__ using int128 = __int128;

enum class State : std::uint8_t { live, matched, flagged };

// The items of both sides of one bucket and what has become of each.
struct Pool {
  std::span<const MatchItem> items[2];
  std::vector<State> state[2];

  const MatchItem& item(int side, std::size_t i) const { return items[side][i]; }
  bool live(int side, std::size_t i) const { return state[side][i] == State::live; }
  std::vector<std::size_t> live_indexes(int side) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < items[side].size(); ++i) {
      if (live(side, i))
        out.push_back(i);
    }
    return out;
  }
};

std::int64_t day_distance(std::int32_t a, std::int32_t b) {
  if (a == kNoDay || b == kNoDay)
    return 0;  // an undated record is not held back by a window
  return a > b ? std::int64_t{a} - b : std::int64_t{b} - a;
}

std::uint64_t amount_distance(std::int64_t a, std::int64_t b) {
  return a > b ? static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)
               : static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
}

std::string date_text(std::int32_t day) {
  if (day == kNoDay)
    return "undated";
  const adapters::Date date{std::chrono::sys_days{std::chrono::days{day}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::string amount_text(std::int64_t minor, std::uint16_t currency) {
  const auto found = Currency::from_numeric(currency);
  if (!found)
    return str_cat(minor);
  return str_cat(Amount{minor, *found}.to_string(), " ", found->code());
}

std::string_view component_name(std::size_t i) {
  constexpr std::string_view kNames[] = {"principal", "interest", "penalty interest", "fee"};
  return kNames[i];
}

class BucketMatcher {
 public:
  BucketMatcher(const RuleSet& rules,
                const BucketPass& pass,
                const ItemArena& arena,
                std::span<const MatchItem> a,
                std::span<const MatchItem> b,
                BucketOutput& out)
      : rules_(rules), pass_(pass), arena_(arena), out_(out) {
    pool_.items[0] = a;
    pool_.items[1] = b;
    pool_.state[0].assign(a.size(), State::live);
    pool_.state[1].assign(b.size(), State::live);
  }

  void run() {
    for (std::size_t i = 0; i < pool_.items[0].size(); ++i) {
      if (pool_.item(0, i).flags & kNoFundingRatio)
        no_funding_ratio(i);
    }
    for (const MatchRule& rule : rules_.rules) {
      if (pool_.live_indexes(0).empty() || pool_.live_indexes(1).empty())
        break;
      switch (rule.kind) {
        case RuleKind::one_to_one:
          one_to_one(rule);
          break;
        case RuleKind::one_to_many:
          aggregate(rule, 0);
          break;
        case RuleKind::many_to_one:
          aggregate(rule, 1);
          break;
        case RuleKind::many_to_many:
          many_to_many(rule);
          break;
      }
    }
    classify_leftovers();
  }

 private:
  // ---- 1:1: classes of equal (amount, day), paired when each is the other's unique best ----

  struct Class {
    std::int64_t amount = 0;
    std::int32_t day = kNoDay;
    std::vector<std::size_t> members;  // live item indexes, sorted by ref
    std::size_t used = 0;

    bool live() const { return used < members.size(); }
  };

  std::vector<Class> classes_of(int side) const {
    auto indexes = pool_.live_indexes(side);
    // Items are in ref order, so the index breaks ties: members of a class stay in ref order.
    std::ranges::sort(indexes, [&](std::size_t x, std::size_t y) {
      const auto& p = pool_.item(side, x);
      const auto& q = pool_.item(side, y);
      return std::tie(p.amount, p.day, x) < std::tie(q.amount, q.day, y);
    });
    std::vector<Class> classes;
    for (const std::size_t i : indexes) {
      const auto& item = pool_.item(side, i);
      if (classes.empty() || classes.back().amount != item.amount || classes.back().day != item.day)
        classes.push_back({item.amount, item.day, {}, 0});
      classes.back().members.push_back(i);
    }
    return classes;
  }

  struct Edge {
    std::size_t a = 0;
    std::size_t b = 0;
    std::uint64_t amount_gap = 0;
    std::int64_t day_gap = 0;

    auto score() const { return std::pair(amount_gap, day_gap); }
  };

  void one_to_one(const MatchRule& rule) {
    auto a = classes_of(0);
    auto b = classes_of(1);
    if (a.size() * b.size() > kMaxPairsPerKey) {
      ++out_.stats.over_search_bound;
      return;
    }
    std::vector<Edge> edges;
    for (std::size_t i = 0; i < a.size(); ++i) {
      for (std::size_t j = 0; j < b.size(); ++j) {
        const std::int64_t day_gap = day_distance(a[i].day, b[j].day);
        if (day_gap <= rule.date_window_days && rule.tolerance.agrees(a[i].amount, b[j].amount))
          edges.push_back({i, j, amount_distance(a[i].amount, b[j].amount), day_gap});
      }
    }
    while (pair_mutual_best(rule, edges, a, b)) {
    }
    flag_tied_components(rule, edges, a, b);
  }

  // One round: every edge that is the unique best of both its classes pairs their members.
  bool pair_mutual_best(const MatchRule& rule,
                        const std::vector<Edge>& edges,
                        std::vector<Class>& a,
                        std::vector<Class>& b) {
    using Score = std::pair<std::uint64_t, std::int64_t>;
    constexpr Score kNone{UINT64_MAX, INT64_MAX};
    std::vector<Score> best_a(a.size(), kNone), best_b(b.size(), kNone);
    std::vector<int> ties_a(a.size(), 0), ties_b(b.size(), 0);
    const auto consider = [](Score score, Score& best, int& ties) {
      if (score < best) {
        best = score;
        ties = 1;
      } else if (score == best) {
        ++ties;
      }
    };
    for (const Edge& e : edges) {
      if (!a[e.a].live() || !b[e.b].live())
        continue;
      consider(e.score(), best_a[e.a], ties_a[e.a]);
      consider(e.score(), best_b[e.b], ties_b[e.b]);
    }
    bool progress = false;
    for (const Edge& e : edges) {
      if (!a[e.a].live() || !b[e.b].live() || e.score() != best_a[e.a] ||
          e.score() != best_b[e.b] || ties_a[e.a] != 1 || ties_b[e.b] != 1)
        continue;
      while (a[e.a].live() && b[e.b].live()) {
        pair(rule, a[e.a].members[a[e.a].used++], b[e.b].members[b[e.b].used++]);
        progress = true;
      }
    }
    return progress;
  }

  // What the rounds could not pair but still has candidates is tied: flagged, one break for
  // each connected set of classes.
  void flag_tied_components(const MatchRule& rule,
                            const std::vector<Edge>& edges,
                            const std::vector<Class>& a,
                            const std::vector<Class>& b) {
    std::vector<std::size_t> parent(a.size() + b.size());
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    const auto find = [&](std::size_t x) {
      while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
      return x;
    };
    bool any = false;
    for (const Edge& e : edges) {
      if (a[e.a].live() && b[e.b].live()) {
        parent[find(e.a)] = find(a.size() + e.b);
        any = true;
      }
    }
    if (!any)
      return;
    std::vector<std::vector<std::pair<int, std::size_t>>> component_items(parent.size());
    for (const Edge& e : edges) {
      if (!a[e.a].live() || !b[e.b].live())
        continue;
      const std::size_t root = find(e.a);
      for (const auto& [side, cls] : {std::pair{0, &a[e.a]}, std::pair{1, &b[e.b]}}) {
        for (std::size_t k = cls->used; k < cls->members.size(); ++k)
          component_items[root].emplace_back(side, cls->members[k]);
      }
    }
    for (auto& list : component_items) {
      if (list.empty())
        continue;
      std::ranges::sort(list);
      list.erase(std::unique(list.begin(), list.end()), list.end());
      std::size_t counts[2] = {0, 0};
      for (const auto& [side, i] : list)
        ++counts[side];
      flag(list, BreakClass::ambiguous,
           str_cat("rule '", rule.name, "': ", counts[0], " ", side_name(pass_.a_side), " and ",
                   counts[1], " ", side_name(pass_.b_side),
                   " records have more than one equally good match"));
    }
  }

  void pair(const MatchRule& rule, std::size_t a, std::size_t b) {
    const MatchItem& x = pool_.item(0, a);
    const MatchItem& y = pool_.item(1, b);
    if (pass_.joint_loan) {
      if (auto detail = component_mismatch(x, y)) {
        flag({{0, a}, {1, b}}, BreakClass::allocation_mismatch, std::move(*detail));
        return;
      }
    }
    emit_group(rule, {{0, a}, {1, b}});
  }

  // ---- 1:N and N:1: one record against the sum of every live record of the other side within
  // the window ----

  void aggregate(const MatchRule& rule, int one) {
    const int many = 1 - one;
    struct Candidate {
      std::size_t one_index;
      std::vector<std::size_t> many_indexes;
    };
    std::vector<Candidate> candidates;
    std::vector<int> claims(pool_.items[many].size(), 0);
    const auto ones = pool_.live_indexes(one);
    const auto manys = pool_.live_indexes(many);
    if (ones.size() * manys.size() > kMaxPairsPerKey) {
      ++out_.stats.over_search_bound;
      return;
    }
    for (const std::size_t i : ones) {
      const MatchItem& x = pool_.item(one, i);
      Candidate candidate{i, {}};
      int128 sum = 0;
      for (const std::size_t j : manys) {
        if (day_distance(x.day, pool_.item(many, j).day) <= rule.date_window_days) {
          candidate.many_indexes.push_back(j);
          sum += pool_.item(many, j).amount;
        }
      }
      if (candidate.many_indexes.size() < 2 || sum > INT64_MAX || sum < INT64_MIN ||
          !rule.tolerance.agrees(x.amount, static_cast<std::int64_t>(sum)))
        continue;
      for (const std::size_t j : candidate.many_indexes)
        ++claims[j];
      candidates.push_back(std::move(candidate));
    }
    std::vector<std::pair<int, std::size_t>> contested;
    for (const Candidate& candidate : candidates) {
      std::vector<std::pair<int, std::size_t>> members{{one, candidate.one_index}};
      bool shared = false;
      for (const std::size_t j : candidate.many_indexes) {
        members.emplace_back(many, j);
        shared = shared || claims[j] > 1;
      }
      if (shared)
        contested.insert(contested.end(), members.begin(), members.end());
      else
        emit_group(rule, members);
    }
    if (!contested.empty()) {
      std::ranges::sort(contested);
      contested.erase(std::unique(contested.begin(), contested.end()), contested.end());
      flag(contested, BreakClass::ambiguous,
           str_cat("rule '", rule.name, "': the same records sum to more than one ",
                   side_name(one == 0 ? pass_.a_side : pass_.b_side), " record"));
    }
  }

  // ---- N:M: the smallest pair of subsets whose sums agree, searched within bounds ----

  struct Subset {
    std::uint32_t mask = 0;
    int128 sum = 0;
    std::int32_t min_day = INT32_MAX;
    std::int32_t max_day = INT32_MIN;
    int size = 0;
  };

  static std::vector<Subset> subsets(const Pool& pool,
                                     int side,
                                     const std::vector<std::size_t>& live) {
    std::vector<Subset> out;
    const std::uint32_t count = std::uint32_t{1} << live.size();
    for (std::uint32_t mask = 1; mask < count; ++mask) {
      Subset s;
      s.mask = mask;
      for (std::size_t k = 0; k < live.size(); ++k) {
        if (!(mask & (std::uint32_t{1} << k)))
          continue;
        const MatchItem& item = pool.item(side, live[k]);
        s.sum += item.amount;
        ++s.size;
        if (item.day != kNoDay) {
          s.min_day = std::min(s.min_day, item.day);
          s.max_day = std::max(s.max_day, item.day);
        }
      }
      out.push_back(s);
    }
    return out;
  }

  void many_to_many(const MatchRule& rule) {
    for (;;) {
      const auto a_live = pool_.live_indexes(0);
      const auto b_live = pool_.live_indexes(1);
      if (a_live.empty() || b_live.empty())
        return;
      const std::size_t combinations =
          ((std::size_t{1} << std::min<std::size_t>(a_live.size(), 31)) - 1) *
          ((std::size_t{1} << std::min<std::size_t>(b_live.size(), 31)) - 1);
      if (a_live.size() + b_live.size() > rule.max_candidates ||
          combinations > rule.max_combinations) {
        ++out_.stats.over_search_bound;
        over_bound_ = true;
        return;
      }
      if (!many_to_many_step(rule, a_live, b_live))
        return;
    }
  }

  bool many_to_many_step(const MatchRule& rule,
                         const std::vector<std::size_t>& a_live,
                         const std::vector<std::size_t>& b_live) {
    const auto a_sets = subsets(pool_, 0, a_live);
    const auto b_sets = subsets(pool_, 1, b_live);
    using Score = std::pair<int, std::uint64_t>;
    Score best{INT32_MAX, UINT64_MAX};
    std::vector<std::pair<std::uint32_t, std::uint32_t>> tied;
    for (const Subset& x : a_sets) {
      for (const Subset& y : b_sets) {
        const std::int32_t lo = std::min(x.min_day, y.min_day);
        const std::int32_t hi = std::max(x.max_day, y.max_day);
        if (lo <= hi && std::int64_t{hi} - lo > rule.date_window_days)
          continue;
        if (x.sum > INT64_MAX || x.sum < INT64_MIN || y.sum > INT64_MAX || y.sum < INT64_MIN)
          continue;
        const auto sx = static_cast<std::int64_t>(x.sum);
        const auto sy = static_cast<std::int64_t>(y.sum);
        if (!rule.tolerance.agrees(sx, sy))
          continue;
        const Score score{x.size + y.size, amount_distance(sx, sy)};
        if (score < best) {
          best = score;
          tied.clear();
        }
        if (score == best)
          tied.emplace_back(x.mask, y.mask);
      }
    }
    if (tied.empty())
      return false;
    std::vector<std::pair<int, std::size_t>> members;
    for (const auto& [a_mask, b_mask] : tied) {
      for (std::size_t k = 0; k < a_live.size(); ++k) {
        if (a_mask & (std::uint32_t{1} << k))
          members.emplace_back(0, a_live[k]);
      }
      for (std::size_t k = 0; k < b_live.size(); ++k) {
        if (b_mask & (std::uint32_t{1} << k))
          members.emplace_back(1, b_live[k]);
      }
    }
    std::ranges::sort(members);
    members.erase(std::unique(members.begin(), members.end()), members.end());
    if (tied.size() == 1) {
      emit_group(rule, members);
      return true;
    }
    flag(members, BreakClass::ambiguous,
         str_cat("rule '", rule.name, "': ", tied.size(),
                 " different sets of records sum alike, none smaller"));
    return true;
  }

  // ---- what is left ----

  void no_funding_ratio(std::size_t i) {
    flag({{0, i}}, BreakClass::allocation_mismatch,
         "no funding ratio: neither the rules nor the record give the platform's share");
  }

  void classify_leftovers() {
    std::vector<std::size_t> left[2];
    for (int side = 0; side < 2; ++side) {
      const auto twins = matched_signatures(side);
      for (const std::size_t i : pool_.live_indexes(side)) {
        if (const auto twin = matched_twin(twins, side, i))
          flag({{side, i}}, BreakClass::duplicate,
               str_cat("repeats the matched ", side_name(side_of(side)), " record #",
                       pool_.item(side, *twin).ref().seq, " (same key, amount and date)"));
        else
          left[side].push_back(i);
      }
    }
    if (left[0].size() == 1 && left[1].size() == 1) {
      mismatch(left[0][0], left[1][0]);
      return;
    }
    for (int side = 0; side < 2; ++side) {
      const int other = 1 - side;
      for (const std::size_t i : left[side]) {
        std::string detail =
            str_cat("no ", side_name(side_of(other)), " record matches under this key");
        if (!left[other].empty())
          detail += str_cat("; ", left[other].size(), " unmatched ", side_name(side_of(other)),
                            " records share it");
        if (over_bound_)
          detail += "; the N:M search was over its bound";
        flag({{side, i}}, side == 0 ? pass_.a_missing : pass_.b_missing, std::move(detail));
      }
    }
  }

  // (amount, day, index) of every matched item of a side, sorted: a leftover's twin is found by
  // binary search, so a key with many records stays n log n.
  using Signature = std::tuple<std::int64_t, std::int32_t, std::size_t>;
  std::vector<Signature> matched_signatures(int side) const {
    std::vector<Signature> out;
    for (std::size_t j = 0; j < pool_.items[side].size(); ++j) {
      if (pool_.state[side][j] == State::matched)
        out.emplace_back(pool_.item(side, j).amount, pool_.item(side, j).day, j);
    }
    std::ranges::sort(out);
    return out;
  }

  std::optional<std::size_t> matched_twin(const std::vector<Signature>& twins,
                                          int side,
                                          std::size_t i) const {
    const MatchItem& x = pool_.item(side, i);
    const auto found = std::ranges::lower_bound(twins, Signature{x.amount, x.day, 0});
    if (found == twins.end() || std::get<0>(*found) != x.amount || std::get<1>(*found) != x.day)
      return std::nullopt;
    return std::get<2>(*found);
  }

  void mismatch(std::size_t a, std::size_t b) {
    const MatchItem& x = pool_.item(0, a);
    const MatchItem& y = pool_.item(1, b);
    const std::string amounts =
        str_cat(side_name(pass_.a_side), " ", amount_text(x.stated, x.currency), " on ",
                date_text(x.day), ", ", side_name(pass_.b_side), " ",
                amount_text(y.stated, y.currency), " on ", date_text(y.day));
    bool amounts_agree = false;
    for (const MatchRule& rule : rules_.rules)
      amounts_agree = amounts_agree || rule.tolerance.agrees(x.amount, y.amount);
    if (pass_.joint_loan && !amounts_agree) {
      flag({{0, a}, {1, b}}, BreakClass::allocation_mismatch,
           str_cat("partner's share at ", arena_.joint(x).share_bp, " bp is ",
                   amount_text(x.amount, x.currency), "; ", amounts));
      return;
    }
    flag({{0, a}, {1, b}}, amounts_agree ? BreakClass::date_mismatch : BreakClass::amount_mismatch,
         amounts);
  }

  std::optional<std::string> component_mismatch(const MatchItem& x, const MatchItem& y) const {
    std::string detail;
    const JointShare share = arena_.joint(x);
    const JointShare stated = arena_.joint(y);
    for (std::size_t c = 0; c < kComponentCount; ++c) {
      const std::uint8_t bit = static_cast<std::uint8_t>(1u << c);
      if (!(stated.component_mask & bit))
        continue;
      const std::int64_t expected = (share.component_mask & bit) ? share.components[c] : 0;
      if (expected != stated.components[c]) {
        detail += str_cat(detail.empty() ? "" : "; ", component_name(c), ": share ",
                          amount_text(expected, x.currency), ", partner states ",
                          amount_text(stated.components[c], y.currency));
      }
    }
    if (detail.empty())
      return std::nullopt;
    return str_cat("partner's share at ", share.share_bp, " bp, component by component: ", detail);
  }

  // ---- output ----

  Side side_of(int side) const { return side == 0 ? pass_.a_side : pass_.b_side; }

  void emit_group(const MatchRule& rule, const std::vector<std::pair<int, std::size_t>>& members) {
    GroupRow group;
    group.rule = static_cast<std::uint32_t>(&rule - rules_.rules.data());
    group.first = static_cast<std::uint32_t>(out_.members.size());
    group.count = static_cast<std::uint32_t>(members.size());
    std::size_t counts[2] = {0, 0};
    for (const auto& [side, i] : members) {
      TALLY_ASSERT(pool_.live(side, i));
      pool_.state[side][i] = State::matched;
      ++counts[side];
      ++out_.stats.matched[static_cast<int>(side_of(side)) - 1];
      out_.members.push_back(pool_.item(side, i).ref());
    }
    std::sort(out_.members.begin() + group.first, out_.members.end());
    group.kind = counts[0] == 1
                     ? (counts[1] == 1 ? GroupKind::one_to_one : GroupKind::one_to_many)
                     : (counts[1] == 1 ? GroupKind::many_to_one : GroupKind::many_to_many);
    out_.groups.push_back(group);
  }

  void flag(const std::vector<std::pair<int, std::size_t>>& members,
            BreakClass break_class,
            std::string detail) {
    Break result;
    result.break_class = break_class;
    result.detail = std::move(detail);
    std::int32_t first_day = kNoDay;
    std::uint64_t largest = 0;
    for (const auto& [side, i] : members) {
      TALLY_ASSERT(pool_.live(side, i));
      pool_.state[side][i] = State::flagged;
      const MatchItem& item = pool_.item(side, i);
      result.members.push_back(item.ref());
      if (item.day != kNoDay && (first_day == kNoDay || item.day < first_day))
        first_day = item.day;
      const std::uint64_t magnitude = amount_distance(item.stated, 0);
      if (result.members.size() == 1 || magnitude > largest) {
        largest = magnitude;
        result.amount_minor = item.stated;
      }
    }
    const MatchItem& first = pool_.item(members.front().first, members.front().second);
    if (const auto currency = Currency::from_numeric(first.currency))
      result.currency = currency->code();
    if (first_day != kNoDay)
      result.business_date = adapters::Date{std::chrono::sys_days{std::chrono::days{first_day}}};
    result.key = arena_.key(first);
    std::ranges::replace(result.key, '\x1f', '|');
    std::ranges::sort(result.members);
    out_.breaks.push_back(std::move(result));
  }

  const RuleSet& rules_;
  const BucketPass& pass_;
  const ItemArena& arena_;
  BucketOutput& out_;
  Pool pool_;
  bool over_bound_ = false;
};

// The common bucket, one record a side, paired by the first 1:1 rule they satisfy, without the
// general matcher's class and edge vectors (a dozen allocations a key). It gives exactly what
// BucketMatcher gives for such a bucket: one class a side, one edge, its own unique best. Anything
// else (another rule kind first, a joint loan, no rule satisfied: a break to classify) is left to
// BucketMatcher; false then, and nothing was emitted.
bool pair_single(const RuleSet& rules,
                 const BucketPass& pass,
                 const MatchItem& a,
                 const MatchItem& b,
                 BucketOutput& out) {
  if (pass.joint_loan || a.flags != 0 || b.flags != 0)
    return false;
  for (const MatchRule& rule : rules.rules) {
    if (rule.kind != RuleKind::one_to_one)
      return false;
    if (day_distance(a.day, b.day) > rule.date_window_days ||
        !rule.tolerance.agrees(a.amount, b.amount))
      continue;
    const MemberRef x = a.ref();
    const MemberRef y = b.ref();
    const auto first = static_cast<std::uint32_t>(out.members.size());
    out.members.push_back(std::min(x, y));
    out.members.push_back(std::max(x, y));
    out.groups.push_back(
        {static_cast<std::uint32_t>(&rule - rules.rules.data()), first, 2, GroupKind::one_to_one});
    ++out.stats.matched[static_cast<int>(pass.a_side) - 1];
    ++out.stats.matched[static_cast<int>(pass.b_side) - 1];
    return true;
  }
  return false;
}

}  // namespace

std::string_view group_kind_name(GroupKind kind) noexcept {
  switch (kind) {
    case GroupKind::one_to_one:
      return "1:1";
    case GroupKind::one_to_many:
      return "1:N";
    case GroupKind::many_to_one:
      return "N:1";
    case GroupKind::many_to_many:
      return "N:M";
  }
  return "";
}

void match_bucket(const RuleSet& rules,
                  const BucketPass& pass,
                  const ItemArena& arena,
                  std::span<const MatchItem> a,
                  std::span<const MatchItem> b,
                  BucketOutput& out) {
  if (a.size() == 1 && b.size() == 1 && pair_single(rules, pass, a[0], b[0], out))
    return;
  BucketMatcher(rules, pass, arena, a, b, out).run();
}

}  // namespace tally::reconcile
