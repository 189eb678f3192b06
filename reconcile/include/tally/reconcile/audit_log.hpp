#pragma once
// The append-only, hash-chained audit log of the breaks workflow (schemas/sql/breaks.sql). Each
// entry's hash covers all its fields and the previous entry's hash, so editing, removing,
// inserting or reordering any entry breaks the chain from that entry on; an anchor row holding the
// head (last seq and hash) is moved with every append, so dropping entries from the end shows too.
//
// What verify() cannot see by itself: someone with write access who rewrites the chain from some
// entry onwards, recomputing every later hash and the anchor (SHA-256 has no key). Against that,
// the caller keeps a head it trusts (printed by `tally breaks audit verify`, later anchored on the
// chain) and passes it in: the log must still hold that entry with that hash.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/clock.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/sqlite.hpp>

namespace tally::reconcile {

// Entries are kept as text as stored (not parsed into enums), so an entry with an unknown action
// still hashes and verifies or fails as what it is.
struct AuditEntry {
  std::uint64_t seq = 0;  // 1, 2, 3, ... without gaps
  std::string at;         // RFC 3339 UTC with milliseconds
  std::string user;
  std::string role;
  std::string action;
  std::int64_t break_id = 0;
  std::string payload;  // canonical JSON
  Hash256 prev_hash;    // zero for entry 1
  Hash256 hash;

  bool operator==(const AuditEntry&) const = default;
};

// The canonical encoding hashed into an entry's hash: the RLP list
//   ["tally-audit-1", seq, at, user, role, action, break_id as uint64 (two's complement),
//    payload, prev_hash]
Bytes audit_entry_encoding(const AuditEntry& entry);
Hash256 audit_entry_hash(const AuditEntry& entry);

// The last entry's seq and hash; {0, zero} for an empty log.
struct AuditHead {
  std::uint64_t seq = 0;
  Hash256 hash;

  bool operator==(const AuditHead&) const = default;
};

struct AuditVerdict {
  std::uint64_t entries = 0;               // entries read
  std::optional<std::uint64_t> first_bad;  // the first seq that fails, when one does
  std::string reason;                      // why it fails
  AuditHead head;                          // the last entry read

  bool intact() const noexcept { return !first_bad.has_value(); }
};

class AuditLog {
 public:
  // The tables must exist (BreakStore creates them).
  explicit AuditLog(sqlite::Database& database) noexcept : database_(&database) {}

  // Appends one entry after the head and moves the anchor. Must run inside the caller's db_txn,
  // the one that makes the change the entry records.
  Result<AuditEntry> append(const Clock& clock,
                            std::string user,
                            std::string role,
                            std::string action,
                            std::int64_t break_id,
                            std::string payload);

  Result<AuditHead> head();
  // The entries of one break, in order.
  Result<std::vector<AuditEntry>> entries_of(std::int64_t break_id);
  // Every entry in seq order, as stored (not verified).
  Result<std::vector<AuditEntry>> entries();

  // Walks the whole chain: seq numbers 1..n without gaps, each prev_hash equal to the previous
  // entry's hash, each hash recomputed; then the anchor equals the last entry; then, if given,
  // `trusted` is an entry of the log. A failing database read is an Error; tampering is a verdict.
  Result<AuditVerdict> verify(std::optional<AuditHead> trusted = std::nullopt);

 private:
  sqlite::Database* database_;
};

}  // namespace tally::reconcile
