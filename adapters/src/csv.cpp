#include <algorithm>

#include <tally/adapters/control_totals.hpp>
#include <tally/adapters/csv.hpp>
#include <tally/adapters/csv_tokenizer.hpp>
#include <tally/adapters/record_mapping.hpp>
#include <tally/adapters/text_encoding.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

class CsvParser {
 public:
  // Exactly one of `sink` and `view_sink` is given.
  CsvParser(ByteSource& source,
            const Profile& profile,
            const ParseOptions& options,
            const RecordSink* sink,
            const RecordViewSink* view_sink)
      : profile_(profile),
        options_(options),
        sink_(sink),
        view_sink_(view_sink),
        tokenizer_(source,
                   {profile.csv.delimiter, profile.csv.quote, profile.encoding},
                   profile.max_record_bytes),
        mapping_(profile, {}),
        totals_(profile.csv.trailer) {}

  ParseReport run() {
    if (auto read = start(); !read) {
      fatal(read.error());
    } else if (*read) {
      if (auto body = rows(); !body)
        fatal(body.error());
    }
    return std::move(report_);
  }

 private:
  void error(std::uint64_t line, std::uint32_t column, std::string reason) {
    report_.add_error({{options_.file_id, line, "", 0}, column, std::move(reason)});
  }
  void errors(std::vector<FieldError>& found) {
    for (FieldError& e : found)
      error(e.line, e.column, std::move(e.reason));
    found.clear();
  }
  void fatal(const Error& e) { error(0, 0, e.message); }

  // Preamble and header; false when the file ends first (reported).
  Result<bool> start() {
    if (profile_.encoding == TextEncoding::utf8)
      TALLY_TRY_VOID(tokenizer_.skip_bom());
    for (std::size_t i = 0; i < profile_.csv.skip_lines; ++i) {
      TALLY_TRY(const bool more, tokenizer_.skip_line());
      if (!more) {
        error(0, 0,
              str_cat("the file ends within its ", profile_.csv.skip_lines, " preamble lines"));
        return false;
      }
    }
    if (!profile_.csv.header_row) {
      FieldSlots slots;
      slots.fill(kUnmapped);
      for (const FieldSpec& spec : profile_.fields)
        slots[static_cast<std::size_t>(spec.field)] = *spec.index;
      mapping_ = RecordMapping(profile_, slots);
      return true;
    }
    return header();
  }

  // Header names compare trimmed and NFKC-folded, so fullwidth and halfwidth spellings match.
  std::string folded(std::string_view text) {
    auto out = nfkc_fold(trim_text(text));
    return out ? std::string(trim_text(*out)) : std::string(text);
  }

  Result<bool> header() {
    wanted_.clear();
    for (const FieldSpec& spec : profile_.fields)
      wanted_.push_back(folded(spec.header));  // once, not per candidate row
    const std::size_t searched = profile_.csv.find_header ? kCsvMaxPreambleRows : 1;
    for (std::size_t i = 0; i < searched;) {
      TALLY_TRY(const bool more, tokenizer_.next(row_));
      if (!more)
        break;
      if (row_.blank())
        continue;
      ++i;
      std::vector<std::string> names;
      for (const FieldText& field : row_.fields) {
        auto text = mapping_.text(field, 0);
        names.push_back(text ? folded(*text) : std::string());
      }
      if (auto slots = resolve(names); slots) {
        mapping_ = RecordMapping(profile_, *slots);
        return true;
      } else if (!profile_.csv.find_header) {
        error(row_.line, 1, slots.error().message);
        return false;
      }
    }
    error(0, 0,
          profile_.csv.find_header
              ? str_cat("no header row naming every mapped column in the first ",
                        kCsvMaxPreambleRows, " rows")
              : "the file has no header row");
    return false;
  }

  Result<FieldSlots> resolve(const std::vector<std::string>& names) {
    FieldSlots slots;
    slots.fill(kUnmapped);
    for (std::size_t i = 0; i < profile_.fields.size(); ++i) {
      const FieldSpec& spec = profile_.fields[i];
      if (spec.index) {
        slots[static_cast<std::size_t>(spec.field)] = *spec.index;
        continue;
      }
      const auto it = std::ranges::find(names, wanted_[i]);
      if (it == names.end()) {
        return fail(Errc::not_found, str_cat("header: no column '", spec.header, "' for field '",
                                             field_name(spec.field), "'"));
      }
      slots[static_cast<std::size_t>(spec.field)] = static_cast<std::size_t>(it - names.begin());
    }
    return slots;
  }

  bool is_trailer() {
    const auto& column = profile_.csv.trailer_tag_column;
    if (!column || *column >= row_.fields.size())
      return false;
    auto text = mapping_.text(row_.fields[*column], kFieldCount);
    return text && *text == profile_.csv.trailer_tag;
  }

  void trailer() {
    const ControlTotals& spec = profile_.csv.trailer;
    const auto field_at = [&](bool has, const FieldSpec& position) -> const FieldText* {
      if (!has)
        return nullptr;
      const std::size_t index = position.index.value_or(0);
      if (index < row_.fields.size())
        return &row_.fields[index];
      error(row_.line, 1, str_cat("trailer: no field ", index + 1));
      return nullptr;
    };
    totals_.check(field_at(spec.has_count, spec.count), field_at(spec.has_sum, spec.sum), profile_,
                  mapping_, field_errors_);
    errors(field_errors_);
  }

  Result<void> rows() {
    bool after_trailer = false;
    for (;;) {
      TALLY_TRY(const bool more, tokenizer_.next(row_));
      if (!more)
        break;
      if (row_.blank())
        continue;
      if (after_trailer) {
        error(row_.line, 1, "a row after the trailer");
        continue;
      }
      if (!row_.problems.empty()) {
        errors(row_.problems);
        continue;
      }
      if (is_trailer()) {
        after_trailer = true;
        trailer();
        continue;
      }
      TALLY_TRY_VOID(data_row());
    }
    if (profile_.csv.trailer_tag_column && !after_trailer)
      error(0, 0, str_cat("the file has no trailer row ('", profile_.csv.trailer_tag, "')"));
    return {};
  }

  // Both sinks get the record of the same mapping (so a row is refused by both or by neither);
  // the view sink's is one Record reused row after row, without raw bytes.
  Result<void> data_row() {
    if (view_sink_ != nullptr) {
      if (!mapping_.map_into(row_.fields, field_errors_, reused_)) {
        errors(field_errors_);
        return {};
      }
      reused_.institution.assign(options_.institution);
      reused_.source.file_id.assign(options_.file_id);
      reused_.source.line = row_.line;
      reused_.source.byte_offset = row_.byte_offset;
      totals_.add(reused_);
      report_.count_record();
      return (*view_sink_)(reused_);
    }
    auto record = mapping_.map(row_.fields, field_errors_);
    if (!record) {
      errors(field_errors_);
      return {};
    }
    record->institution = options_.institution;
    record->source = {options_.file_id, row_.line, "", row_.byte_offset};
    record->raw.assign(row_.raw.begin(), row_.raw.end());
    totals_.add(*record);
    report_.count_record();
    return (*sink_)(std::move(*record));
  }

  const Profile& profile_;
  const ParseOptions& options_;
  const RecordSink* sink_;
  const RecordViewSink* view_sink_;
  Record reused_{Amount::zero(Currency::all().front()), Direction::credit};  // the view sink's
  CsvTokenizer tokenizer_;
  RecordMapping mapping_;
  ControlTotalsCheck totals_;
  CsvRow row_;
  std::vector<std::string> wanted_;  // the profile's column names, folded as header cells are
  std::vector<FieldError> field_errors_;
  ParseReport report_;
};

}  // namespace

ParseReport parse_csv(ByteSource& source,
                      const Profile& profile,
                      const ParseOptions& options,
                      const RecordSink& sink) {
  return CsvParser(source, profile, options, &sink, nullptr).run();
}

ParseReport parse_csv_view(ByteSource& source,
                           const Profile& profile,
                           const ParseOptions& options,
                           const RecordViewSink& sink) {
  return CsvParser(source, profile, options, nullptr, &sink).run();
}

}  // namespace tally::adapters
