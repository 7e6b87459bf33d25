-- From here on the indexes come from core's one list (core/src/store/indexes.ts), created by
-- server/src/db/indexes.ts after the migrations. The hand-written ones of earlier migrations go;
-- the list recreates each of them (same terms) under an ix_ name.
DROP INDEX IF EXISTS tickets_status_sector_queued;
DROP INDEX IF EXISTS tickets_status_last_message;
DROP INDEX IF EXISTS tickets_assignee_status_last_message;
DROP INDEX IF EXISTS tickets_contact_channel_status;
DROP INDEX IF EXISTS tickets_closed_at;
DROP INDEX IF EXISTS tickets_status_sector_closed;
DROP INDEX IF EXISTS messages_ticket_created;
DROP INDEX IF EXISTS messages_ticket_client;
DROP INDEX IF EXISTS contacts_name;
DROP INDEX IF EXISTS outbox_due;
DROP INDEX IF EXISTS users_presence;
DROP INDEX IF EXISTS channels_account;
DROP INDEX IF EXISTS presence_events_user_at;
DROP INDEX IF EXISTS presence_events_at;
DROP INDEX IF EXISTS stats_period_sector_key;
DROP INDEX IF EXISTS stats_period_key;
DROP INDEX IF EXISTS facts_at;
DROP INDEX IF EXISTS copilot_examples_closed_at;
