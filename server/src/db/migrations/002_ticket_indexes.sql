-- tickets.mine filters by assignee and status and orders by lastMessageAt:
-- one index serves the filter and the order (no sort of an agent's tickets).
DROP INDEX tickets_assignee_status;
CREATE INDEX tickets_assignee_status_last_message ON tickets (json_extract(data, '$.assigneeId'), json_extract(data, '$.status'), json_extract(data, '$.lastMessageAt'));
-- The closed history (Finalizados), per sector, newest first.
CREATE INDEX tickets_status_sector_closed ON tickets (json_extract(data, '$.status'), json_extract(data, '$.sectorId'), json_extract(data, '$.closedAt'));
