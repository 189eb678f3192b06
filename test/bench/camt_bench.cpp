// camt.053 parsing throughput on a generated file (support/file_bench.hpp: 8 MB, or 50 and 200 MB
// for real runs): one statement of realistic entries (one TxDtls each, with references, parties
// and remittance text) whose closing balance adds up. The goal is at least 80 MB/s per
// core, with memory flat as the file grows.
#include <cstdint>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include <tally/adapters/camt.hpp>
#include <tally/core/str_cat.hpp>

#include "support/file_bench.hpp"

namespace {

using tally::str_cat;

std::string decimal(std::int64_t cents) {
  return str_cat(cents / 100, ".", cents % 100 < 10 ? "0" : "", cents % 100);
}

class CamtGenerator final : public tally::bench::FileGenerator {
 public:
  void begin(std::string& out) override {
    out +=
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n"
        "<BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2024-05-02T10:00:00</CreDtTm>"
        "</GrpHdr>\n<Stmt><Id>S1</Id><CreDtTm>2024-05-02T10:00:00</CreDtTm>\n"
        "<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-05-01</Dt></Dt></Bal>\n";
  }
  void next(std::string& out) override {
    ++entries_;
    const std::int64_t cents = 100 + static_cast<std::int64_t>(entries_ % 9973) * 7;
    const std::string amount = decimal(cents);
    balance_ += cents;
    out += str_cat(
        "<Ntry>\n  <Amt Ccy=\"EUR\">", amount,
        "</Amt>\n  <CdtDbtInd>CRDT</CdtDbtInd>\n  <Sts><Cd>BOOK</Cd></Sts>\n"
        "  <BookgDt><Dt>2024-05-02</Dt></BookgDt>\n  <ValDt><Dt>2024-05-02</Dt></ValDt>\n"
        "  <AcctSvcrRef>BANKREF",
        entries_,
        "</AcctSvcrRef>\n"
        "  <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
        "</BkTxCd>\n  <NtryDtls><TxDtls>\n    <Refs><EndToEndId>E2E-",
        entries_, "</EndToEndId></Refs>\n    <Amt Ccy=\"EUR\">", amount,
        "</Amt>\n    <RltdPties><Dbtr><Pty><Nm>Borrower number ", entries_,
        "</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct>"
        "</RltdPties>\n    <RmtInf><Ustrd>Loan repayment instalment ",
        entries_, "</Ustrd></RmtInf>\n  </TxDtls></NtryDtls>\n</Ntry>\n");
  }
  void end(std::string& out) override {
    out += str_cat("<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">",
                   decimal(balance_),
                   "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-05-02</Dt></Dt></Bal>\n"
                   "</Stmt>\n</BkToCstmrStmt>\n</Document>\n");
  }

 private:
  std::int64_t entries_ = 0;
  std::int64_t balance_ = 0;
};

const bool kRegistered = [] {
  tally::bench::register_file_benchmark(
      "BM_CamtParseStatement", [] { return std::make_unique<CamtGenerator>(); },
      tally::adapters::parse_camt);
  return true;
}();

}  // namespace
