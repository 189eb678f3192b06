#pragma once
// BAI2 (Cash Management Balance Reporting Specification, version 2) statements: one normalized
// record per transaction detail (16) record with its continuations.
//
// Mapping of a 16: amount in minor units of the account's currency (the 03's, else the group's,
// else USD as the specification defaults; BAI2's implied decimals are the currency's exponent, so
// the digits are the minor units); direction from the type code (bai2_type_codes.hpp); kind from
// the type code where it is unambiguous; business date the group's as-of date; value date the
// funds type V date when given; reference the bank reference; end_to_end_id the customer
// reference; account the 03's account number; text the text field, continuations joined by a
// space; counterparty is not stated by BAI2 and stays empty.
//
// Checked: record order (01, then groups 02..98 of accounts 03..49, then 99), known record codes,
// dates (YYMMDD, years 70-99 are 19xx, 00-69 20xx), times (HHMM up to 2400, or 9999), amounts
// (digits, a sign only where BAI2 allows one: 03 summaries, S distributions and trailers),
// funds types, currencies, and every control total and record count of 49, 98 and 99 (an
// account total is the algebraic sum of the amounts of its 03 and 16 records). Every error is
// located by line and column (in a file of fixed-length physical records without line ends, the
// "line" is the physical record's number); parsing goes on to find the others. The records of a
// refused file may already have reached the sink: the caller keeps them only if the report is ok.

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>

namespace tally::adapters {

ParseReport parse_bai2(ByteSource& source, const ParseOptions& options, const RecordSink& sink);

}  // namespace tally::adapters
