-- Receipts (one per customer message, read by their id only) kept in their primary key's B-tree alone
-- (WITHOUT ROWID): one B-tree written per receipt instead of the table and its key index.
CREATE TABLE receipts_by_id (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO receipts_by_id (id, parent_id, data) SELECT id, parent_id, data FROM receipts;
DROP TABLE receipts;
ALTER TABLE receipts_by_id RENAME TO receipts;
