-- The ledger of one node: blocks, their transactions, receipts and logs, the state's trie nodes
-- and contract code, and the head. Format version 2 (meta.format_version). One block is written
-- in one database transaction, head row last, so a reader never sees part of a block.
-- Block hashes (blocks.hash, head.hash) are block digests: the suite hash of the header with
-- extra_data's round set to 0 and its commit seals removed (chain/block_seal.hpp), the same on
-- every node whatever seals it holds, and the next block's parent_hash. Version 1 keyed blocks
-- by the hash of the sealed header and is refused (unsupported).

CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS blocks (
  block_number INTEGER PRIMARY KEY,
  hash         BLOB NOT NULL UNIQUE,
  header       BLOB NOT NULL,  -- RLP of the header
  body         BLOB NOT NULL   -- RLP list of the raw transactions
);

-- Where each transaction lives; the raw bytes stay in the block body.
CREATE TABLE IF NOT EXISTS txs (
  hash         BLOB PRIMARY KEY,
  block_number INTEGER NOT NULL REFERENCES blocks (block_number),
  tx_index     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS txs_by_position ON txs (block_number, tx_index);

CREATE TABLE IF NOT EXISTS receipts (
  block_number INTEGER NOT NULL REFERENCES blocks (block_number),
  tx_index     INTEGER NOT NULL,
  receipt      BLOB NOT NULL,  -- the typed receipt encoding, as hashed into receiptsRoot
  PRIMARY KEY (block_number, tx_index)
) WITHOUT ROWID;

-- One row a log, indexed for eth_getLogs: by block range, and by address or a topic position.
CREATE TABLE IF NOT EXISTS logs (
  block_number INTEGER NOT NULL REFERENCES blocks (block_number),
  log_index    INTEGER NOT NULL,  -- position in the block
  tx_index     INTEGER NOT NULL,
  address      BLOB NOT NULL,
  topic0       BLOB,
  topic1       BLOB,
  topic2       BLOB,
  topic3       BLOB,
  data         BLOB NOT NULL,
  PRIMARY KEY (block_number, log_index)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS logs_by_address ON logs (address, block_number);
CREATE INDEX IF NOT EXISTS logs_by_topic0 ON logs (topic0, block_number);
CREATE INDEX IF NOT EXISTS logs_by_topic1 ON logs (topic1, block_number);
CREATE INDEX IF NOT EXISTS logs_by_topic2 ON logs (topic2, block_number);
CREATE INDEX IF NOT EXISTS logs_by_topic3 ON logs (topic3, block_number);

-- Merkle-Patricia trie nodes of the state and storage tries, by the suite hash of their RLP.
CREATE TABLE IF NOT EXISTS trie_nodes (
  hash BLOB PRIMARY KEY,
  node BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS code (
  hash BLOB PRIMARY KEY,  -- Keccak-256 of the code (the account's code hash)
  code BLOB NOT NULL
) WITHOUT ROWID;

-- The last whole block. Exactly one row once genesis is written.
CREATE TABLE IF NOT EXISTS head (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  block_number INTEGER NOT NULL REFERENCES blocks (block_number),
  hash         BLOB NOT NULL
);
