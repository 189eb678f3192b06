#pragma once
// When two records of one file are the same movement stated twice. A bank file may hold two
// movements that look alike (two equal fees on one day), so only records that carry an
// identifier (a reference, an end-to-end id or a loan id; ISO 20022's "NOTPROVIDED" does not
// count) are compared, and two of them are duplicates when every field that describes the
// movement is equal: everything but the source position and the raw bytes.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <tally/adapters/record.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::reconcile {

// A digest of the describing fields, or nullopt when the record carries no identifier.
std::optional<Hash256> duplicate_key(const adapters::Record& record);

// A record that carries an identifier, as a file's staging keeps it while the file is taken in:
// the first 8 bytes of its duplicate key, and its seq in the file (16 bytes a record).
struct DuplicateMark {
  std::uint64_t key_prefix = 0;
  std::uint64_t seq = 0;

  auto operator<=>(const DuplicateMark&) const = default;
};
DuplicateMark duplicate_mark(const Hash256& key, std::uint64_t seq);

// A record that repeats an earlier one, and the first record with its key.
struct DuplicatePair {
  std::uint64_t later = 0;
  std::uint64_t first = 0;

  auto operator<=>(const DuplicatePair&) const = default;
};

// Each record of `marks` that repeats an earlier one, against the first with its key: at most
// `limit` pairs, those of the smallest later seq, in that order. `marks` are sorted in place.
// Records whose prefixes are equal are told apart by their whole keys, which `whole_key(seq)`
// reads back; it is asked only for marks that share a prefix and could still make the result,
// so a file that repeats one movement a million times costs `limit` reads, not a million.
using WholeKeyReader = std::function<Result<Hash256>(std::uint64_t seq)>;
Result<std::vector<DuplicatePair>> duplicate_pairs(std::vector<DuplicateMark>& marks,
                                                   std::size_t limit,
                                                   const WholeKeyReader& whole_key);

}  // namespace tally::reconcile
