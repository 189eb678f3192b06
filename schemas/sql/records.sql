-- The records store of reconciliation: every accepted bank file and the normalized records it
-- carried (adapters/record.hpp), with their source position and raw bytes for audit. Format
-- version 3 (records_meta.format_version; 2 added term and funding_ratio_bp; 3 dropped the
-- duplicate_key column and its index: a file's duplicates are found in memory while it is
-- staged, and a store of version 2 is migrated when opened). A file and all its records are
-- written in one database transaction: a file is in the store whole, or not at all.

CREATE TABLE IF NOT EXISTS records_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One accepted file, identified by the SHA-256 of its bytes: the same bytes are never taken twice.
CREATE TABLE IF NOT EXISTS source_files (
  file_hash    BLOB PRIMARY KEY CHECK (length(file_hash) = 32),
  name         TEXT NOT NULL,     -- the file's name as submitted
  profile      TEXT NOT NULL,     -- the profile it was read with
  institution  TEXT NOT NULL,     -- who sent it
  byte_size    INTEGER NOT NULL CHECK (byte_size >= 0),
  record_count INTEGER NOT NULL CHECK (record_count >= 0),
  ingested_at  TEXT NOT NULL      -- RFC 3339 UTC
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS records (
  file_hash        BLOB NOT NULL REFERENCES source_files (file_hash),
  seq              INTEGER NOT NULL,  -- 0-based order in the file
  institution      TEXT NOT NULL,
  counterparty     TEXT NOT NULL,
  account          TEXT NOT NULL,
  business_date    TEXT,              -- YYYY-MM-DD, NULL when the file does not say
  value_date       TEXT,
  booking_date     TEXT,
  kind             INTEGER NOT NULL,  -- adapters::RecordKind
  reference        TEXT NOT NULL,
  loan_id          TEXT NOT NULL,
  end_to_end_id    TEXT NOT NULL,
  currency         TEXT NOT NULL,     -- ISO 4217 alphabetic code
  amount_minor     INTEGER NOT NULL CHECK (amount_minor >= 0),
  direction        INTEGER NOT NULL,  -- adapters::Direction
  principal        INTEGER,           -- components in minor units, NULL when not given
  interest         INTEGER,
  penalty_interest INTEGER,
  fee              INTEGER,
  text             TEXT NOT NULL,
  line             INTEGER NOT NULL,
  element_path     TEXT NOT NULL,
  byte_offset      INTEGER NOT NULL,
  raw              BLOB NOT NULL,
  term             INTEGER,           -- joint loans: the instalment number, NULL when not given
  funding_ratio_bp INTEGER,           -- joint loans: the sender's share in basis points
  PRIMARY KEY (file_hash, seq)
) WITHOUT ROWID;
