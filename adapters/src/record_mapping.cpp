#include <algorithm>

#include <tally/adapters/field_formats.hpp>
#include <tally/adapters/record_mapping.hpp>
#include <tally/adapters/text_encoding.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {

struct RecordMapping::Row {
  std::span<const FieldText> fields;
  std::vector<FieldError>& errors;
  bool failed = false;

  void error(const FieldText& where, FieldId id, std::string_view why) {
    failed = true;
    std::string reason(field_name(id));
    if (where.number > 0)
      reason += str_cat(" (field ", where.number, ")");
    errors.push_back({where.line, where.column, str_cat(reason, ": ", why)});
  }
};

namespace {

// The entry of a profile's value table named `text`. Sizes and first bytes compare before the
// bytes: the tables are short and their names one to a few bytes, so a memcmp call costs more.
template <typename T>
auto find_named(const std::vector<std::pair<std::string, T>>& table, std::string_view text) {
  return std::ranges::find_if(table, [text](const std::pair<std::string, T>& entry) {
    const std::string& name = entry.first;
    return name.size() == text.size() && (text.empty() || name[0] == text[0]) && name == text;
  });
}

const FieldText& at(std::span<const FieldText> fields, std::size_t slot) {
  static const FieldText kNowhere{};
  return slot < fields.size() ? fields[slot] : kNowhere;
}

}  // namespace

Result<void> normalize_key_into(std::string_view text,
                                const KeyNormalization& keys,
                                std::string& out) {
  if (keys.nfkc && !is_ascii(as_bytes(text))) {
    TALLY_TRY(out, nfkc_fold(text));  // ASCII is its own NFKC form: no copy for it
    if (keys.trim)
      out = std::string(trim_text(out));
  } else {
    out.assign(keys.trim ? trim_text(text) : text);
  }
  if (keys.upper_case) {
    for (char& c : out) {
      if (c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return {};
}

Result<std::string> normalize_key(std::string_view text, const KeyNormalization& keys) {
  std::string out;
  TALLY_TRY_VOID(normalize_key_into(text, keys, out));
  return out;
}

FieldSlots slots_in_order(const std::vector<FieldSpec>& fields) {
  FieldSlots slots;
  slots.fill(kUnmapped);
  for (std::size_t i = 0; i < fields.size(); ++i)
    slots[static_cast<std::size_t>(fields[i].field)] = i;
  return slots;
}

std::expected<std::string_view, FieldError> RecordMapping::text(const FieldText& field,
                                                                std::size_t slot) {
  if (is_ascii(field.bytes)) {
    return trim_text(
        std::string_view(reinterpret_cast<const char*>(field.bytes.data()), field.bytes.size()));
  }
  if (profile_->encoding == TextEncoding::utf8 && field.well_formed) {
    return trim_text(
        std::string_view(reinterpret_cast<const char*>(field.bytes.data()), field.bytes.size()));
  }
  if (profile_->encoding == TextEncoding::utf8) {
    // Well-formed UTF-8 is its own decoding: a view, no copy.
    if (auto formed = check_well_formed(field.bytes, TextEncoding::utf8); !formed) {
      return std::unexpected(
          FieldError{field.line, field.column + static_cast<std::uint32_t>(formed.error().offset),
                     formed.error().reason});
    }
    return trim_text(
        std::string_view(reinterpret_cast<const char*>(field.bytes.data()), field.bytes.size()));
  }
  std::string& out = scratch_[std::min(slot, scratch_.size() - 1)];
  out.clear();
  auto decoded = field.well_formed ? append_utf8_well_formed(field.bytes, profile_->encoding, out)
                                   : append_utf8(field.bytes, profile_->encoding, out);
  if (!decoded) {
    return std::unexpected(
        FieldError{field.line, field.column + static_cast<std::uint32_t>(decoded.error().offset),
                   decoded.error().reason});
  }
  return trim_text(out);
}

// The trimmed UTF-8 text of a mapped field; nullopt when unmapped, missing or undecodable (the
// last two are errors of the row).
std::optional<std::string_view> RecordMapping::mapped_field(Row& row,
                                                            FieldId id,
                                                            std::size_t slot) {
  if (slot >= row.fields.size()) {
    const FieldText& last = row.fields.empty() ? FieldText{} : row.fields.back();
    row.error(last, id, str_cat("the row has ", row.fields.size(), " fields, no field ", slot + 1));
    return std::nullopt;
  }
  const FieldText& where = row.fields[slot];
  const BytesView bytes = where.bytes;
  // The common cases, kept out of text()'s std::expected: ASCII, or UTF-8 the tokenizer found
  // well-formed, is its own decoding, a view of the bytes; checked GBK converts with no recheck.
  if (profile_->encoding == TextEncoding::utf8 ? where.well_formed : is_ascii(bytes))
    return trim_text(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  if (where.well_formed) {
    // Checked GBK or GB18030 text: converted with no second check. ICU may still refuse it.
    std::string& out = scratch_[static_cast<std::size_t>(id)];
    out.clear();
    if (append_utf8_well_formed(bytes, profile_->encoding, out))
      return trim_text(out);
  }
  auto decoded = text(row.fields[slot], static_cast<std::size_t>(id));
  if (!decoded) {
    row.failed = true;
    decoded.error().reason = str_cat(field_name(id), ": ", decoded.error().reason);
    row.errors.push_back(std::move(decoded.error()));
    return std::nullopt;
  }
  return *decoded;
}

void RecordMapping::key(std::string_view text,
                        const FieldText& where,
                        Row& row,
                        std::string& into) {
  // Straight into the record's string: a key is copied once, not moved through temporaries.
  if (auto normalized = normalize_key_into(text, profile_->keys, into); !normalized) {
    row.errors.push_back({where.line, where.column, normalized.error().message});
    row.failed = true;
    into.clear();
  }
}

void RecordMapping::date(Row& row, FieldId id, std::optional<Date>& into) {
  into.reset();
  if (slots_[static_cast<std::size_t>(id)] == kUnmapped)
    return;
  const auto value = field(row, id);
  if (!value || value->empty())
    return;
  if (try_read_date(*value, profile_->dates, into))
    return;
  // Failed: read again for the reason.
  const auto refused = read_date(*value, profile_->dates);
  row.error(at(row.fields, slots_[static_cast<std::size_t>(id)]), id,
            refused ? "is not a date" : refused.error().message);
}

// Into `into` rather than returned: a returned optional<Amount> was copied through the stack
// with a partial-width store the CPU cannot forward, on the hottest path of both parsers.
void RecordMapping::amount(Row& row, FieldId id, Currency currency, std::optional<Amount>& into) {
  into.reset();
  const auto value = field(row, id);
  if (!value || value->empty())
    return;
  auto parsed = read_amount(*value, currency, profile_->amounts);
  if (!parsed) {
    row.error(at(row.fields, slots_[static_cast<std::size_t>(id)]), id, parsed.error().message);
    return;
  }
  into.emplace(*parsed);
}

std::optional<Currency> RecordMapping::currency(Row& row) {
  const auto value = field(row, FieldId::currency);
  if (!value || value->empty()) {
    if (!profile_->currency && !row.failed) {
      row.error(at(row.fields, slots_[static_cast<std::size_t>(FieldId::currency)]),
                FieldId::currency, "is empty and the profile gives no currency");
    }
    return profile_->currency;
  }
  if (last_currency_ && last_currency_->code() == *value)
    return last_currency_;  // files are mostly in one currency: skip the table search
  auto parsed = Currency::from_code(*value);
  if (parsed)
    last_currency_ = *parsed;
  if (!parsed) {
    row.error(at(row.fields, slots_[static_cast<std::size_t>(FieldId::currency)]),
              FieldId::currency, parsed.error().message);
    return std::nullopt;
  }
  return *parsed;
}

// The direction, making `amount` non-negative.
std::optional<Direction> RecordMapping::direction(Row& row, Amount& amount) {
  const DirectionRule& rule = profile_->direction;
  const Direction other =
      rule.when_negative == Direction::debit ? Direction::credit : Direction::debit;
  if (rule.from == DirectionRule::From::indicator) {
    const auto value = field(row, FieldId::direction);
    if (!value)
      return std::nullopt;
    const auto it = find_named(rule.values, *value);
    const FieldText& where = at(row.fields, slots_[static_cast<std::size_t>(FieldId::direction)]);
    if (it == rule.values.end()) {
      row.error(where, FieldId::direction, str_cat("'", *value, "' is not a known indicator"));
      return std::nullopt;
    }
    if (amount.is_negative()) {
      row.error(where, FieldId::amount, "is negative although an indicator gives the direction");
      return std::nullopt;
    }
    return it->second;
  }
  if (!amount.is_negative())
    return other;
  auto positive = amount.negated();
  if (!positive)
    return std::nullopt;
  amount = *positive;
  return rule.when_negative;
}

void RecordMapping::fill_details(Row& row, Record& record) {
  const auto keep_key = [&](FieldId id, std::string& into) {
    const auto value = field(row, id);
    if (value)
      key(*value, at(row.fields, slots_[static_cast<std::size_t>(id)]), row, into);
  };
  keep_key(FieldId::account, record.account);
  keep_key(FieldId::reference, record.reference);
  keep_key(FieldId::loan_id, record.loan_id);
  keep_key(FieldId::end_to_end_id, record.end_to_end_id);
  if (const auto value = field(row, FieldId::counterparty))
    record.counterparty = *value;
  if (const auto value = field(row, FieldId::text))
    record.text = *value;
  date(row, FieldId::value_date, record.value_date);
  date(row, FieldId::booking_date, record.booking_date);
  if (const auto value = field(row, FieldId::term); value && !value->empty()) {
    auto term = read_count(*value);
    if (!term || *term == 0 || *term > std::numeric_limits<std::uint32_t>::max()) {
      row.error(at(row.fields, slots_[static_cast<std::size_t>(FieldId::term)]), FieldId::term,
                str_cat("'", *value, "' is not a term number from 1"));
    } else {
      record.term = static_cast<std::uint32_t>(*term);
    }
  }
  if (const auto value = field(row, FieldId::funding_ratio); value && !value->empty()) {
    auto ratio = read_ratio_bp(*value);
    if (!ratio) {
      row.error(at(row.fields, slots_[static_cast<std::size_t>(FieldId::funding_ratio)]),
                FieldId::funding_ratio, ratio.error().message);
    } else {
      record.funding_ratio_bp = *ratio;
    }
  }
  const KindRule& kind = profile_->kind;
  if (const auto value = field(row, FieldId::kind)) {
    const auto it = find_named(kind.values, *value);
    if (it != kind.values.end())
      record.kind = it->second;
    else
      row.error(at(row.fields, slots_[static_cast<std::size_t>(FieldId::kind)]), FieldId::kind,
                str_cat("'", *value, "' is not a known kind"));
  } else if (kind.fixed) {
    record.kind = *kind.fixed;
  }
}

namespace {

// Every field back to a fresh Record's, the strings keeping their capacity: a record reused row
// after row allocates nothing once its strings have grown.
void reset_record(Record& record, Amount amount, Direction direction) {
  record.institution.clear();
  record.counterparty.clear();
  record.account.clear();
  record.business_date.reset();
  record.value_date.reset();
  record.booking_date.reset();
  record.kind = RecordKind::other;
  record.reference.clear();
  record.loan_id.clear();
  record.end_to_end_id.clear();
  record.amount = amount;
  record.direction = direction;
  // components: map_into reads each into the record (no 96-byte clear of the whole struct)
  record.term.reset();
  record.funding_ratio_bp.reset();
  record.text.clear();
  record.source.file_id.clear();
  record.source.line = 0;
  record.source.element_path.clear();
  record.source.byte_offset = 0;
  record.raw.clear();
}

}  // namespace

std::optional<Record> RecordMapping::map(std::span<const FieldText> fields,
                                         std::vector<FieldError>& errors,
                                         std::optional<Date> default_business_date) {
  // Every path returns `out`, so it is built in the caller's storage: no move of the record.
  std::optional<Record> out;
  Record& record =
      out.emplace(Amount::zero(Currency::all().front()), Direction::credit);  // set afresh
  if (!map_into(fields, errors, record, default_business_date))
    out.reset();
  return out;
}

bool RecordMapping::map_into(std::span<const FieldText> fields,
                             std::vector<FieldError>& errors,
                             Record& record,
                             std::optional<Date> default_business_date) {
  Row row{fields, errors};
  const std::optional<Currency> currency = this->currency(row);
  if (!currency)
    return false;
  std::optional<Amount> amount;
  std::optional<Direction> direction;
  if (profile_->direction.from == DirectionRule::From::columns) {
    std::optional<Amount> debit;
    std::optional<Amount> credit;
    this->amount(row, FieldId::debit_amount, *currency, debit);
    this->amount(row, FieldId::credit_amount, *currency, credit);
    const bool has_debit = debit && !debit->is_zero();
    const bool has_credit = credit && !credit->is_zero();
    const FieldText& where = at(fields, slots_[static_cast<std::size_t>(FieldId::debit_amount)]);
    if (has_debit == has_credit && !row.failed) {
      row.error(where, FieldId::debit_amount,
                has_debit ? "both the debit and the credit column hold an amount"
                          : "neither the debit nor the credit column holds an amount");
    } else if ((debit && debit->is_negative()) || (credit && credit->is_negative())) {
      row.error(where, FieldId::debit_amount, "debit and credit columns are never negative");
    } else if (!row.failed) {
      amount = has_debit ? debit : credit;
      direction = has_debit ? Direction::debit : Direction::credit;
    }
  } else {
    this->amount(row, FieldId::amount, *currency, amount);
    if (!amount && !row.failed) {
      row.error(at(fields, slots_[static_cast<std::size_t>(FieldId::amount)]), FieldId::amount,
                "is empty");
    }
    if (amount)
      direction = this->direction(row, *amount);
  }
  // The rest is read even when the amount failed, so every error of the row is reported.
  reset_record(record, amount.value_or(Amount::zero(*currency)),
               direction.value_or(Direction::credit));
  Components& components = record.components;
  for (const auto& [id, part] : {std::pair{FieldId::principal, &components.principal},
                                 std::pair{FieldId::interest, &components.interest},
                                 std::pair{FieldId::penalty_interest, &components.penalty_interest},
                                 std::pair{FieldId::fee, &components.fee}}) {
    this->amount(row, id, *currency, *part);  // resets the part first
    if (*part && (*part)->is_negative()) {
      row.error(at(fields, slots_[static_cast<std::size_t>(id)]), id,
                "a component is never negative");
    }
  }
  date(row, FieldId::business_date, record.business_date);
  if (!record.business_date)
    record.business_date = default_business_date;
  fill_details(row, record);
  if (row.failed || !amount || !direction)
    return false;
  if (auto checked = record.check(); !checked) {
    const FieldId amount_field = slots_[static_cast<std::size_t>(FieldId::amount)] != kUnmapped
                                     ? FieldId::amount
                                 : direction == Direction::debit ? FieldId::debit_amount
                                                                 : FieldId::credit_amount;
    row.error(at(fields, slots_[static_cast<std::size_t>(amount_field)]), amount_field,
              checked.error().message);
    return false;
  }
  return true;
}

}  // namespace tally::adapters
