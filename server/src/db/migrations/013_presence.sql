-- Issue 13: pause reasons (a catalogue) and presence history (facts for reports).
CREATE TABLE pauseReasons (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE presenceEvents (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE INDEX presence_events_user_at ON presenceEvents (json_extract(data, '$.userId'), json_extract(data, '$.at'));
CREATE INDEX presence_events_at ON presenceEvents (json_extract(data, '$.at'));
