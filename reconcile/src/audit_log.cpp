#include <tally/core/assert.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/audit_log.hpp>

namespace tally::reconcile {
namespace {

constexpr std::string_view kDomain = "tally-audit-1";
constexpr std::string_view kSelectEntries =
    "SELECT seq, at, user_name, role, action, break_id, payload, prev_hash, hash FROM audit_log";

// A stored hash of the wrong length reads as zero; the recomputed hash then never equals it.
Hash256 column_hash(const sqlite::Statement& row, int column) {
  auto hash = Hash256::from_span(row.column_blob(column));
  return hash ? *hash : Hash256{};
}

AuditEntry read_entry(const sqlite::Statement& row) {
  AuditEntry entry;
  entry.seq = static_cast<std::uint64_t>(row.column_int64(0));
  entry.at = row.column_text(1);
  entry.user = row.column_text(2);
  entry.role = row.column_text(3);
  entry.action = row.column_text(4);
  entry.break_id = row.column_int64(5);
  entry.payload = row.column_text(6);
  entry.prev_hash = column_hash(row, 7);
  entry.hash = column_hash(row, 8);
  return entry;
}

Result<std::vector<AuditEntry>> read_entries(sqlite::Statement& query) {
  sqlite::ResetOnExit reset(query);
  std::vector<AuditEntry> entries;
  for (;;) {
    TALLY_TRY(const bool row, query.step());
    if (!row)
      return entries;
    entries.push_back(read_entry(query));
  }
}

// Why `entry` does not follow `previous` in an intact chain, or empty when it does.
std::string chain_fault(const AuditEntry& entry, const AuditHead& previous) {
  if (entry.seq != previous.seq + 1) {
    return entry.seq > previous.seq + 1
               ? str_cat("entry ", previous.seq + 1, " is missing (next entry is ", entry.seq, ")")
               : str_cat("entry ", entry.seq, " is out of order after ", previous.seq);
  }
  if (entry.prev_hash != previous.hash)
    return "its previous hash is not the hash of the entry before it";
  if (audit_entry_hash(entry) != entry.hash)
    return "its hash does not match its contents (edited)";
  return {};
}

}  // namespace

Bytes audit_entry_encoding(const AuditEntry& entry) {
  RlpWriter writer(256 + entry.payload.size());
  writer.begin_list();
  writer.add_string(as_bytes(kDomain));
  writer.add_uint(entry.seq);
  writer.add_string(as_bytes(entry.at));
  writer.add_string(as_bytes(entry.user));
  writer.add_string(as_bytes(entry.role));
  writer.add_string(as_bytes(entry.action));
  writer.add_uint(static_cast<std::uint64_t>(entry.break_id));
  writer.add_string(as_bytes(entry.payload));
  writer.add_string(entry.prev_hash.view());
  writer.end_list();
  return writer.finish();
}

Hash256 audit_entry_hash(const AuditEntry& entry) {
  return sha256(audit_entry_encoding(entry));
}

Result<AuditHead> AuditLog::head() {
  TALLY_TRY(auto query, database_->prepare("SELECT seq, hash FROM audit_anchor WHERE id = 1"));
  sqlite::ResetOnExit reset(query);
  TALLY_TRY(const bool found, query.step());
  if (!found)
    return AuditHead{};
  TALLY_TRY(const auto hash, Hash256::from_span(query.column_blob(1)));
  return AuditHead{static_cast<std::uint64_t>(query.column_int64(0)), hash};
}

Result<AuditEntry> AuditLog::append(const Clock& clock,
                                    std::string user,
                                    std::string role,
                                    std::string action,
                                    std::int64_t break_id,
                                    std::string payload) {
  // An entry outside a db_txn could land without the change it records, or the reverse.
  TALLY_ASSERT(database_->in_transaction());
  TALLY_TRY(const AuditHead previous, head());
  AuditEntry entry;
  entry.seq = previous.seq + 1;
  entry.at = to_rfc3339_ms(clock.now());
  entry.user = std::move(user);
  entry.role = std::move(role);
  entry.action = std::move(action);
  entry.break_id = break_id;
  entry.payload = std::move(payload);
  entry.prev_hash = previous.hash;
  entry.hash = audit_entry_hash(entry);

  TALLY_TRY(
      auto insert,
      database_->prepare("INSERT INTO audit_log (seq, at, user_name, role, action, break_id, "
                         "payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  TALLY_TRY_VOID(insert.bind(1, static_cast<std::int64_t>(entry.seq)));
  TALLY_TRY_VOID(insert.bind_text(2, entry.at));
  TALLY_TRY_VOID(insert.bind_text(3, entry.user));
  TALLY_TRY_VOID(insert.bind_text(4, entry.role));
  TALLY_TRY_VOID(insert.bind_text(5, entry.action));
  TALLY_TRY_VOID(insert.bind(6, entry.break_id));
  TALLY_TRY_VOID(insert.bind_text(7, entry.payload));
  TALLY_TRY_VOID(insert.bind(8, entry.prev_hash.view()));
  TALLY_TRY_VOID(insert.bind(9, entry.hash.view()));
  TALLY_TRY_VOID(insert.run());

  TALLY_TRY(auto anchor,
            database_->prepare(
                "INSERT INTO audit_anchor (id, seq, hash) VALUES (1, ?1, ?2) "
                "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash"));
  TALLY_TRY_VOID(anchor.bind(1, static_cast<std::int64_t>(entry.seq)));
  TALLY_TRY_VOID(anchor.bind(2, entry.hash.view()));
  TALLY_TRY_VOID(anchor.run());
  return entry;
}

Result<std::vector<AuditEntry>> AuditLog::entries_of(std::int64_t break_id) {
  TALLY_TRY(auto query,
            database_->prepare(str_cat(kSelectEntries, " WHERE break_id = ?1 ORDER BY seq")));
  TALLY_TRY_VOID(query.bind(1, break_id));
  return read_entries(query);
}

Result<std::vector<AuditEntry>> AuditLog::entries() {
  TALLY_TRY(auto query, database_->prepare(str_cat(kSelectEntries, " ORDER BY seq")));
  return read_entries(query);
}

Result<AuditVerdict> AuditLog::verify(std::optional<AuditHead> trusted) {
  AuditVerdict verdict;
  bool trusted_seen = !trusted || trusted->seq == 0;
  {
    // Streams: the log may be long, and only the previous entry's head is needed.
    TALLY_TRY(auto query, database_->prepare(str_cat(kSelectEntries, " ORDER BY seq")));
    sqlite::ResetOnExit reset(query);
    for (;;) {
      TALLY_TRY(const bool row, query.step());
      if (!row)
        break;
      const AuditEntry entry = read_entry(query);
      if (std::string fault = chain_fault(entry, verdict.head); !fault.empty()) {
        verdict.first_bad = std::min(entry.seq, verdict.head.seq + 1);
        verdict.reason = str_cat("entry ", entry.seq, ": ", fault);
        return verdict;
      }
      if (trusted && trusted->seq == entry.seq) {
        if (trusted->hash != entry.hash) {
          verdict.first_bad = entry.seq;
          verdict.reason = str_cat("entry ", entry.seq, ": its hash is not the trusted head's");
          return verdict;
        }
        trusted_seen = true;
      }
      ++verdict.entries;
      verdict.head = AuditHead{entry.seq, entry.hash};
    }
  }
  TALLY_TRY(const AuditHead anchor, head());
  if (anchor != verdict.head) {
    verdict.first_bad =
        anchor.seq == verdict.head.seq ? anchor.seq : std::min(anchor.seq, verdict.head.seq) + 1;
    verdict.reason =
        anchor.seq > verdict.head.seq
            ? str_cat("the anchor says the log ends at entry ", anchor.seq, " but it ends at ",
                      verdict.head.seq, " (entries removed)")
            : str_cat("the log ends at entry ", verdict.head.seq, " but the anchor says ",
                      anchor.seq,
                      anchor.seq < verdict.head.seq ? " (entries appended outside the log)"
                                                    : " with another hash");
    return verdict;
  }
  if (!trusted_seen) {
    verdict.first_bad = verdict.head.seq + 1;
    verdict.reason = str_cat("the trusted head is entry ", trusted->seq, " but the log ends at ",
                             verdict.head.seq, " (entries removed and the anchor rewritten)");
  }
  return verdict;
}

}  // namespace tally::reconcile
