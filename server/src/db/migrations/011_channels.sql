-- Channel providers (issue 11): secrets no client reads, templates synced from the provider.
CREATE TABLE channelSecrets (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
-- Channels are found by their provider account (WhatsApp phone_number_id) when a webhook arrives.
CREATE INDEX channels_account ON channels (json_extract(data, '$.account.id'));
