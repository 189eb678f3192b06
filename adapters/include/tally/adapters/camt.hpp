#pragma once
// ISO 20022 bank-to-customer cash management messages: camt.052 (account report), camt.053
// (statement) and camt.054 (debit/credit notification), versions .001.01 to .001.08.
//
// The parser streams: a SAX parser reads the file in chunks and only the current statement's
// totals and the current entry's fields are kept, so memory is bounded whatever the file size.
// One record per booked entry, or one per TxDtls of an entry that has them (a batch). Pending
// (PDNG) and information (INFO) entries are checked but not emitted: they are not yet movements.
// DTDs are refused (no entity expansion, no external fetches); depth and text are bounded.
//
// Checks, each error located by element path and line/column: amounts exact in their Ccy; the
// TxDtls amounts of an entry sum to the entry amount; opening booked balance (OPBD, else PRCD)
// plus booked entries equals the closing booked balance (CLBD) when both are present.

#include <cstdint>
#include <string_view>

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

inline constexpr std::size_t kCamtMaxDepth = 40;                 // the deepest camt paths are ~16
inline constexpr std::size_t kCamtMaxTextBytes = 4 * 1024;       // longest camt text type is 2048
inline constexpr std::size_t kCamtMaxRecordBytes = 1024 * 1024;  // raw bytes of one record

enum class CamtMessage : std::uint16_t {
  account_report = 52,
  statement = 53,
  notification = 54,
};

struct CamtVersion {
  CamtMessage message = CamtMessage::statement;
  int version = 0;  // 1..8, the last part of "camt.053.001.02"
  bool operator==(const CamtVersion&) const = default;
};

// "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" -> {statement, 2}; other namespaces refused.
Result<CamtVersion> camt_version_from_namespace(std::string_view uri);

ParseReport parse_camt(ByteSource& source, const ParseOptions& options, const RecordSink& sink);

}  // namespace tally::adapters
