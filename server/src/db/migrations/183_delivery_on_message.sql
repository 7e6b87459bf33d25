-- Issue 15: an outbound message carries its own delivery (core/src/outbox/state.ts); there is no
-- outbox document per message any more. Deliveries still due move onto their messages; the outbox
-- table stays, empty and unused.
UPDATE messages
SET data = json_set(messages.data, '$.delivery', json_object(
  'attempts', json_extract(o.data, '$.attempts'),
  'dueAt', json_extract(o.data, '$.dueAt'),
  'doneAt', NULL,
  'lastError', json_extract(o.data, '$.lastError')))
FROM outbox AS o
WHERE json_extract(o.data, '$.doneAt') IS NULL
  AND json_extract(o.data, '$.dueAt') IS NOT NULL
  AND messages.parent_id = json_extract(o.data, '$.ticketId')
  AND messages.id = json_extract(o.data, '$.messageId');
DELETE FROM outbox;
