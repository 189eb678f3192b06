#include <algorithm>

#include <boost/json/value.hpp>

#include <tally/adapters/profile_loader.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/schemas/json_schema.hpp>
#include <tally/schemas/schemas.hpp>

namespace tally::adapters {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxProfileBytes = 256 * 1024;
constexpr std::size_t kMaxRecordBytesLimit = 1024 * 1024;

// Reads one JSON object, each error naming its JSON Pointer. The first error ends the load: a
// profile is written by people, who fix one thing at a time.
class Reader {
 public:
  Reader(const json::object& object, std::string pointer)
      : object_(object), pointer_(std::move(pointer)) {}

  Result<const json::value*> find(std::string_view key, bool required) const {
    const json::value* value = object_.if_contains(key);
    if (value == nullptr && required)
      return bad(key, "is required");
    return value;
  }
  Result<std::optional<std::string>> string(std::string_view key, bool required = false) const {
    TALLY_TRY(const json::value* value, find(key, required));
    if (value == nullptr)
      return std::optional<std::string>();
    if (!value->is_string())
      return bad(key, "must be a string");
    return std::optional<std::string>(std::string(value->get_string()));
  }
  Result<std::optional<std::uint64_t>> number(std::string_view key, std::uint64_t max) const {
    TALLY_TRY(const json::value* value, find(key, false));
    if (value == nullptr)
      return std::optional<std::uint64_t>();
    const auto* integer = value->if_int64();
    if (integer == nullptr || *integer < 0 || static_cast<std::uint64_t>(*integer) > max)
      return bad(key, str_cat("must be an integer from 0 to ", max));
    return std::optional<std::uint64_t>(static_cast<std::uint64_t>(*integer));
  }
  Result<std::optional<bool>> boolean(std::string_view key) const {
    TALLY_TRY(const json::value* value, find(key, false));
    if (value == nullptr)
      return std::optional<bool>();
    if (!value->is_bool())
      return bad(key, "must be true or false");
    return std::optional<bool>(value->get_bool());
  }
  Result<std::optional<Reader>> object(std::string_view key, bool required = false) const {
    TALLY_TRY(const json::value* value, find(key, required));
    if (value == nullptr)
      return std::optional<Reader>();
    if (!value->is_object())
      return bad(key, "must be an object");
    return std::optional<Reader>(Reader(value->get_object(), child(key)));
  }
  // Strings of an array value.
  Result<std::vector<std::string>> strings(std::string_view key) const {
    std::vector<std::string> out;
    TALLY_TRY(const json::value* value, find(key, false));
    if (value == nullptr)
      return out;
    if (!value->is_array())
      return bad(key, "must be an array of strings");
    for (const json::value& item : value->get_array()) {
      if (!item.is_string())
        return bad(key, "must be an array of strings");
      out.emplace_back(item.get_string());
    }
    return out;
  }
  // Refuses members not in `known`, so a misspelt option is not silently ignored.
  Result<void> only(std::initializer_list<std::string_view> known) const {
    for (const auto& member : object_) {
      if (std::find(known.begin(), known.end(), std::string_view(member.key())) == known.end())
        return bad(member.key(), "is not a known property");
    }
    return {};
  }
  std::string child(std::string_view key) const { return str_cat(pointer_, "/", key); }
  std::unexpected<Error> bad(std::string_view key, std::string_view why) const {
    return fail(Errc::invalid_argument, str_cat(child(key), ": ", why));
  }
  const json::object& raw() const noexcept { return object_; }
  const std::string& pointer() const noexcept { return pointer_; }

 private:
  const json::object& object_;
  std::string pointer_;
};

Result<char> single_byte(const Reader& reader, std::string_view key, char fallback) {
  TALLY_TRY(const auto text, reader.string(key));
  if (!text)
    return fallback;
  if (text->size() != 1 || static_cast<unsigned char>((*text)[0]) >= 0x80)
    return reader.bad(key, "must be one ASCII character");
  return (*text)[0];
}

// A field position: {"column": "金额"} or {"index": 3} (CSV), {"offset": 10, "length": 8}.
Result<FieldSpec> read_position(const Reader& reader, FieldId field, ProfileFormat format) {
  FieldSpec spec;
  spec.field = field;
  if (format == ProfileFormat::csv) {
    TALLY_TRY_VOID(reader.only({"column", "index"}));
    TALLY_TRY(const auto column, reader.string("column"));
    TALLY_TRY(const auto index, reader.number("index", 4096));
    if (column.has_value() == index.has_value())
      return reader.bad("column", "give either a header name (column) or an index");
    spec.header = column.value_or("");
    if (index)
      spec.index = static_cast<std::size_t>(*index);
    return spec;
  }
  TALLY_TRY_VOID(reader.only({"offset", "length"}));
  TALLY_TRY(const auto offset, reader.number("offset", kMaxRecordBytesLimit));
  TALLY_TRY(const auto length, reader.number("length", kMaxRecordBytesLimit));
  if (!offset || !length || *length == 0)
    return reader.bad("length", "a fixed-width field needs an offset and a length of at least 1");
  spec.offset = static_cast<std::size_t>(*offset);
  spec.length = static_cast<std::size_t>(*length);
  return spec;
}

Result<std::vector<FieldSpec>> read_fields(const Reader& reader, ProfileFormat format) {
  std::vector<FieldSpec> out;
  for (const auto& member : reader.raw()) {
    auto field = parse_field_name(member.key());
    if (!field)
      return reader.bad(member.key(), "is not a Record field");
    TALLY_TRY(const auto position, reader.object(member.key()));
    TALLY_TRY(FieldSpec spec, read_position(*position, *field, format));
    out.push_back(std::move(spec));
  }
  return out;
}

Result<void> read_formats(const Reader& root, Profile& profile) {
  TALLY_TRY(const auto dates, root.strings("dates"));
  for (const std::string& pattern : dates) {
    auto parsed = DatePattern::parse(pattern);
    if (!parsed)
      return root.bad("dates", parsed.error().message);
    profile.dates.push_back(std::move(*parsed));
  }
  TALLY_TRY(const auto amounts, root.object("amounts"));
  if (amounts) {
    TALLY_TRY_VOID(amounts->only(
        {"decimal_separator", "grouping_separator", "strip", "negative", "implied_decimals"}));
    TALLY_TRY(profile.amounts.decimal_separator, single_byte(*amounts, "decimal_separator", '.'));
    TALLY_TRY(profile.amounts.grouping_separator,
              single_byte(*amounts, "grouping_separator", '\0'));
    TALLY_TRY(profile.amounts.strip, amounts->strings("strip"));
    TALLY_TRY(const auto negatives, amounts->strings("negative"));
    if (!negatives.empty())
      profile.amounts.negatives = 0;
    for (const std::string& name : negatives) {
      auto bit = parse_negative_notation(name);
      if (!bit)
        return amounts->bad("negative", bit.error().message);
      profile.amounts.negatives |= *bit;
    }
    TALLY_TRY(const auto implied, amounts->number("implied_decimals", 8));
    if (implied)
      profile.amounts.implied_decimals = static_cast<int>(*implied);
  }
  TALLY_TRY(const auto currency, root.string("currency"));
  if (currency) {
    auto parsed = Currency::from_code(*currency);
    if (!parsed)
      return root.bad("currency", parsed.error().message);
    profile.currency = *parsed;
  }
  return {};
}

Result<Direction> direction_value(const Reader& reader,
                                  std::string_view key,
                                  const json::value& value) {
  if (value == "debit")
    return Direction::debit;
  if (value == "credit")
    return Direction::credit;
  return reader.bad(key, "must be \"debit\" or \"credit\"");
}

Result<void> read_rules(const Reader& root, Profile& profile) {
  TALLY_TRY(const auto direction, root.object("direction"));
  if (direction) {
    TALLY_TRY_VOID(direction->only({"from", "negative", "values"}));
    TALLY_TRY(const auto from, direction->string("from", true));
    if (*from == "sign")
      profile.direction.from = DirectionRule::From::sign;
    else if (*from == "indicator")
      profile.direction.from = DirectionRule::From::indicator;
    else if (*from == "columns")
      profile.direction.from = DirectionRule::From::columns;
    else
      return direction->bad("from", "must be sign, indicator or columns");
    TALLY_TRY(const json::value* negative, direction->find("negative", false));
    if (negative != nullptr) {
      TALLY_TRY(profile.direction.when_negative,
                direction_value(*direction, "negative", *negative));
    }
    TALLY_TRY(const auto values, direction->object("values"));
    if (values) {
      for (const auto& member : values->raw()) {
        TALLY_TRY(const Direction value, direction_value(*values, member.key(), member.value()));
        profile.direction.values.emplace_back(std::string(member.key()), value);
      }
    }
  }
  TALLY_TRY(const auto kind, root.object("kind"));
  if (kind) {
    TALLY_TRY_VOID(kind->only({"fixed", "values"}));
    TALLY_TRY(const auto fixed, kind->string("fixed"));
    if (fixed) {
      auto parsed = parse_record_kind(*fixed);
      if (!parsed)
        return kind->bad("fixed", parsed.error().message);
      profile.kind.fixed = *parsed;
    }
    TALLY_TRY(const auto values, kind->object("values"));
    if (values) {
      for (const auto& member : values->raw()) {
        auto parsed = member.value().is_string() ? parse_record_kind(member.value().get_string())
                                                 : parse_record_kind("");
        if (!parsed)
          return values->bad(member.key(), parsed.error().message);
        profile.kind.values.emplace_back(std::string(member.key()), *parsed);
      }
    }
  }
  TALLY_TRY(const auto keys, root.object("keys"));
  if (keys) {
    TALLY_TRY_VOID(keys->only({"trim", "nfkc", "upper_case"}));
    TALLY_TRY(const auto trim, keys->boolean("trim"));
    TALLY_TRY(const auto nfkc, keys->boolean("nfkc"));
    TALLY_TRY(const auto upper, keys->boolean("upper_case"));
    profile.keys = {trim.value_or(true), nfkc.value_or(true), upper.value_or(false)};
  }
  return {};
}

Result<void> read_totals(const Reader& reader, ProfileFormat format, ControlTotals& totals) {
  TALLY_TRY(const auto net, reader.boolean("net"));
  totals.net = net.value_or(false);
  for (const auto& [key, spec, has] : {std::tuple{"count", &totals.count, &totals.has_count},
                                       std::tuple{"sum", &totals.sum, &totals.has_sum}}) {
    TALLY_TRY(const auto position, reader.object(key));
    if (position) {
      TALLY_TRY(*spec, read_position(*position, FieldId::text, format));
      *has = true;
    }
  }
  return {};
}

Result<void> read_csv(const Reader& root, Profile& profile) {
  TALLY_TRY(const auto csv, root.object("csv"));
  if (!csv)
    return {};
  TALLY_TRY_VOID(csv->only({"delimiter", "quote", "skip_lines", "header", "trailer"}));
  TALLY_TRY(profile.csv.delimiter, single_byte(*csv, "delimiter", ','));
  TALLY_TRY(profile.csv.quote, single_byte(*csv, "quote", '"'));
  TALLY_TRY(const auto skip, csv->number("skip_lines", 1000));
  profile.csv.skip_lines = static_cast<std::size_t>(skip.value_or(0));
  TALLY_TRY(const auto header, csv->string("header"));
  const std::string mode = header.value_or("row");
  if (mode != "row" && mode != "none" && mode != "find")
    return csv->bad("header", "must be row, none or find");
  profile.csv.header_row = mode != "none";
  profile.csv.find_header = mode == "find";
  TALLY_TRY(const auto trailer, csv->object("trailer"));
  if (trailer) {
    TALLY_TRY_VOID(trailer->only({"tag_column", "tag", "count", "sum", "net"}));
    TALLY_TRY(const auto column, trailer->number("tag_column", 4096));
    TALLY_TRY(const auto tag, trailer->string("tag", true));
    profile.csv.trailer_tag_column = static_cast<std::size_t>(column.value_or(0));
    profile.csv.trailer_tag = *tag;
    TALLY_TRY_VOID(read_totals(*trailer, ProfileFormat::csv, profile.csv.trailer));
  }
  return {};
}

Result<FixedRecordType> read_record_type(const Reader& reader, bool with_fields) {
  FixedRecordType type;
  TALLY_TRY(const auto tag, reader.string("tag", true));
  TALLY_TRY(const auto length, reader.number("length", kMaxRecordBytesLimit));
  if (!length || *length == 0)
    return reader.bad("length", "is required: the record's length in bytes");
  type.tag = *tag;
  type.length = static_cast<std::size_t>(*length);
  if (with_fields) {
    TALLY_TRY(const auto fields, reader.object("fields", false));
    if (fields) {
      TALLY_TRY(type.fields, read_fields(*fields, ProfileFormat::fixed_width));
    }
  }
  return type;
}

Result<void> read_fixed_width(const Reader& root, Profile& profile) {
  TALLY_TRY(const auto layout, root.object("fixed_width"));
  if (!layout)
    return root.bad("fixed_width", "is required for the fixed_width format");
  TALLY_TRY_VOID(layout->only({"tag", "header", "detail", "trailer"}));
  FixedWidthLayout& out = profile.fixed_width;
  TALLY_TRY(const auto tag, layout->object("tag", true));
  TALLY_TRY(const auto tag_offset, tag->number("offset", kMaxRecordBytesLimit));
  TALLY_TRY(const auto tag_length, tag->number("length", 16));
  out.tag_offset = static_cast<std::size_t>(tag_offset.value_or(0));
  out.tag_length = static_cast<std::size_t>(tag_length.value_or(1));
  TALLY_TRY(const auto header, layout->object("header"));
  if (header) {
    TALLY_TRY_VOID(header->only({"tag", "length", "fields"}));
    TALLY_TRY(out.header, read_record_type(*header, true));
  }
  TALLY_TRY(const auto detail, layout->object("detail", true));
  TALLY_TRY_VOID(detail->only({"tag", "length", "fields"}));
  TALLY_TRY(out.detail, read_record_type(*detail, true));
  TALLY_TRY(const auto trailer, layout->object("trailer"));
  if (trailer) {
    TALLY_TRY_VOID(trailer->only({"tag", "length", "count", "sum", "net"}));
    TALLY_TRY(out.trailer, read_record_type(*trailer, false));
    TALLY_TRY_VOID(read_totals(*trailer, ProfileFormat::fixed_width, out.trailer_totals));
  }
  return {};
}

const FieldSpec* find_field(const std::vector<FieldSpec>& fields, FieldId id) {
  const auto it = std::ranges::find(fields, id, &FieldSpec::field);
  return it == fields.end() ? nullptr : &*it;
}

using NamedCut = std::pair<std::string_view, const FieldSpec*>;

std::string describe(const NamedCut& cut) {
  return str_cat("'", cut.first, "' (offset ", cut.second->offset, ", length ", cut.second->length,
                 ")");
}

// Fixed-width fields must lie inside their record, clear of the tag and of each other.
Result<void> check_record_type(const FixedRecordType& type,
                               std::string_view what,
                               const FixedWidthLayout& layout,
                               std::vector<NamedCut> cuts) {
  for (const FieldSpec& spec : type.fields)
    cuts.emplace_back(field_name(spec.field), &spec);
  if (layout.tag_offset + layout.tag_length > type.length) {
    return fail(Errc::invalid_argument,
                str_cat(what, " record: the tag is past its length ", type.length));
  }
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    const FieldSpec& a = *cuts[i].second;
    if (a.offset + a.length > type.length) {
      return fail(Errc::invalid_argument,
                  str_cat(what, " field ", describe(cuts[i]), " is past the record's length of ",
                          type.length, " bytes"));
    }
    if (a.offset < layout.tag_offset + layout.tag_length &&
        layout.tag_offset < a.offset + a.length) {
      return fail(Errc::invalid_argument,
                  str_cat(what, " field ", describe(cuts[i]), " overlaps the record type tag"));
    }
    for (std::size_t j = i + 1; j < cuts.size(); ++j) {
      const FieldSpec& b = *cuts[j].second;
      if (a.offset < b.offset + b.length && b.offset < a.offset + a.length) {
        return fail(Errc::invalid_argument, str_cat(what, " fields ", describe(cuts[i]), " and ",
                                                    describe(cuts[j]), " overlap"));
      }
    }
  }
  return {};
}

// What the parsers rely on, beyond the JSON's shape.
Result<void> check_semantics(const Profile& profile) {
  const bool fixed = profile.format == ProfileFormat::fixed_width;
  const std::vector<FieldSpec>& fields = fixed ? profile.fixed_width.detail.fields : profile.fields;
  const auto need = [&](FieldId id, std::string_view why) -> Result<void> {
    if (find_field(fields, id) == nullptr) {
      return fail(Errc::invalid_argument,
                  str_cat("field '", field_name(id), "' must be mapped: ", why));
    }
    return {};
  };
  if (profile.direction.from == DirectionRule::From::columns) {
    TALLY_TRY_VOID(need(FieldId::debit_amount, "direction from columns"));
    TALLY_TRY_VOID(need(FieldId::credit_amount, "direction from columns"));
  } else {
    TALLY_TRY_VOID(need(FieldId::amount, "every record has an amount"));
  }
  if (profile.direction.from == DirectionRule::From::indicator) {
    TALLY_TRY_VOID(need(FieldId::direction, "direction from an indicator"));
    if (profile.direction.values.empty())
      return fail(Errc::invalid_argument, "direction: an indicator needs its values");
  }
  if (!profile.kind.values.empty())
    TALLY_TRY_VOID(need(FieldId::kind, "kind values are given"));
  if (find_field(fields, FieldId::kind) != nullptr && profile.kind.values.empty())
    return fail(Errc::invalid_argument, "field 'kind' is mapped but kind has no values");
  if (!profile.currency && find_field(fields, FieldId::currency) == nullptr)
    return fail(Errc::invalid_argument, "no currency: map the field 'currency' or give one");
  for (const FieldSpec& spec : fields) {
    const bool is_date = spec.field == FieldId::business_date ||
                         spec.field == FieldId::value_date || spec.field == FieldId::booking_date;
    if (is_date && profile.dates.empty()) {
      return fail(Errc::invalid_argument,
                  str_cat("field '", field_name(spec.field), "' is a date: give dates patterns"));
    }
    if (!fixed && !spec.index && !profile.csv.header_row) {
      return fail(Errc::invalid_argument,
                  str_cat("field '", field_name(spec.field), "' names column '", spec.header,
                          "' but the file has no header row"));
    }
  }
  if (fixed) {
    const FixedWidthLayout& layout = profile.fixed_width;
    if (layout.header) {
      TALLY_TRY_VOID(check_record_type(*layout.header, "header", layout, {}));
      for (const FieldSpec& spec : layout.header->fields) {
        if (spec.field != FieldId::business_date) {
          return fail(Errc::invalid_argument,
                      str_cat("header field '", field_name(spec.field),
                              "' is not read: a header gives only the details' business_date"));
        }
      }
    }
    TALLY_TRY_VOID(check_record_type(layout.detail, "detail", layout, {}));
    if (layout.trailer) {
      std::vector<NamedCut> totals;
      if (layout.trailer_totals.has_count)
        totals.emplace_back("count", &layout.trailer_totals.count);
      if (layout.trailer_totals.has_sum)
        totals.emplace_back("sum", &layout.trailer_totals.sum);
      TALLY_TRY_VOID(check_record_type(*layout.trailer, "trailer", layout, totals));
    }
  }
  if (profile.csv.delimiter == profile.csv.quote)
    return fail(Errc::invalid_argument, "csv: the delimiter and the quote must differ");
  return {};
}

Result<void> read_profile(const Reader& root, Profile& profile) {
  TALLY_TRY_VOID(root.only({"$schema", "name", "description", "institution", "format", "encoding",
                            "max_record_bytes", "csv", "fixed_width", "fields", "dates", "amounts",
                            "currency", "direction", "kind", "keys"}));
  TALLY_TRY(const auto name, root.string("name", true));
  TALLY_TRY(const auto institution, root.string("institution", true));
  TALLY_TRY(const auto format, root.string("format", true));
  profile.name = *name;
  profile.institution = *institution;
  auto parsed_format = parse_profile_format(*format);
  if (!parsed_format)
    return root.bad("format", parsed_format.error().message);
  profile.format = *parsed_format;
  TALLY_TRY(const auto encoding, root.string("encoding"));
  if (encoding) {
    auto parsed = parse_text_encoding(*encoding);
    if (!parsed)
      return root.bad("encoding", parsed.error().message);
    profile.encoding = *parsed;
  }
  TALLY_TRY_VOID(read_rules(root, profile));
  const bool tabular =
      profile.format == ProfileFormat::csv || profile.format == ProfileFormat::fixed_width;
  if (!tabular)
    return {};
  TALLY_TRY(const auto max_record, root.number("max_record_bytes", kMaxRecordBytesLimit));
  if (max_record)
    profile.max_record_bytes = std::max<std::size_t>(16, static_cast<std::size_t>(*max_record));
  TALLY_TRY_VOID(read_formats(root, profile));
  if (profile.format == ProfileFormat::csv) {
    TALLY_TRY_VOID(read_csv(root, profile));
    TALLY_TRY(const auto fields, root.object("fields", true));
    TALLY_TRY(profile.fields, read_fields(*fields, ProfileFormat::csv));
  } else {
    TALLY_TRY_VOID(read_fixed_width(root, profile));
  }
  return check_semantics(profile);
}

}  // namespace

Result<Profile> load_profile(std::string_view json_text, std::string_view file_name) {
  const auto context = [&](const Error& error) {
    return fail(error.code, str_cat("profile ", file_name, ": ", error.message));
  };
  if (json_text.size() > kMaxProfileBytes)
    return context({Errc::limit_exceeded, str_cat("longer than ", kMaxProfileBytes, " bytes")});
  // The schema checks the shape, every error with its JSON Pointer; what follows converts, and
  // checks what a schema cannot say (columns by name without a header row, overlapping cuts).
  TALLY_TRY(const json::value document,
            schemas::parse_validated(json_text, str_cat("profile ", file_name),
                                     "profiles/profile.schema.json"));
  Profile profile;
  if (auto read = read_profile(Reader(document.get_object(), ""), profile); !read)
    return context(read.error());
  return profile;
}

Result<Profile> load_embedded_profile(std::string_view name) {
  const std::string path = str_cat("profiles/", name, ".json");
  const auto text = schemas::find(path);
  if (!text)
    return fail(Errc::not_found, str_cat("profile '", name, "' is not embedded (", path, ")"));
  return load_profile(*text, path);
}

}  // namespace tally::adapters
