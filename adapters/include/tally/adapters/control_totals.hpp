#pragma once
// A trailer's control totals (record count, sum of amounts) against the records actually read.
// Shared by the CSV and fixed-width parsers.

#include <cstdint>
#include <optional>
#include <vector>

#include <tally/adapters/profile.hpp>
#include <tally/adapters/record_mapping.hpp>

namespace tally::adapters {

class ControlTotalsCheck {
 public:
  explicit ControlTotalsCheck(const ControlTotals& spec) : spec_(spec) {}

  void add(const Record& record) noexcept;
  std::uint64_t count() const noexcept { return count_; }

  // Compares the trailer's count and sum fields (still in the file's encoding) with what was
  // added; a mismatch or an unreadable total is an error located at its field.
  void check(const FieldText* count_field,
             const FieldText* sum_field,
             const Profile& profile,
             RecordMapping& mapping,
             std::vector<FieldError>& errors) const;

 private:
  const ControlTotals& spec_;
  std::uint64_t count_ = 0;
  std::int64_t sum_ = 0;  // minor units
  bool overflow_ = false;
  std::optional<Currency> currency_;
  bool mixed_currencies_ = false;
};

}  // namespace tally::adapters
