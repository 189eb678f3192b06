#include <charconv>

#include <tally/adapters/camt_rules.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/core/trim.hpp>

namespace tally::adapters {
namespace {

// Depths in the element stack: Document, the message, then one statement/report/notification.
constexpr std::size_t kStatementDepth = 2;
constexpr std::size_t kEntryDepth = 3;  // Stmt/Ntry and Stmt/Bal
constexpr std::size_t kTxDepth = 5;     // Ntry/NtryDtls/TxDtls

std::string_view message_element(CamtMessage message) {
  switch (message) {
    case CamtMessage::account_report:
      return "BkToCstmrAcctRpt";
    case CamtMessage::statement:
      return "BkToCstmrStmt";
    case CamtMessage::notification:
      return "BkToCstmrDbtCdtNtfctn";
  }
  return "";
}

std::string_view statement_element(CamtMessage message) {
  switch (message) {
    case CamtMessage::account_report:
      return "Rpt";
    case CamtMessage::statement:
      return "Stmt";
    case CamtMessage::notification:
      return "Ntfctn";
  }
  return "";
}

// Joins the names of stack[from..] with '/'.
void relative(const std::vector<CamtFrame>& stack, std::size_t from, std::string& out) {
  out.clear();
  for (std::size_t i = from; i < stack.size(); ++i) {
    if (!out.empty())
      out += '/';
    out += stack[i].name;
  }
}

std::optional<int> digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

Result<Amount> signed_amount(const Amount& value, Direction way) {
  return way == Direction::credit ? Result<Amount>(value) : value.negated();
}

}  // namespace

std::string camt_path(const std::vector<CamtFrame>& stack) {
  std::string path;
  for (const auto& frame : stack) {
    path += '/';
    path += frame.name;
    if (frame.index != 0)
      path += str_cat("[", frame.index, "]");
  }
  return path;
}

CamtPlace CamtRules::located(const CamtPlace& place) const {
  CamtPlace out = place;
  if (out.where.line == 0) {
    out.where.line = locator_.line();
    out.column = locator_.column();
  }
  if (out.where.element_path.empty() && stack_ != nullptr) {
    out.where.element_path = camt_path(*stack_);
  }
  return out;
}

void CamtRules::error(const CamtPlace& place, std::string reason) {
  const CamtPlace at = located(place);
  report_.add_error({at.where, at.column, std::move(reason)});
}

std::optional<Amount> CamtRules::amount(std::string_view text, const CamtPlace& place) {
  auto currency = Currency::from_code(ccy_);
  if (!currency) {
    error(place, str_cat("unknown currency \"", ccy_, "\""));
    return std::nullopt;
  }
  if (text.empty() || text.front() == '-' || text.front() == '+') {
    error(place, str_cat("amount must be unsigned digits, found \"", text, "\""));
    return std::nullopt;
  }
  auto parsed = Amount::parse(text, *currency);
  if (!parsed) {
    error(place, str_cat("bad amount \"", text, "\": ", parsed.error().message));
    return std::nullopt;
  }
  return *parsed;
}

std::optional<Direction> CamtRules::direction(std::string_view text, const CamtPlace& place) {
  if (text == "CRDT")
    return Direction::credit;
  if (text == "DBIT")
    return Direction::debit;
  error(place, str_cat("CdtDbtInd must be CRDT or DBIT, found \"", text, "\""));
  return std::nullopt;
}

// ISODate "2014-12-31" or the date part of ISODateTime "2014-12-31T13:15:00+01:00".
std::optional<Date> CamtRules::date(std::string_view text, bool with_time, const CamtPlace& place) {
  const bool shape = text.size() >= 10 && text[4] == '-' && text[7] == '-' &&
                     (with_time ? text.size() >= 19 && text[10] == 'T' && text[13] == ':' &&
                                      text[16] == ':' && digits(text.substr(11, 2)) &&
                                      digits(text.substr(14, 2)) && digits(text.substr(17, 2))
                                : text.size() == 10);
  const auto year = shape ? digits(text.substr(0, 4)) : std::nullopt;
  const auto month = shape ? digits(text.substr(5, 2)) : std::nullopt;
  const auto day = shape ? digits(text.substr(8, 2)) : std::nullopt;
  if (year && month && day) {
    const Date value{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                     std::chrono::day(static_cast<unsigned>(*day))};
    if (value.ok())
      return value;
  }
  error(place, str_cat("bad ", with_time ? "date-time" : "date", " \"", text, "\""));
  return std::nullopt;
}

bool CamtRules::start(const std::vector<CamtFrame>& stack,
                      const std::string& ccy,
                      const CamtPlace& place) {
  stack_ = &stack;
  const std::size_t depth = stack.size() - 1;
  const std::string& name = stack.back().name;
  ccy_ = ccy;
  if (depth == 1) {
    const std::string_view expected = message_element(version_.message);
    if (name != expected && !(version_.version == 1 && name == str_cat(expected, "V01"))) {
      error(place, str_cat("expected ", expected, ", found ", name));
    }
    message_ = located(place);
  } else if (depth == kStatementDepth && stack.back().index != 0) {
    if (name != statement_element(version_.message)) {
      error(place, str_cat(name, " does not belong in ", message_element(version_.message)));
    }
    ++statements_;
    statement_.emplace();
    statement_->place = located(place);
  } else if (depth == kEntryDepth && statement_ && name == "Bal") {
    balance_.emplace();
    balance_->place = located(place);
  } else if (depth == kEntryDepth && statement_ && name == "Ntry") {
    entry_.emplace();
    entry_->place = located(place);
  } else if (depth == kTxDepth && entry_ && name == "TxDtls" && stack[4].name == "NtryDtls") {
    if (!flush_pending(false))
      return false;
    ++entry_->tx_count;
    tx_.emplace();
    tx_->place = located(place);
  }
  return true;
}

std::uint64_t CamtRules::keep_from(std::uint64_t offset) const noexcept {
  if (tx_)
    return tx_->place.offset;
  if (entry_ && entry_->tx_count == 0)
    return entry_->place.offset;
  return offset;
}

bool CamtRules::end(const std::vector<CamtFrame>& stack,
                    std::string_view text,
                    const CamtPlace& place,
                    std::uint64_t end_offset,
                    const CamtInput& input) {
  stack_ = &stack;
  const std::size_t depth = stack.size() - 1;
  text = trim_ascii_space(text);
  if (tx_ && depth > kTxDepth) {
    relative(stack, kTxDepth + 1, rel_);
    tx_field(rel_, text, place);
  } else if (tx_ && depth == kTxDepth) {
    return end_tx(end_offset, input);
  } else if (entry_ && depth > kEntryDepth) {
    relative(stack, kEntryDepth + 1, rel_);
    entry_field(rel_, text, place);
  } else if (entry_ && depth == kEntryDepth) {
    return end_entry(end_offset, input);
  } else if (balance_ && depth > kEntryDepth) {
    relative(stack, kEntryDepth + 1, rel_);
    balance_field(rel_, text, place);
  } else if (balance_ && depth == kEntryDepth) {
    end_balance();
  } else if (statement_ && depth > kStatementDepth) {
    relative(stack, kStatementDepth + 1, rel_);
    statement_field(rel_, text, place);
  } else if (statement_ && depth == kStatementDepth) {
    end_statement();
  }
  return true;
}

void CamtRules::statement_field(std::string_view rel,
                                std::string_view text,
                                const CamtPlace& place) {
  if (rel == "Acct/Id/IBAN" || rel == "Acct/Id/Othr/Id" || rel == "Acct/Id/PrtryAcct/Id" ||
      rel == "Acct/Id/BBAN" || rel == "Acct/Id/UPIC") {
    statement_->account = text;
  } else if (rel == "CreDtTm") {
    statement_->created = date(text, true, place);
  }
}

void CamtRules::balance_field(std::string_view rel, std::string_view text, const CamtPlace& place) {
  if (rel == "Tp/CdOrPrtry/Cd" || rel == "Tp/CdOrPrtry/Prtry") {
    balance_->code = text;
  } else if (rel == "Amt") {
    balance_->amount = amount(text, place);
  } else if (rel == "CdtDbtInd") {
    balance_->direction = direction(text, place);
  } else if (rel == "Dt/Dt") {
    date(text, false, place);
  } else if (rel == "Dt/DtTm") {
    date(text, true, place);
  }
}

void CamtRules::end_balance() {
  CamtBalance balance = std::move(*balance_);
  balance_.reset();
  if (!balance.amount || !balance.direction) {
    error(balance.place, "balance without Amt or CdtDbtInd");
    return;
  }
  if (balance.code == "OPBD" || (balance.code == "PRCD" && !statement_->opening)) {
    statement_->opening = balance;
  } else if (balance.code == "CLBD") {
    statement_->closing = balance;
  }
}

void CamtRules::end_statement() {
  CamtStatement statement = std::move(*statement_);
  statement_.reset();
  if (statement.account.empty()) {
    error(statement.place, "no account Id (IBAN or Othr/Id)");
  }
  if (!statement.opening || !statement.closing)
    return;
  auto opening = signed_amount(*statement.opening->amount, *statement.opening->direction);
  auto closing = signed_amount(*statement.closing->amount, *statement.closing->direction);
  if (!opening || !closing)
    return;
  const CamtPlace& at = statement.closing->place;
  if (opening->currency() != closing->currency()) {
    error(at, str_cat("closing balance in ", closing->currency().code(), " but opening in ",
                      opening->currency().code()));
    return;
  }
  if (statement.booked_mixed) {
    error(at, "booked entries in another currency than the balances");
    return;
  }
  auto expected = statement.booked ? opening->plus(*statement.booked) : opening;
  if (!expected) {
    error(at, expected.error().message);
  } else if (*expected != *closing) {
    error(at, str_cat("opening balance ", opening->to_string(), " plus booked entries ",
                      statement.booked ? statement.booked->to_string() : "0", " is ",
                      expected->to_string(), ", the closing balance says ", closing->to_string()));
  }
}

void CamtRules::end_document(const CamtPlace& place) {
  if (!message_) {
    error(place, str_cat("no ", message_element(version_.message), " in Document"));
  } else if (statements_ == 0) {
    error(*message_, str_cat("no ", statement_element(version_.message), " in ",
                             message_element(version_.message)));
  }
}

}  // namespace tally::adapters
