// camt.053 parsing throughput: a generated statement of realistic entries (one TxDtls each, with
// references, parties and remittance text), parsed from memory so only the parser is measured.
#include <string>

#include <benchmark/benchmark.h>

#include <tally/adapters/camt.hpp>
#include <tally/core/str_cat.hpp>

namespace {

using tally::str_cat;

std::string generate_statement(std::size_t target_bytes, std::size_t& entries) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n"
      "<BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2024-05-02T10:00:00</CreDtTm>"
      "</GrpHdr>\n<Stmt><Id>S1</Id><CreDtTm>2024-05-02T10:00:00</CreDtTm>\n"
      "<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
      "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt>"
      "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-05-01</Dt></Dt></Bal>\n";
  entries = 0;
  std::int64_t balance = 0;
  while (xml.size() < target_bytes) {
    ++entries;
    const std::int64_t cents = 100 + static_cast<std::int64_t>(entries % 9973) * 7;
    const std::string amount = str_cat(cents / 100, ".", cents % 100 < 10 ? "0" : "", cents % 100);
    balance += cents;
    xml += str_cat(
        "<Ntry>\n  <Amt Ccy=\"EUR\">", amount,
        "</Amt>\n  <CdtDbtInd>CRDT</CdtDbtInd>\n  <Sts><Cd>BOOK</Cd></Sts>\n"
        "  <BookgDt><Dt>2024-05-02</Dt></BookgDt>\n  <ValDt><Dt>2024-05-02</Dt></ValDt>\n"
        "  <AcctSvcrRef>BANKREF",
        entries,
        "</AcctSvcrRef>\n"
        "  <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
        "</BkTxCd>\n  <NtryDtls><TxDtls>\n    <Refs><EndToEndId>E2E-",
        entries, "</EndToEndId></Refs>\n    <Amt Ccy=\"EUR\">", amount,
        "</Amt>\n    <RltdPties><Dbtr><Pty><Nm>Borrower number ", entries,
        "</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct>"
        "</RltdPties>\n    <RmtInf><Ustrd>Loan repayment instalment ",
        entries, "</Ustrd></RmtInf>\n  </TxDtls></NtryDtls>\n</Ntry>\n");
  }
  xml += str_cat("<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">",
                 balance / 100, ".", balance % 100 < 10 ? "0" : "", balance % 100,
                 "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-05-02</Dt></Dt></Bal>\n"
                 "</Stmt>\n</BkToCstmrStmt>\n</Document>\n");
  return xml;
}

void BM_CamtParseStatement(benchmark::State& state) {
  std::size_t entries = 0;
  static const std::string xml = generate_statement(20 * 1024 * 1024, entries);
  std::uint64_t records = 0;
  for (auto _ : state) {
    tally::adapters::MemorySource source(tally::as_bytes(xml));
    const auto report = tally::adapters::parse_camt(
        source, {"bench", "bank"}, [](tally::adapters::Record&& record) -> tally::Result<void> {
          benchmark::DoNotOptimize(record);
          return {};
        });
    if (!report.ok()) {
      state.SkipWithError(report.errors().front().to_string().c_str());
      return;
    }
    records += report.records();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(xml.size()));
  state.counters["records_per_s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CamtParseStatement)->Unit(benchmark::kMillisecond);

}  // namespace
