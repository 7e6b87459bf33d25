-- WhatsApp message templates (issue 11), synced from the provider per channel. Numbered 111 to stay clear of other issues' numbers.
CREATE TABLE templates (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
-- Its index (by channelId) comes from core's list (core/src/store/indexes.ts).
