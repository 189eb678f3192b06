#pragma once
// Profile-driven fixed-width bank files: each line one record of a type chosen by a tag at a
// fixed byte offset (header H, details D, trailer T, or as the profile says), fields cut at byte
// offsets and lengths in the file's own encoding (GBK, GB18030 or UTF-8). A cut that would split
// a multi-byte character is an error, never half a character; fields are decoded to UTF-8 and
// keys NFKC-folded, while Record::raw keeps the line's original bytes.
//
// Checked: every line's length is its type's, its bytes are well-formed in the encoding, the
// header (if the profile has one) comes first and once, the trailer last and once, and its count
// and sum match the details. A header's business_date is the default for the details. Errors are
// located by line and 1-based byte column; all of them are collected.

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>
#include <tally/adapters/profile.hpp>

namespace tally::adapters {

ParseReport parse_fixed_width(ByteSource& source,
                              const Profile& profile,
                              const ParseOptions& options,
                              const RecordSink& sink);

}  // namespace tally::adapters
