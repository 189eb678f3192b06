#pragma once
// A file profile: how one institution's files of one format are read (schemas/profiles/*.json,
// described by schemas/profiles/profile.schema.json). For CSV and fixed-width files it says the
// encoding, where the header and trailer are, which column or byte range holds each Record field,
// and how dates, amounts, directions and kinds are written. For camt, MT940 and BAI2 only the
// institution and key normalisation apply: the format itself says the rest.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tally/adapters/field_formats.hpp>
#include <tally/adapters/record.hpp>
#include <tally/adapters/text_encoding.hpp>
#include <tally/core/currency.hpp>

namespace tally::adapters {

enum class ProfileFormat : std::uint8_t { csv = 1, fixed_width, camt, mt940, bai2 };
Result<ProfileFormat> parse_profile_format(std::string_view name);

// Where a Record's values come from; the names are those of a profile's "fields" object.
enum class FieldId : std::uint8_t {
  account,
  counterparty,
  reference,
  loan_id,
  end_to_end_id,
  business_date,
  value_date,
  booking_date,
  currency,
  amount,
  debit_amount,  // separate debit and credit columns: exactly one holds the amount
  credit_amount,
  direction,  // a D/C indicator, read through DirectionRule::values
  kind,       // read through KindRule::values
  principal,
  interest,
  penalty_interest,
  fee,
  term,
  funding_ratio,
  text,
};
inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(FieldId::text) + 1;
std::string_view field_name(FieldId field) noexcept;
Result<FieldId> parse_field_name(std::string_view name);

// Where a field is: a CSV column by header name or 0-based index, or a fixed-width byte range.
struct FieldSpec {
  FieldId field = FieldId::text;
  std::string header;                // CSV: the column's header text (trimmed, NFKC-folded)
  std::optional<std::size_t> index;  // CSV: 0-based column when there is no header name
  std::size_t offset = 0;            // fixed-width: first byte in the record, 0-based
  std::size_t length = 0;            // fixed-width: bytes
};

struct DirectionRule {
  enum class From : std::uint8_t { sign, indicator, columns };
  From from = From::sign;
  Direction when_negative = Direction::debit;             // From::sign
  std::vector<std::pair<std::string, Direction>> values;  // From::indicator: "D" -> debit
};

struct KindRule {
  std::optional<RecordKind> fixed;                         // every record is of this kind
  std::vector<std::pair<std::string, RecordKind>> values;  // the kind field's text -> kind
};

// Applied to account, reference, loan id and end-to-end id (keys that are matched on).
struct KeyNormalization {
  bool trim = true;
  bool nfkc = true;
  bool upper_case = false;  // ASCII letters only: after NFKC, fullwidth letters are ASCII
};

// A trailer carrying control totals: the record count and the sum of the amounts.
struct ControlTotals {
  bool net = false;  // the sum is credits minus debits; else the sum of the unsigned amounts
  FieldSpec count;   // field FieldId::text, position only
  FieldSpec sum;
  bool has_count = false;
  bool has_sum = false;
};

struct CsvLayout {
  char delimiter = ',';
  char quote = '"';
  std::size_t skip_lines = 0;  // preamble lines before the header (or the first record)
  bool header_row = true;      // after the skipped lines; found by its names when find_header
  bool find_header = false;    // the header is the first row holding every named column
  std::optional<std::size_t> trailer_tag_column;  // a row whose column holds trailer_tag ends
  std::string trailer_tag;                        // the data ("合计", "TOTAL")
  ControlTotals trailer;                          // positions are 0-based column indexes
};

struct FixedRecordType {
  std::string tag;
  std::size_t length = 0;  // bytes per record, without the line end
  std::vector<FieldSpec> fields;
};

struct FixedWidthLayout {
  std::size_t tag_offset = 0;
  std::size_t tag_length = 1;
  std::optional<FixedRecordType> header;  // its business_date, if mapped, is the details' default
  FixedRecordType detail;
  std::optional<FixedRecordType> trailer;
  ControlTotals trailer_totals;  // byte ranges in the trailer record
};

struct Profile {
  std::string name;
  std::string institution;
  ProfileFormat format = ProfileFormat::csv;
  TextEncoding encoding = TextEncoding::utf8;
  std::vector<FieldSpec> fields;  // CSV fields; fixed-width ones live in the record types
  std::vector<DatePattern> dates;
  AmountNotation amounts;
  std::optional<Currency> currency;  // when no currency field, or when it is empty
  DirectionRule direction;
  KindRule kind;
  KeyNormalization keys;
  std::size_t max_record_bytes = 64 * 1024;
  CsvLayout csv;
  FixedWidthLayout fixed_width;
};

}  // namespace tally::adapters
