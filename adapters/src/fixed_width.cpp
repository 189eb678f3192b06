#include <algorithm>

#include <tally/adapters/control_totals.hpp>
#include <tally/adapters/fixed_width.hpp>
#include <tally/adapters/line_reader.hpp>
#include <tally/adapters/record_mapping.hpp>
#include <tally/adapters/text_encoding.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

enum class Part { header, detail, trailer };

std::string_view part_name(Part part) {
  return part == Part::header ? "header" : part == Part::detail ? "detail" : "trailer";
}

class FixedWidthParser {
 public:
  FixedWidthParser(ByteSource& source,
                   const Profile& profile,
                   const ParseOptions& options,
                   const RecordSink& sink)
      : profile_(profile),
        layout_(profile.fixed_width),
        options_(options),
        sink_(sink),
        lines_(source, profile.max_record_bytes),
        mapping_(profile, slots_in_order(profile.fixed_width.detail.fields)),
        totals_(profile.fixed_width.trailer_totals) {}

  ParseReport run() {
    if (auto body = lines(); !body)
      error(0, 0, body.error().message);
    return std::move(report_);
  }

 private:
  void error(std::uint64_t line, std::size_t column, std::string reason) {
    report_.add_error(
        {{options_.file_id, line, "", 0}, static_cast<std::uint32_t>(column), std::move(reason)});
  }
  void flush(std::vector<FieldError>& found) {
    for (FieldError& e : found)
      error(e.line, e.column, std::move(e.reason));
    found.clear();
  }

  Result<void> lines() {
    for (;;) {
      TALLY_TRY(const auto line, lines_.next());
      if (!line)
        break;
      Line current = *line;
      if (current.number == 1 && profile_.encoding == TextEncoding::utf8) {
        const std::size_t bom = utf8_bom_length(current.bytes);  // columns count after it
        current.bytes = current.bytes.subspan(bom);
        current.byte_offset += bom;
      }
      if (current.bytes.empty())
        continue;
      TALLY_TRY_VOID(record(current));
    }
    if (layout_.header && !seen_header_)
      error(0, 0, "the file has no header record");
    if (layout_.trailer && !seen_trailer_)
      error(0, 0, "the file has no trailer record");
    return {};
  }

  std::optional<Part> part_of(const Line& line) {
    if (line.bytes.size() < layout_.tag_offset + layout_.tag_length) {
      error(line.number, line.bytes.size() + 1, "the record is too short for its type tag");
      return std::nullopt;
    }
    const auto tag = line.bytes.subspan(layout_.tag_offset, layout_.tag_length);
    const std::string_view text(reinterpret_cast<const char*>(tag.data()), tag.size());
    if (layout_.header && text == layout_.header->tag)
      return Part::header;
    if (text == layout_.detail.tag)
      return Part::detail;
    if (layout_.trailer && text == layout_.trailer->tag)
      return Part::trailer;
    error(line.number, layout_.tag_offset + 1,
          str_cat("unknown record type '", is_ascii(tag) ? text : "?", "'"));
    return std::nullopt;
  }

  const FixedRecordType& type_of(Part part) const {
    return part == Part::header   ? *layout_.header
           : part == Part::detail ? layout_.detail
                                  : *layout_.trailer;
  }

  // Record order: the header first, the trailer last, each once.
  bool in_order(Part part, const Line& line) {
    const bool first = line.number == first_line_;
    std::string_view problem;
    if (seen_trailer_)
      problem = "a record after the trailer";
    else if (part == Part::header && (seen_header_ || !first))
      problem = "the header must be the first record, and only one";
    else if (part != Part::header && layout_.header && !seen_header_)
      problem = "the file does not start with its header record";
    seen_header_ |= part == Part::header;
    seen_trailer_ |= part == Part::trailer;
    if (problem.empty())
      return true;
    error(line.number, 1, std::string(problem));
    return false;
  }

  using Cuts = std::vector<std::pair<std::size_t, std::size_t>>;  // (byte offset, field), sorted

  static Cuts sorted_cuts(const std::vector<FieldSpec>& fields) {
    Cuts cuts;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      cuts.emplace_back(fields[i].offset, i);
      cuts.emplace_back(fields[i].offset + fields[i].length, i);
    }
    std::sort(cuts.begin(), cuts.end());
    return cuts;
  }
  // The details' cuts are sorted once; the trailer's, read once per file, when needed.
  const Cuts& cuts_of(const std::vector<FieldSpec>& fields) {
    if (&fields == &layout_.detail.fields)
      return detail_cuts_;
    other_cuts_ = sorted_cuts(fields);
    return other_cuts_;
  }

  // The line's bytes are well-formed in the encoding and every cut of `fields` falls between
  // two characters; one pass over the line, ASCII bytes stepped over one at a time.
  bool cuts_whole_characters(const Line& line, const std::vector<FieldSpec>& fields) {
    if (is_ascii(line.bytes))
      return true;
    const Cuts& cuts = cuts_of(fields);
    const BytesView bytes = line.bytes;
    bool whole = true;
    std::size_t next_cut = 0;
    for (std::size_t pos = 0; pos < bytes.size();) {
      if (bytes[pos] < 0x80) {
        ++pos;
        if (pos + 8 <= bytes.size() && is_ascii(bytes.subspan(pos, 8)))
          pos += 8;  // runs of ASCII (digits, padding) a word at a time
        continue;
      }
      const std::size_t length = character_length(bytes.subspan(pos), profile_.encoding);
      if (length == 0) {
        error(line.number, pos + 1,
              str_cat(
                  "invalid ", text_encoding_name(profile_.encoding), " byte sequence starting 0x",
                  to_hex(bytes.subspan(pos, std::min<std::size_t>(2, bytes.size() - pos)), false)));
        return false;
      }
      while (next_cut < cuts.size() && cuts[next_cut].first <= pos)
        ++next_cut;
      std::optional<std::size_t> reported;  // a cut shared by two fields is one error
      for (; next_cut < cuts.size() && cuts[next_cut].first < pos + length; ++next_cut) {
        if (reported == cuts[next_cut].first)
          continue;
        reported = cuts[next_cut].first;
        const FieldSpec& spec = fields[cuts[next_cut].second];
        error(line.number, pos + 1,
              str_cat("field '", field_name(spec.field), "' (bytes ", spec.offset + 1, " to ",
                      spec.offset + spec.length, ") would split the ",
                      text_encoding_name(profile_.encoding), " character at byte ", pos + 1));
        whole = false;
      }
      pos += length;
    }
    return whole;
  }

  // Only after cuts_whole_characters: the line, so every field, is well-formed.
  void cut(const Line& line, const std::vector<FieldSpec>& fields) {
    row_.clear();
    for (const FieldSpec& spec : fields) {
      row_.push_back({line.bytes.subspan(spec.offset, spec.length), line.number,
                      static_cast<std::uint32_t>(spec.offset + 1), 0, true});
    }
  }

  Result<void> record(const Line& line) {
    if (first_line_ == 0)
      first_line_ = line.number;
    const auto part = part_of(line);
    if (!part || !in_order(*part, line))
      return {};
    const FixedRecordType& type = type_of(*part);
    if (line.bytes.size() != type.length) {
      error(
          line.number, std::min(line.bytes.size(), type.length) + 1,
          str_cat(part_name(*part), " record is ", line.bytes.size(), " bytes, not ", type.length));
      return {};
    }
    if (*part == Part::trailer)
      return trailer(line);
    if (!cuts_whole_characters(line, type.fields))
      return {};
    cut(line, type.fields);
    if (*part == Part::header)
      return header();
    return detail(line);
  }

  Result<void> header() {
    const auto it =
        std::ranges::find(layout_.header->fields, FieldId::business_date, &FieldSpec::field);
    if (it == layout_.header->fields.end())
      return {};
    const FieldText& field = row_[static_cast<std::size_t>(it - layout_.header->fields.begin())];
    auto text = mapping_.text(field, kFieldCount);
    auto date = text ? read_date(*text, profile_.dates) : Result<Date>(Date{});
    if (!text)
      error(field.line, field.column, text.error().reason);
    else if (!date)
      error(field.line, field.column, str_cat("header business_date: ", date.error().message));
    else
      business_date_ = *date;
    return {};
  }

  Result<void> detail(const Line& line) {
    auto record = mapping_.map(row_, field_errors_, business_date_);
    if (!record) {
      flush(field_errors_);
      return {};
    }
    record->institution = options_.institution;
    record->source = {options_.file_id, line.number, "", line.byte_offset};
    record->raw.assign(line.bytes.begin(), line.bytes.end());
    totals_.add(*record);
    report_.count_record();
    return sink_(std::move(*record));
  }

  Result<void> trailer(const Line& line) {
    const ControlTotals& spec = layout_.trailer_totals;
    std::vector<FieldSpec> fields;
    if (spec.has_count)
      fields.push_back(spec.count);
    if (spec.has_sum)
      fields.push_back(spec.sum);
    if (!cuts_whole_characters(line, fields))
      return {};
    cut(line, fields);
    const FieldText* count = spec.has_count ? &row_[0] : nullptr;
    const FieldText* sum = spec.has_sum ? &row_[spec.has_count ? 1 : 0] : nullptr;
    totals_.check(count, sum, profile_, mapping_, field_errors_);
    flush(field_errors_);
    return {};
  }

  const Profile& profile_;
  const FixedWidthLayout& layout_;
  const ParseOptions& options_;
  const RecordSink& sink_;
  LineReader lines_;
  RecordMapping mapping_;
  ControlTotalsCheck totals_;
  std::vector<FieldText> row_;
  Cuts detail_cuts_ = sorted_cuts(layout_.detail.fields);
  Cuts other_cuts_;
  std::vector<FieldError> field_errors_;
  std::optional<Date> business_date_;
  std::uint64_t first_line_ = 0;
  bool seen_header_ = false;
  bool seen_trailer_ = false;
  ParseReport report_;
};

}  // namespace

ParseReport parse_fixed_width(ByteSource& source,
                              const Profile& profile,
                              const ParseOptions& options,
                              const RecordSink& sink) {
  return FixedWidthParser(source, profile, options, sink).run();
}

}  // namespace tally::adapters
