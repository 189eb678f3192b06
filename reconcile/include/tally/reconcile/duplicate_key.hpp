#pragma once
// When two records of one file are the same movement stated twice. A bank file may hold two
// movements that look alike (two equal fees on one day), so only records that carry an
// identifier (a reference, an end-to-end id or a loan id; ISO 20022's "NOTPROVIDED" does not
// count) are compared, and two of them are duplicates when every field that describes the
// movement is equal: everything but the source position and the raw bytes.

#include <optional>

#include <tally/adapters/record.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::reconcile {

// A digest of the describing fields, or nullopt when the record carries no identifier.
std::optional<Hash256> duplicate_key(const adapters::Record& record);

}  // namespace tally::reconcile
