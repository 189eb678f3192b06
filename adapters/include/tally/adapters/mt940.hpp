#pragma once
// SWIFT MT940 customer statements and MT942 interim transaction reports, streamed into records:
// one Record per :61: statement line, with its :86: information to account owner.
//
// A file holds one or more messages, each wrapped in SWIFT blocks ({1:..}{2:..}{4:\n ... -}) or
// bare tags ending in a "-" line or followed by the next :20:. Lines outside a message (bank
// envelopes such as "ABNANL2A" / "940", or SOH/ETX bytes) are skipped. LF or CRLF, blank lines
// ignored. A message with an opening balance is an MT940 and must close with :62F:/:62M: equal
// to the opening balance plus its movements, in one currency; one with :34F:/:13D: and no opening
// balance is an MT942, whose :90D:/:90C: counts and sums must match its entries.
//
// Leniencies, each seen in real bank files: several :86: after one :61: are joined; an :86:
// outside a statement line (statement-level information) is checked and skipped; :NS: fields
// (bank-specific, non-SWIFT) are skipped; "-XXX" and "-}" also end a message.

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>

namespace tally::adapters {

inline constexpr std::size_t kMt940MaxLineBytes = 4 * 1024;
inline constexpr std::size_t kMt940MaxFieldBytes = 8 * 1024;  // a tag and its continuation lines

ParseReport parse_mt940(ByteSource& source, const ParseOptions& options, const RecordSink& sink);

}  // namespace tally::adapters
