#pragma once
// One row of fields (CSV columns or fixed-width cuts, still in the file's encoding) to a Record,
// as a profile says: decoding to UTF-8 (ASCII needs none), key normalisation, dates, amounts,
// direction, kind, components, term and funding ratio. Shared by the CSV and fixed-width
// parsers, which only find the fields; every problem of a row is reported, located at its field.

#include <array>
#include <cstdint>
#include <expected>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <tally/adapters/profile.hpp>
#include <tally/adapters/record.hpp>
#include <tally/core/bytes.hpp>

namespace tally::adapters {

struct FieldText {
  BytesView bytes;           // as in the file, in its encoding
  std::uint64_t line = 0;    // of the field's first byte
  std::uint32_t column = 0;  // 1-based byte column of the field's first byte in that line
  std::uint32_t number = 0;  // CSV: 1-based field number; 0 for fixed-width cuts
  // The parser already found the bytes well-formed in the file's encoding (in its one pass over
  // the row), so the mapping need not check them again; false means "not checked".
  bool well_formed = false;
};

struct FieldError {
  std::uint64_t line = 0;
  std::uint32_t column = 0;
  std::string reason;
};

inline constexpr std::size_t kUnmapped = std::numeric_limits<std::size_t>::max();
using FieldSlots = std::array<std::size_t, kFieldCount>;  // index of each field in a row

class RecordMapping {
 public:
  // The profile must outlive the mapping.
  RecordMapping(const Profile& profile, FieldSlots slots) : profile_(&profile), slots_(slots) {}

  // The Record of a row (no source, raw or institution: the parser knows those), or nullopt
  // with every problem of the row added to `errors`. `defaults` fills a business date the row
  // does not give (a fixed-width header's).
  std::optional<Record> map(std::span<const FieldText> row,
                            std::vector<FieldError>& errors,
                            std::optional<Date> default_business_date = std::nullopt);
  // The same into `record`, every field of which is set afresh (its strings keep their capacity,
  // so a record reused row after row allocates nothing); false when the row has errors, and
  // `record` then holds no meaningful value. map() is this into a new Record.
  bool map_into(std::span<const FieldText> row,
                std::vector<FieldError>& errors,
                Record& record,
                std::optional<Date> default_business_date = std::nullopt);

  // A field's text as UTF-8, trimmed; a view valid until the next call for the same slot.
  std::expected<std::string_view, FieldError> text(const FieldText& field, std::size_t slot);

 private:
  struct Row;
  // Most of a profile's fields are unmapped and a row asks for each: that answer stays inline, a
  // call and its register saves per field measured a fifth of a CSV parsing thread.
  std::optional<std::string_view> field(Row& row, FieldId id) {
    const std::size_t slot = slots_[static_cast<std::size_t>(id)];
    if (slot == kUnmapped)
      return std::nullopt;
    return mapped_field(row, id, slot);
  }
  std::optional<std::string_view> mapped_field(Row& row, FieldId id, std::size_t slot);
  void key(std::string_view text, const FieldText& where, Row& row, std::string& into);
  // Into `into` rather than returned, as amount(): GCC returned the optional through a stack slot
  // written in 1- and 2-byte pieces and read back whole, a store-forwarding stall per call
  // (a third of a CSV parsing thread's time, measured).
  void date(Row& row, FieldId id, std::optional<Date>& into);
  void amount(Row& row, FieldId id, Currency currency, std::optional<Amount>& into);
  std::optional<Currency> currency(Row& row);
  std::optional<Direction> direction(Row& row, Amount& amount);
  void fill_details(Row& row, Record& record);

  const Profile* profile_;
  FieldSlots slots_;
  std::array<std::string, kFieldCount + 2> scratch_;  // decoded non-ASCII text, reused
  std::optional<Currency> last_currency_;
};

// A profile's key normalisation of a UTF-8 string: NFKC, trim, ASCII upper case (after NFKC,
// fullwidth letters are ASCII).
Result<std::string> normalize_key(std::string_view text, const KeyNormalization& keys);
// The same into `out` (replacing what it held): no temporary string.
Result<void> normalize_key_into(std::string_view text,
                                const KeyNormalization& keys,
                                std::string& out);

// Where each field of `fields` sits: slot i for the i-th spec (fixed-width cuts in order).
FieldSlots slots_in_order(const std::vector<FieldSpec>& fields);

}  // namespace tally::adapters
