-- message.send looks a retried send up by (ticket, clientId). With an index on
-- clientId alone the planner took the primary key's ticket prefix instead and
-- read every message of the ticket on every send (3 ms at 3,000 messages, found
-- by the fan-out benchmark). (ticket, clientId, id) serves the lookup and its
-- order by id, so the planner prefers it; the old index goes, as
-- nothing queries clientId across tickets, so inbound messages write one index less.
DROP INDEX messages_client_id;
CREATE INDEX messages_ticket_client ON messages (parent_id, json_extract(data, '$.clientId'), id);
