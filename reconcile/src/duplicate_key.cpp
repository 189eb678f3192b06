#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include <tally/core/hash.hpp>
#include <tally/reconcile/duplicate_key.hpp>

namespace tally::reconcile {
namespace {

bool identifies(std::string_view id) {
  return !id.empty() && id != "NOTPROVIDED";
}

// Fields are written length-prefixed, so no two different records serialise alike.
class KeyWriter {
 public:
  void text(std::string_view value) {
    integer(static_cast<std::int64_t>(value.size()));
    bytes_.append(value);
  }
  void integer(std::int64_t value) {
    for (int shift = 0; shift < 64; shift += 8)
      bytes_.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> shift) & 0xff));
  }
  void date(const std::optional<adapters::Date>& value) {
    integer(value ? 1 : 0);
    if (!value)
      return;
    integer(static_cast<int>(value->year()));
    integer(static_cast<unsigned>(value->month()));
    integer(static_cast<unsigned>(value->day()));
  }
  void amount(const std::optional<Amount>& value) {
    integer(value ? 1 : 0);
    if (value)
      integer(value->minor_units());
  }
  void optional(const std::optional<std::uint32_t>& value) {
    integer(value ? 1 : 0);
    if (value)
      integer(*value);
  }
  Hash256 digest() const { return sha256(as_bytes(bytes_)); }

 private:
  std::string bytes_;
};

}  // namespace

std::optional<Hash256> duplicate_key(const adapters::Record& record) {
  if (!identifies(record.reference) && !identifies(record.end_to_end_id) &&
      !identifies(record.loan_id))
    return std::nullopt;
  KeyWriter key;
  key.text(record.institution);
  key.text(record.counterparty);
  key.text(record.account);
  key.date(record.business_date);
  key.date(record.value_date);
  key.date(record.booking_date);
  key.integer(static_cast<std::int64_t>(record.kind));
  key.text(record.reference);
  key.text(record.loan_id);
  key.text(record.end_to_end_id);
  key.text(record.amount.currency().code());
  key.integer(record.amount.minor_units());
  key.integer(static_cast<std::int64_t>(record.direction));
  key.amount(record.components.principal);
  key.amount(record.components.interest);
  key.amount(record.components.penalty_interest);
  key.amount(record.components.fee);
  key.optional(record.term);
  key.optional(record.funding_ratio_bp);
  key.text(record.text);
  return key.digest();
}

DuplicateMark duplicate_mark(const Hash256& key, std::uint64_t seq) {
  DuplicateMark mark;
  std::memcpy(&mark.key_prefix, key.view().data(), sizeof mark.key_prefix);
  mark.seq = seq;
  return mark;
}

Result<std::vector<DuplicatePair>> duplicate_pairs(std::vector<DuplicateMark>& marks,
                                                   std::size_t limit,
                                                   const WholeKeyReader& whole_key) {
  std::vector<DuplicatePair> best;  // a max-heap by later seq, at most `limit`
  if (limit == 0)
    return best;
  // Whether a pair whose later record is `seq` can no longer make the result.
  const auto beyond = [&](std::uint64_t seq) {
    return best.size() == limit && seq > best.front().later;
  };
  std::sort(marks.begin(), marks.end());
  std::vector<std::pair<Hash256, std::uint64_t>> firsts;  // of one run: whole key, first seq
  for (auto run = marks.begin(); run != marks.end();) {
    const auto end = std::find_if(run, marks.end(), [&](const DuplicateMark& mark) {
      return mark.key_prefix != run->key_prefix;
    });
    // A lone prefix repeats nothing. A run is in seq order: every pair's later record is at
    // least its second mark, and once its marks are beyond the result, the rest are too.
    firsts.clear();
    const bool may_pair = end - run > 1 && !beyond(std::next(run)->seq);
    for (auto mark = run; may_pair && mark != end && !beyond(mark->seq); ++mark) {
      TALLY_TRY(const Hash256 key, whole_key(mark->seq));
      const auto first = std::find_if(firsts.begin(), firsts.end(),
                                      [&](const auto& seen) { return seen.first == key; });
      if (first == firsts.end()) {
        firsts.emplace_back(key, mark->seq);
        continue;
      }
      best.push_back({mark->seq, first->second});
      std::push_heap(best.begin(), best.end());
      if (best.size() > limit) {
        std::pop_heap(best.begin(), best.end());
        best.pop_back();
      }
    }
    run = end;
  }
  std::sort_heap(best.begin(), best.end());
  return best;
}

}  // namespace tally::reconcile
