-- The breaks workflow (reconcile/break_store.hpp): the state of each break beyond its status, and
-- the append-only, hash-chained audit log of every action. Format version 1
-- (breaks_meta.format_version). The `breaks` table itself (the matching engine's output, in
-- reconcile.sql) is only read here, and its status column updated. Every action updates
-- break_state and breaks.status and appends its audit_log entry in one database transaction.

CREATE TABLE IF NOT EXISTS breaks_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- A break without a row here has had no action yet: open, no owner, no proposal.
CREATE TABLE IF NOT EXISTS break_state (
  break_id        INTEGER PRIMARY KEY,          -- breaks.break_id
  owner           TEXT NOT NULL DEFAULT '',     -- empty: not assigned
  proposal        TEXT,                         -- the pending proposal or the applied resolution,
                                                -- as a propose payload (action_payload.hpp); NULL: none
  proposer        TEXT NOT NULL DEFAULT '',
  approved_by     TEXT NOT NULL DEFAULT '',
  reopen_count    INTEGER NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
  action_count    INTEGER NOT NULL DEFAULT 0 CHECK (action_count >= 0),
  last_seq        INTEGER NOT NULL              -- audit_log.seq of the last action on the break
);

-- One entry per action, numbered from 1 without gaps. hash = SHA-256 of the entry's canonical
-- encoding (reconcile/README.md, "Audit log"), which covers prev_hash, the hash of entry seq - 1
-- (32 zero bytes for entry 1).
CREATE TABLE IF NOT EXISTS audit_log (
  seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
  at         TEXT NOT NULL,                     -- RFC 3339 UTC with milliseconds, from the Clock
  user_name  TEXT NOT NULL,
  role       TEXT NOT NULL,                     -- the user's role when acting
  action     TEXT NOT NULL,                     -- assign, comment, propose, approve, reject, reopen
  break_id   INTEGER NOT NULL,
  payload    TEXT NOT NULL,                     -- canonical JSON (action_payload.hpp)
  prev_hash  BLOB NOT NULL CHECK (length(prev_hash) = 32),
  hash       BLOB NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX IF NOT EXISTS audit_log_by_break ON audit_log (break_id, seq);

-- The head of the log (its last seq and hash), moved in the same db_txn as each append, so that
-- dropping entries from the end shows. One row, id 1.
CREATE TABLE IF NOT EXISTS audit_anchor (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   INTEGER NOT NULL CHECK (seq >= 0),
  hash  BLOB NOT NULL CHECK (length(hash) = 32)
);

-- Append-only against mistakes: ordinary SQL cannot change or remove an entry. (Whoever can drop
-- these triggers can; the hash chain and the anchor are what detect that.)
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
