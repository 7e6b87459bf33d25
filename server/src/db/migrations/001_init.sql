-- One table per core collection: the document as JSON, its id, and for
-- sub-collections the parent's id. Indexes are on the same json_extract
-- expressions the query translator (db/sql.ts) writes, so SQLite uses them.

CREATE TABLE users (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE sectors (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE contacts (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE channels (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE tickets (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
-- Messages live under their ticket: the key is (ticket, id), as in Firestore.
CREATE TABLE messages (id TEXT NOT NULL, parent_id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (parent_id, id));
CREATE TABLE quickReplies (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE tags (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE classifications (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE settings (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE counters (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE outbox (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE receipts (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);

CREATE INDEX tickets_status_sector_queued ON tickets (json_extract(data, '$.status'), json_extract(data, '$.sectorId'), json_extract(data, '$.queuedAt'));
CREATE INDEX tickets_status_last_message ON tickets (json_extract(data, '$.status'), json_extract(data, '$.lastMessageAt'));
CREATE INDEX tickets_assignee_status ON tickets (json_extract(data, '$.assigneeId'), json_extract(data, '$.status'));
CREATE INDEX tickets_contact_channel_status ON tickets (json_extract(data, '$.contactId'), json_extract(data, '$.channelId'), json_extract(data, '$.status'));
CREATE INDEX tickets_closed_at ON tickets (json_extract(data, '$.closedAt'));
CREATE INDEX messages_ticket_created ON messages (parent_id, json_extract(data, '$.createdAt'));
CREATE INDEX messages_client_id ON messages (json_extract(data, '$.clientId'));
CREATE INDEX contacts_name ON contacts (json_extract(data, '$.name'));
CREATE INDEX outbox_due ON outbox (json_extract(data, '$.dueAt'));
CREATE INDEX users_presence ON users (json_extract(data, '$.presence'));

-- Contacts are found by their channel identities (inbound.receive's array-contains).
CREATE TABLE contact_identities (identity_key TEXT NOT NULL, contact_id TEXT NOT NULL, PRIMARY KEY (identity_key, contact_id));
CREATE INDEX contact_identities_contact ON contact_identities (contact_id);

-- Secrets: never in a readable document.
CREATE TABLE credentials (uid TEXT PRIMARY KEY, hash TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  uid TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_uid ON sessions (uid);
CREATE TABLE widget_sessions (
  token_hash TEXT PRIMARY KEY,
  channel_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  visitor_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

-- Uploaded files: what was stored, for whom, and where it is on disk.
CREATE TABLE files (
  id TEXT PRIMARY KEY,
  ticket_id TEXT,
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX files_ticket ON files (ticket_id);
