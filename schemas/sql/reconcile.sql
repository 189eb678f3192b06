-- Matching runs and their results (reconcile/include/tally/reconcile/run_store.hpp), beside the
-- records store (records.sql) in the same database. Format version 3 (records_meta key
-- 'reconcile_format_version'; 2 packed the match groups many to a row, naming sources by their
-- run-local index in run_sources; 3 packed a break's members into its row the same way; a store
-- at an earlier version is refused, not converted: its runs can be redone from the records). A run's
-- sources, groups and breaks are written in one database transaction with the run's row: a run is
-- in the store whole, or not at all. The breaks workflow (break_events, audit_log, assignments)
-- lives in its own file and only reads breaks and updates breaks.status.
-- Group and break members name records by side (1 left, 2 right, 3 ledger), the source (its
-- index in run_sources: a file's SHA-256, or a ledger batch id) and the 0-based sequence number
-- within it.

CREATE TABLE IF NOT EXISTS runs (
  run_id        INTEGER PRIMARY KEY,
  rules_name    TEXT NOT NULL,
  rules_digest  BLOB NOT NULL CHECK (length(rules_digest) = 32),  -- SHA-256 of the rules' JSON
  date_from     TEXT,               -- YYYY-MM-DD; NULL: every date
  date_to       TEXT,
  sources       TEXT NOT NULL,      -- "left:<hex> right:<hex> ...", sorted by side then id
  started_at    TEXT NOT NULL,      -- RFC 3339 UTC
  finished_at   TEXT NOT NULL,
  left_count    INTEGER NOT NULL,   -- records of the run's dates per side
  right_count   INTEGER NOT NULL,
  ledger_count  INTEGER NOT NULL,
  group_count   INTEGER NOT NULL,
  break_count   INTEGER NOT NULL,
  result_digest BLOB NOT NULL CHECK (length(result_digest) = 32)  -- MatchSummary::digest
);

-- The run's sources in MatchSummary::sources order (side, then id): packed members index them.
CREATE TABLE IF NOT EXISTS run_sources (
  run_id    INTEGER NOT NULL REFERENCES runs (run_id),
  source    INTEGER NOT NULL CHECK (source >= 0),   -- MemberRef::source
  side      INTEGER NOT NULL CHECK (side IN (1, 2, 3)),
  source_id BLOB NOT NULL CHECK (length(source_id) = 32),  -- a file's SHA-256, or a ledger batch id
  PRIMARY KEY (run_id, source)
) WITHOUT ROWID;

-- A run's groups, up to kGroupsPerChunk (1024) to a row, in emission order: group n of the run is
-- in the row whose first_group_no <= n < first_group_no + group_count. No foreign key check per row
-- (a run is written by RunWriter alone, in one db_txn) and no index beside the primary key, which
-- the writer appends in order.
CREATE TABLE IF NOT EXISTS match_groups (
  run_id         INTEGER NOT NULL,    -- runs.run_id
  first_group_no INTEGER NOT NULL CHECK (first_group_no >= 0),  -- 0-based, emission order
  group_count    INTEGER NOT NULL CHECK (group_count BETWEEN 1 AND 1024),
  groups         BLOB NOT NULL,       -- reconcile/packed_groups.hpp, version 1 in its first byte
  PRIMARY KEY (run_id, first_group_no)
) WITHOUT ROWID;

-- One row per break (the workflow names them by break_id). The class is checked as a list of
-- equalities rather than with IN (...): the same constraint, and half the cost of an insert,
-- measured, where a run can write hundreds of thousands of breaks.
CREATE TABLE IF NOT EXISTS breaks (
  break_id      INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES runs (run_id),
  class         TEXT NOT NULL CHECK (class = 'missing_left' OR class = 'missing_right' OR
                  class = 'missing_ledger' OR class = 'amount_mismatch' OR
                  class = 'date_mismatch' OR class = 'duplicate' OR class = 'ambiguous' OR
                  class = 'allocation_mismatch'),
  business_date TEXT,               -- YYYY-MM-DD of the earliest dated member: ageing counts from it
  currency      TEXT NOT NULL,
  amount_minor  INTEGER NOT NULL,   -- the member amount of largest magnitude, signed by direction
  key           TEXT NOT NULL,      -- the normalised key the members share, fields joined by '|'
  detail        TEXT NOT NULL,
  members       BLOB NOT NULL,      -- reconcile/packed_groups.hpp pack_members: sorted, sources
                                    -- by their index in the run's run_sources
  status        TEXT NOT NULL DEFAULT 'open'
);
CREATE INDEX IF NOT EXISTS breaks_by_run ON breaks (run_id);
