// The camt.052/053/054 parser on hand-written messages: values, limits and refusals.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/adapters/camt.hpp>
#include <tally/core/str_cat.hpp>

#include "parsed.hpp"

namespace tally::adapters {
namespace {

Parsed parse_text(std::string_view xml) {
  MemorySource source(as_bytes(xml));
  return parse_all(parse_camt, source, {"test.xml", "bank-a"});
}

std::string errors_of(const ParseReport& report) {
  std::string out;
  for (const auto& error : report.errors())
    out += error.to_string() + "\n";
  return out;
}

std::string statement(std::string_view version, std::string_view body) {
  return str_cat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.",
      version,
      "\">\n"
      "<BkToCstmrStmt>\n"
      "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-05-02T10:00:00</CreDtTm></GrpHdr>\n"
      "<Stmt>\n"
      "<Id>S1</Id><CreDtTm>2024-05-02T10:00:00+08:00</CreDtTm>\n"
      "<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n",
      body, "</Stmt>\n</BkToCstmrStmt>\n</Document>\n");
}

std::string balance(std::string_view code, std::string_view amount, std::string_view ind) {
  return str_cat("<Bal><Tp><CdOrPrtry><Cd>", code, "</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">",
                 amount, "</Amt><CdtDbtInd>", ind,
                 "</CdtDbtInd><Dt><Dt>2024-05-01</Dt></Dt></Bal>\n");
}

std::string tx(std::string_view amount, std::string_view e2e) {
  return str_cat("<TxDtls><Refs><EndToEndId>", e2e, "</EndToEndId></Refs>",
                 amount.empty() ? "" : str_cat("<Amt Ccy=\"EUR\">", amount, "</Amt>"),
                 "<RltdPties><Dbtr><Nm>Payer ", e2e, "</Nm></Dbtr><Cdtr><Nm>Us</Nm></Cdtr>",
                 "</RltdPties><RmtInf><Ustrd>invoice ", e2e, "</Ustrd></RmtInf></TxDtls>\n");
}

std::string entry(std::string_view amount, std::string_view ind, std::string_view details = "") {
  return str_cat("<Ntry>\n<Amt Ccy=\"EUR\">", amount, "</Amt><CdtDbtInd>", ind,
                 "</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-05-02</Dt></BookgDt>"
                 "<ValDt><Dt>2024-05-03</Dt></ValDt><AcctSvcrRef>REF-",
                 amount,
                 "</AcctSvcrRef>"
                 "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>"
                 "</Fmly></Domn></BkTxCd>",
                 details.empty() ? "" : str_cat("<NtryDtls>", details, "</NtryDtls>"), "</Ntry>\n");
}

TEST(Camt, NamespaceGivesMessageAndVersion) {
  auto v = camt_version_from_namespace("urn:iso:std:iso:20022:tech:xsd:camt.054.001.08");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, (CamtVersion{CamtMessage::notification, 8}));
  EXPECT_FALSE(camt_version_from_namespace("urn:iso:std:iso:20022:tech:xsd:camt.053.001.09"));
  EXPECT_FALSE(camt_version_from_namespace("urn:iso:std:iso:20022:tech:xsd:camt.055.001.02"));
  EXPECT_FALSE(camt_version_from_namespace("urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"));
}

TEST(Camt, BatchedEntryGivesOneRecordPerTransaction) {
  const auto xml =
      statement("08", balance("OPBD", "100.00", "CRDT") +
                          entry("30.00", "CRDT", tx("10.00", "E1") + tx("20.00", "E2")) +
                          entry("5.50", "DBIT") + balance("CLBD", "124.50", "CRDT"));
  const Parsed parsed = parse_text(xml);
  ASSERT_TRUE(parsed.report.ok()) << errors_of(parsed.report);
  ASSERT_EQ(parsed.records.size(), 3U);
  EXPECT_EQ(parsed.report.records(), 3U);
  const Record& first = parsed.records[0];
  EXPECT_EQ(first.amount.minor_units(), 1000);
  EXPECT_EQ(first.amount.currency().code(), "EUR");
  EXPECT_EQ(first.direction, Direction::credit);
  EXPECT_EQ(first.account, "DE89370400440532013000");
  EXPECT_EQ(first.institution, "bank-a");
  EXPECT_EQ(first.end_to_end_id, "E1");
  EXPECT_EQ(first.counterparty, "Payer E1");
  EXPECT_EQ(first.text, "invoice E1");
  EXPECT_EQ(first.reference, "REF-30.00");
  EXPECT_EQ(first.kind, RecordKind::transfer);
  EXPECT_EQ(first.booking_date,
            Date(std::chrono::year(2024), std::chrono::May, std::chrono::day(2)));
  EXPECT_EQ(first.value_date, Date(std::chrono::year(2024), std::chrono::May, std::chrono::day(3)));
  EXPECT_EQ(first.business_date,
            Date(std::chrono::year(2024), std::chrono::May, std::chrono::day(2)));
  EXPECT_EQ(first.source.element_path,
            "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]");
  EXPECT_EQ(first.source.file_id, "test.xml");
  const std::string raw(first.raw.begin(), first.raw.end());
  EXPECT_TRUE(raw.starts_with("<TxDtls>")) << raw;
  EXPECT_TRUE(raw.ends_with("</TxDtls>")) << raw;
  EXPECT_EQ(xml.substr(first.source.byte_offset, raw.size()), raw);
  EXPECT_EQ(parsed.records[1].amount.minor_units(), 2000);
  EXPECT_EQ(parsed.records[1].source.element_path,
            "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[2]");
  const Record& debit = parsed.records[2];
  EXPECT_EQ(debit.amount.minor_units(), 550);
  EXPECT_EQ(debit.direction, Direction::debit);
  EXPECT_EQ(debit.source.element_path, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]");
  EXPECT_EQ(debit.source.line, 13U);
  const std::string debit_raw(debit.raw.begin(), debit.raw.end());
  EXPECT_TRUE(debit_raw.starts_with("<Ntry>\n<Amt Ccy=\"EUR\">5.50</Amt>")) << debit_raw;
  EXPECT_TRUE(debit_raw.ends_with("</Ntry>")) << debit_raw;
}

// Raw bytes are cut by the parser's line and column: CRLF and lone CR lines must not shift them.
TEST(Camt, RawBytesFollowAnyLineEnding) {
  for (std::string_view ending : {"\r\n", "\r"}) {
    std::string xml = statement("02", entry("1.00", "CRDT") + entry("2.00", "CRDT", tx("", "é")));
    for (std::size_t at = xml.find('\n'); at != std::string::npos; at = xml.find('\n', at)) {
      xml.replace(at, 1, ending);
      at += ending.size();
    }
    const Parsed parsed = parse_text(xml);
    ASSERT_TRUE(parsed.report.ok()) << errors_of(parsed.report);
    ASSERT_EQ(parsed.records.size(), 2U);
    for (const Record& record : parsed.records) {
      const std::string raw(record.raw.begin(), record.raw.end());
      EXPECT_EQ(xml.substr(record.source.byte_offset, raw.size()), raw);
      EXPECT_TRUE(raw.starts_with("<Ntry>") || raw.starts_with("<TxDtls>")) << raw;
      EXPECT_TRUE(raw.ends_with("</Ntry>") || raw.ends_with("</TxDtls>")) << raw;
    }
    EXPECT_EQ(parsed.records[1].counterparty, "Payer é");
  }
}

TEST(Camt, SingleTransactionWithoutAmountTakesTheEntryAmount) {
  const Parsed parsed = parse_text(statement("02", entry("12.34", "DBIT", tx("", "E9"))));
  ASSERT_TRUE(parsed.report.ok()) << errors_of(parsed.report);
  ASSERT_EQ(parsed.records.size(), 1U);
  EXPECT_EQ(parsed.records[0].amount.minor_units(), 1234);
  EXPECT_EQ(parsed.records[0].counterparty, "Us");  // debit: the creditor is the other party
}

TEST(Camt, BatchedTransactionWithoutAmountIsRefused) {
  const Parsed parsed =
      parse_text(statement("02", entry("12.34", "CRDT", tx("", "E1") + tx("12.34", "E2"))));
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_EQ(parsed.report.errors()[0].where.element_path,
            "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]");
}

TEST(Camt, TransactionAmountsMustSumToTheEntry) {
  const Parsed parsed =
      parse_text(statement("04", entry("30.00", "CRDT", tx("10.00", "E1") + tx("20.01", "E2"))));
  ASSERT_FALSE(parsed.report.ok());
  ASSERT_EQ(parsed.report.errors().size(), 1U);
  EXPECT_EQ(parsed.report.errors()[0].where.element_path,
            "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]");
  EXPECT_NE(parsed.report.errors()[0].reason.find("30.01"), std::string::npos);
}

TEST(Camt, ClosingBalanceMustFollowFromOpeningAndBookedEntries) {
  const Parsed parsed =
      parse_text(statement("02", balance("OPBD", "100.00", "CRDT") + entry("5.50", "DBIT") +
                                     balance("CLBD", "94.51", "CRDT")));
  ASSERT_FALSE(parsed.report.ok());
  ASSERT_EQ(parsed.report.errors().size(), 1U);
  EXPECT_EQ(parsed.report.errors()[0].where.element_path, "/Document/BkToCstmrStmt/Stmt[1]/Bal[2]");
  EXPECT_NE(parsed.report.errors()[0].reason.find("94.50"), std::string::npos);
}

TEST(Camt, DebitBalancesCount) {
  const Parsed parsed =
      parse_text(statement("02", balance("OPBD", "10.00", "DBIT") + entry("15.00", "CRDT") +
                                     balance("CLBD", "5.00", "CRDT")));
  EXPECT_TRUE(parsed.report.ok()) << errors_of(parsed.report);
}

TEST(Camt, BadValuesAreLocatedByPathAndLine) {
  const Parsed parsed = parse_text(statement(
      "02",
      "<Ntry>\n<Amt Ccy=\"XYZ\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>\n"
      "<Ntry>\n<Amt Ccy=\"EUR\">1.001</Amt><CdtDbtInd>UP</CdtDbtInd><Sts>BOOK</Sts>"
      "<BookgDt><Dt>2024-02-30</Dt></BookgDt></Ntry>\n"));
  ASSERT_FALSE(parsed.report.ok());
  std::vector<std::string> paths;
  for (const auto& error : parsed.report.errors())
    paths.push_back(error.where.element_path);
  const std::string base = "/Document/BkToCstmrStmt/Stmt[1]/";
  ASSERT_GE(paths.size(), 4U) << errors_of(parsed.report);
  EXPECT_EQ(paths[0], base + "Ntry[1]/Amt");
  EXPECT_EQ(parsed.report.errors()[0].where.line, 9U);
  EXPECT_GT(parsed.report.errors()[0].column, 0U);
  EXPECT_EQ(paths[1], base + "Ntry[1]");  // so the entry has no valid amount
  EXPECT_EQ(paths[2], base + "Ntry[2]/Amt");
  EXPECT_EQ(paths[3], base + "Ntry[2]/CdtDbtInd");
  EXPECT_EQ(paths[4], base + "Ntry[2]/BookgDt/Dt");
}

TEST(Camt, PendingEntriesAreCheckedButNotEmitted) {
  std::string pending = entry("1.00", "CRDT");
  pending.replace(pending.find("BOOK"), 4, "PDNG");
  const Parsed parsed = parse_text(statement("02", pending + entry("2.00", "CRDT")));
  ASSERT_TRUE(parsed.report.ok()) << errors_of(parsed.report);
  ASSERT_EQ(parsed.records.size(), 1U);
  EXPECT_EQ(parsed.records[0].amount.minor_units(), 200);
}

TEST(Camt, ReversalIndicatorMakesAReversal) {
  std::string reversed = entry("1.00", "DBIT");
  reversed.replace(reversed.find("<Sts>"), 0, "<RvslInd>true</RvslInd>");
  const Parsed parsed = parse_text(statement("02", reversed));
  ASSERT_TRUE(parsed.report.ok()) << errors_of(parsed.report);
  ASSERT_EQ(parsed.records.size(), 1U);
  EXPECT_EQ(parsed.records[0].kind, RecordKind::reversal);
}

TEST(Camt, DoctypeIsRefused) {
  const Parsed parsed = parse_text(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [<!ENTITY x \"boom\">]>\n"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">&x;</Document>");
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_NE(parsed.report.errors()[0].reason.find("DOCTYPE"), std::string::npos);
  EXPECT_EQ(parsed.report.errors()[0].where.line, 2U);
}

TEST(Camt, ExternalEntityIsRefused) {
  const Parsed parsed = parse_text(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Document SYSTEM \"file:///etc/passwd\">\n"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"/>");
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_NE(parsed.report.errors()[0].reason.find("DOCTYPE"), std::string::npos);
}

TEST(Camt, DepthBeyondTheLimitIsRefused) {
  std::string deep;
  for (std::size_t i = 0; i < kCamtMaxDepth; ++i)
    deep += "<X>";
  for (std::size_t i = 0; i < kCamtMaxDepth; ++i)
    deep += "</X>";
  const Parsed parsed = parse_text(statement("02", deep));
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_NE(parsed.report.errors()[0].reason.find("deeper"), std::string::npos);
  // Just within the limit is fine.
  std::string within;
  const std::size_t allowed = kCamtMaxDepth - 3;  // Document, message, Stmt
  for (std::size_t i = 0; i < allowed; ++i)
    within += "<X>";
  for (std::size_t i = 0; i < allowed; ++i)
    within += "</X>";
  EXPECT_TRUE(parse_text(statement("02", within)).report.ok());
}

TEST(Camt, TextBeyondTheLimitIsRefused) {
  const std::string at_limit(kCamtMaxTextBytes, 'a');
  EXPECT_TRUE(
      parse_text(statement("02", "<AddtlStmtInf>" + at_limit + "</AddtlStmtInf>")).report.ok());
  const Parsed parsed =
      parse_text(statement("02", "<AddtlStmtInf>" + at_limit + "a</AddtlStmtInf>"));
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_NE(parsed.report.errors()[0].reason.find("longer"), std::string::npos);
}

TEST(Camt, RecordBeyondTheByteLimitIsRefused) {
  const std::string info = "<AddtlNtryInf>" + std::string(1000, 'x') + "</AddtlNtryInf>\n";
  std::string big_entry = entry("1.00", "CRDT");
  std::string filler;
  while (filler.size() < kCamtMaxRecordBytes + 512 * 1024)
    filler += info;
  big_entry.replace(big_entry.find("</Ntry>"), 0, filler);
  const Parsed parsed = parse_text(statement("02", big_entry));
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_NE(parsed.report.errors()[0].reason.find("one record spans more than"), std::string::npos)
      << errors_of(parsed.report);
  EXPECT_TRUE(parsed.records.empty());
}

// Megabytes outside any record (a long statement-level text run) are read in a bounded window.
TEST(Camt, LongRunsOutsideRecordsAreFine) {
  const std::string info = "<AddtlStmtInf>" + std::string(1000, 'y') + "</AddtlStmtInf>\n";
  std::string filler;
  while (filler.size() < 3 * kCamtMaxRecordBytes)
    filler += info;
  const Parsed parsed =
      parse_text(statement("02", entry("1.00", "CRDT") + filler + entry("2.00", "CRDT")));
  ASSERT_TRUE(parsed.report.ok()) << errors_of(parsed.report);
  ASSERT_EQ(parsed.records.size(), 2U);
  const std::string raw(parsed.records[1].raw.begin(), parsed.records[1].raw.end());
  EXPECT_TRUE(raw.starts_with("<Ntry>\n<Amt Ccy=\"EUR\">2.00</Amt>")) << raw.substr(0, 80);
}

TEST(Camt, MessageElementMustMatchTheNamespace) {
  std::string xml = statement("02", entry("1.00", "CRDT"));
  xml.replace(xml.find("<BkToCstmrStmt>"), 15, "<BkToCstmrAcctRpt>");
  xml.replace(xml.find("</BkToCstmrStmt>"), 16, "</BkToCstmrAcctRpt>");
  const Parsed parsed = parse_text(xml);
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_EQ(parsed.report.errors()[0].where.element_path, "/Document/BkToCstmrAcctRpt");
  EXPECT_EQ(parsed.report.errors()[0].reason, "expected BkToCstmrStmt, found BkToCstmrAcctRpt");
}

TEST(Camt, OnlyUtf8IsAccepted) {
  std::string latin = statement("02", entry("1.00", "CRDT"));
  latin.replace(latin.find("UTF-8"), 5, "ISO-8859-1");
  const Parsed parsed = parse_text(latin);
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_NE(parsed.report.errors()[0].reason.find("must be UTF-8"), std::string::npos);
  EXPECT_TRUE(parsed.records.empty());
  const std::string utf16("\xFF\xFE<\0?\0x\0m\0l\0", 12);
  EXPECT_FALSE(parse_text(utf16).report.ok());
  std::string lower = statement("02", entry("1.00", "CRDT"));
  lower.replace(lower.find("UTF-8"), 5, "utf-8");
  EXPECT_TRUE(parse_text("\xEF\xBB\xBF" + lower).report.ok());
}

TEST(Camt, MalformedXmlIsLocated) {
  const Parsed parsed = parse_text(statement("02", "<Ntry><Amt>1</Ntry>"));
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_EQ(parsed.report.errors()[0].where.line, 8U);
  EXPECT_NE(parsed.report.errors()[0].reason.find("malformed XML"), std::string::npos);
}

TEST(Camt, ForeignRootIsRefused) {
  const Parsed parsed = parse_text(
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"><X/></Document>");
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_EQ(parsed.report.errors()[0].where.element_path, "");
}

TEST(Camt, SinkErrorStopsTheParse) {
  const auto xml = statement("02", entry("1.00", "CRDT") + entry("2.00", "CRDT"));
  MemorySource source(as_bytes(xml));
  int calls = 0;
  const ParseReport report = parse_camt(source, {}, [&](Record&&) -> Result<void> {
    ++calls;
    return fail(Errc::io_error, "disk full");
  });
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(report.ok());
}

}  // namespace
}  // namespace tally::adapters
