// CamtRules for entries (Ntry) and their transaction details (TxDtls): the records.
#include <tally/adapters/camt_rules.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

Result<Amount> signed_value(const Amount& value, Direction way) {
  return way == Direction::credit ? Result<Amount>(value) : value.negated();
}

RecordKind kind_of(bool reversal, std::string_view domain, std::string_view sub_family) {
  if (reversal)
    return RecordKind::reversal;
  if (sub_family == "CHRG" || sub_family == "COMM" || sub_family == "FEES")
    return RecordKind::fee;
  if (domain == "PMNT")
    return RecordKind::transfer;
  return RecordKind::other;
}

void append_text(std::string& to, std::string_view text) {
  if (!to.empty() && !text.empty())
    to += ' ';
  to += text;
}

}  // namespace

void CamtRules::entry_field(std::string_view rel, std::string_view text, const CamtPlace& place) {
  CamtEntry& entry = *entry_;
  if (rel == "Amt") {
    entry.amount = amount(text, place);
  } else if (rel == "CdtDbtInd") {
    entry.direction = direction(text, place);
  } else if (rel == "RvslInd") {
    if (text == "true" || text == "1") {
      entry.reversal = true;
    } else if (text != "false" && text != "0") {
      error(place, str_cat("RvslInd must be true or false, found \"", text, "\""));
    }
  } else if ((rel == "Sts" && !text.empty()) || rel == "Sts/Cd") {
    entry.status = text;
    if (text != "BOOK" && text != "PDNG" && text != "INFO" && text != "FUTR") {
      error(place, str_cat("unknown entry status \"", text, "\""));
    }
  } else if (rel == "BookgDt/Dt" || rel == "BookgDt/DtTm") {
    entry.booking_date = date(text, rel.ends_with("DtTm"), place);
  } else if (rel == "ValDt/Dt" || rel == "ValDt/DtTm") {
    entry.value_date = date(text, rel.ends_with("DtTm"), place);
  } else if (rel == "AcctSvcrRef") {
    entry.reference = text;
  } else if (rel == "BkTxCd/Domn/Cd") {
    entry.domain = text;
  } else if (rel == "BkTxCd/Domn/Fmly/Cd") {
    entry.family = text;
  } else if (rel == "BkTxCd/Domn/Fmly/SubFmlyCd") {
    entry.sub_family = text;
  }
}

void CamtRules::tx_field(std::string_view rel, std::string_view text, const CamtPlace& place) {
  CamtTxDetails& tx = *tx_;
  if (rel == "Amt") {
    tx.amount = amount(text, place);
  } else if (rel == "AmtDtls/TxAmt/Amt") {
    tx.tx_amount = amount(text, place);
  } else if (rel == "CdtDbtInd") {
    tx.direction = direction(text, place);
  } else if (rel == "Refs/EndToEndId") {
    tx.end_to_end_id = text;
  } else if (rel == "Refs/AcctSvcrRef") {
    tx.reference = text;
  } else if (rel == "Refs/UETR") {
    tx.uetr = text;
  } else if (rel == "RltdPties/Dbtr/Nm" || rel == "RltdPties/Dbtr/Pty/Nm") {
    tx.party.debtor = text;
  } else if (rel == "RltdPties/Cdtr/Nm" || rel == "RltdPties/Cdtr/Pty/Nm") {
    tx.party.creditor = text;
  } else if (rel == "RmtInf/Ustrd") {
    if (tx.text.size() + text.size() + 1 > kCamtMaxTextBytes) {
      error(place, str_cat("remittance text longer than ", kCamtMaxTextBytes, " bytes"));
    } else {
      append_text(tx.text, text);
    }
  }
}

Record CamtRules::make_record(Amount value,
                              Direction way,
                              const CamtPlace& place,
                              std::uint64_t end_offset,
                              const CamtInput& input) const {
  const CamtEntry& entry = *entry_;
  Record record(value, way);
  record.institution = options_.institution;
  record.account = statement_->account;
  record.business_date = statement_->created;
  record.booking_date = entry.booking_date;
  record.value_date = entry.value_date;
  record.kind = kind_of(entry.reversal, entry.domain, entry.sub_family);
  record.reference = entry.reference;
  record.source = place.where;
  if (auto raw = input.bytes(place.offset, end_offset)) {
    record.raw.assign(raw->begin(), raw->end());
  }
  return record;
}

bool CamtRules::emit(Record&& record) {
  if (auto checked = record.check(); !checked) {
    error(entry_->place, checked.error().message);
    return true;
  }
  if (entry_->status != "BOOK")
    return true;  // pending and information entries: not movements
  auto taken = sink_(std::move(record));
  if (!taken) {
    error(entry_->place, str_cat("the record sink stopped the parse: ", taken.error().message));
    return false;
  }
  report_.count_record();
  return true;
}

bool CamtRules::end_tx(std::uint64_t end_offset, const CamtInput& input) {
  CamtTxDetails tx = std::move(*tx_);
  tx_.reset();
  CamtEntry& entry = *entry_;
  const std::optional<Amount>& own = tx.amount ? tx.amount : tx.tx_amount;
  const Direction way = tx.direction.value_or(entry.direction.value_or(Direction::credit));
  if (!entry.amount || !entry.direction)
    return true;  // already reported
  Record record = make_record(own.value_or(*entry.amount), way, tx.place, end_offset, input);
  // Money in came from the debtor; money out went to the creditor.
  record.counterparty = way == Direction::credit ? tx.party.debtor : tx.party.creditor;
  if (!tx.reference.empty())
    record.reference = tx.reference;
  if (record.reference.empty())
    record.reference = tx.uetr;
  record.end_to_end_id = tx.end_to_end_id.empty() ? tx.uetr : tx.end_to_end_id;
  record.text = std::move(tx.text);
  if (!own) {
    entry.tx_sum_complete = false;
    entry.pending = std::move(record);
    entry.pending_column = tx.place.column;
    return true;
  }
  auto signed_own = signed_value(*own, way);
  auto sum = entry.tx_sum ? entry.tx_sum->plus(*signed_own) : signed_own;
  if (!sum) {
    error(tx.place, str_cat("TxDtls amounts do not add up: ", sum.error().message));
    entry.tx_sum_complete = false;
  } else {
    entry.tx_sum = *sum;
  }
  return emit(std::move(record));
}

// A TxDtls without its own amount takes the entry's, but only when it is the entry's only one.
bool CamtRules::flush_pending(bool use_entry_amount) {
  if (!entry_->pending)
    return true;
  Record record = std::move(*entry_->pending);
  entry_->pending.reset();
  if (!use_entry_amount) {
    CamtPlace place{record.source, entry_->pending_column, record.source.byte_offset};
    error(place, "TxDtls of a batched entry has no amount (Amt or AmtDtls/TxAmt/Amt)");
    return true;
  }
  return emit(std::move(record));
}

bool CamtRules::end_entry(std::uint64_t end_offset, const CamtInput& input) {
  CamtEntry& entry = *entry_;
  bool go_on = true;
  if (!entry.amount || !entry.direction) {
    error(entry.place, "entry without a valid Amt and CdtDbtInd");
  } else if (entry.status.empty()) {
    error(entry.place, "entry without Sts");
  } else {
    if (entry.tx_count == 0) {
      go_on = emit(make_record(*entry.amount, *entry.direction, entry.place, end_offset, input));
    } else {
      go_on = flush_pending(entry.tx_count == 1);
    }
    check_entry_totals();
  }
  entry_.reset();
  return go_on;
}

void CamtRules::check_entry_totals() {
  CamtEntry& entry = *entry_;
  auto entry_signed = signed_value(*entry.amount, *entry.direction);
  if (!entry_signed)
    return;
  if (entry.tx_sum && entry.tx_sum_complete && *entry.tx_sum != *entry_signed) {
    error(entry.place, str_cat("TxDtls amounts sum to ", entry.tx_sum->to_string(), " ",
                               entry.tx_sum->currency().code(), ", the entry amount is ",
                               entry_signed->to_string(), " ", entry_signed->currency().code()));
  }
  if (entry.status != "BOOK")
    return;
  CamtStatement& statement = *statement_;
  if (statement.booked && statement.booked->currency() != entry_signed->currency()) {
    statement.booked_mixed = true;
  } else if (statement.opening &&
             statement.opening->amount->currency() != entry_signed->currency()) {
    statement.booked_mixed = true;
  } else {
    auto sum = statement.booked ? statement.booked->plus(*entry_signed) : entry_signed;
    if (!sum) {
      error(entry.place, sum.error().message);
    } else {
      statement.booked = *sum;
    }
  }
}

}  // namespace tally::adapters
