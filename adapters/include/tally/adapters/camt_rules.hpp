#pragma once
// What the camt elements mean, apart from the XML parsing: CamtRules is told each element start
// and end (with the open elements, its text and where it is) and builds statements, balances,
// entries and transaction details, checks them and hands records to the sink. It keeps only the
// current statement's balances and the current entry's fields.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tally/adapters/camt.hpp>
#include <tally/adapters/camt_input.hpp>
#include <tally/adapters/parse_report.hpp>
#include <tally/adapters/record.hpp>

namespace tally::adapters {

struct CamtFrame {
  std::string name;
  std::uint32_t index = 0;  // 1-based among same-named siblings when repeated (Ntry), else 0
  bool ours = true;         // in the message's namespace
  std::array<std::uint32_t, 4> children{};  // Stmt, Bal, Ntry, TxDtls children seen so far
};

// "/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt"
std::string camt_path(const std::vector<CamtFrame>& stack);

struct CamtPlace {
  SourcePosition where;
  std::uint32_t column = 0;
  std::uint64_t offset = 0;  // file offset of the element's start tag
};

// Where the XML parser is, asked for only when needed: it costs a scan of the parser's input.
class CamtLocator {
 public:
  virtual std::uint64_t line() const = 0;    // 1-based
  virtual std::uint32_t column() const = 0;  // 1-based

 protected:
  ~CamtLocator() = default;
};

// The state CamtRules keeps: one statement, one balance, one entry, one TxDtls at a time.
struct CamtBalance {
  std::string code;
  std::optional<Amount> amount;
  std::optional<Direction> direction;
  CamtPlace place;
};
struct CamtParty {
  std::string debtor;
  std::string creditor;
};
struct CamtTxDetails {
  std::optional<Amount> amount;     // TxDtls/Amt
  std::optional<Amount> tx_amount;  // TxDtls/AmtDtls/TxAmt/Amt
  std::optional<Direction> direction;
  std::string end_to_end_id, reference, uetr, text;
  CamtParty party;
  CamtPlace place;
};
struct CamtEntry {
  std::optional<Amount> amount;
  std::optional<Direction> direction;
  bool reversal = false;
  std::string status, reference, domain, family, sub_family;
  std::optional<Date> booking_date, value_date;
  std::uint32_t tx_count = 0;
  std::optional<Amount> tx_sum;  // signed, credit positive
  bool tx_sum_complete = true;
  std::optional<Record> pending;  // a TxDtls without its own amount, waiting for the entry's
  std::uint32_t pending_column = 0;
  CamtPlace place;
};
struct CamtStatement {
  std::string account;
  std::optional<Date> created;
  std::optional<CamtBalance> opening, closing;
  std::optional<Amount> booked;  // signed sum of booked entries
  bool booked_mixed = false;
  CamtPlace place;
};

class CamtRules {
 public:
  CamtRules(const ParseOptions& options,
            const RecordSink& sink,
            ParseReport& report,
            const CamtLocator& locator)
      : options_(options), sink_(sink), report_(report), locator_(locator) {}

  void set_version(CamtVersion version) noexcept { version_ = version; }
  // False when the sink refused a record: the parse stops.
  bool start(const std::vector<CamtFrame>& stack, const std::string& ccy, const CamtPlace& place);
  bool end(const std::vector<CamtFrame>& stack,
           std::string_view text,
           const CamtPlace& place,
           std::uint64_t end_offset,
           const CamtInput& input);
  void end_document(const CamtPlace& place);
  // The window must keep bytes from here: the start of the record being read.
  std::uint64_t keep_from(std::uint64_t offset) const noexcept;

 private:
  void error(const CamtPlace& place, std::string reason);
  // The place with line, column and element path filled in from the parser's position, unless
  // it was located already.
  CamtPlace located(const CamtPlace& place) const;
  std::optional<Amount> amount(std::string_view text, const CamtPlace& place);
  std::optional<Direction> direction(std::string_view text, const CamtPlace& place);
  std::optional<Date> date(std::string_view text, bool with_time, const CamtPlace& place);
  void statement_field(std::string_view rel, std::string_view text, const CamtPlace& place);
  void balance_field(std::string_view rel, std::string_view text, const CamtPlace& place);
  void entry_field(std::string_view rel, std::string_view text, const CamtPlace& place);
  void tx_field(std::string_view rel, std::string_view text, const CamtPlace& place);
  void end_balance();
  void end_statement();
  bool end_entry(std::uint64_t end_offset, const CamtInput& input);
  void check_entry_totals();
  bool end_tx(std::uint64_t end_offset, const CamtInput& input);
  bool flush_pending(bool use_entry_amount);
  Record make_record(Amount value,
                     Direction way,
                     const CamtPlace& place,
                     std::uint64_t end_offset,
                     const CamtInput& input) const;
  bool emit(Record&& record);

  const ParseOptions& options_;
  const std::vector<CamtFrame>* stack_ = nullptr;  // the open elements, during start and end
  const RecordSink& sink_;
  ParseReport& report_;
  const CamtLocator& locator_;
  CamtVersion version_;
  std::string ccy_;  // the Ccy attribute of the open amount element
  std::string rel_;
  std::uint32_t statements_ = 0;
  std::optional<CamtPlace> message_;
  std::optional<CamtStatement> statement_;
  std::optional<CamtBalance> balance_;
  std::optional<CamtEntry> entry_;
  std::optional<CamtTxDetails> tx_;
};

}  // namespace tally::adapters
