-- Issue 14 (reports): facts as they happen, and the per-day / per-month aggregates
-- the Relatórios screen reads (a period's documents of some sectors, by key).
CREATE TABLE facts (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE TABLE stats (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE INDEX stats_period_sector_key ON stats (json_extract(data, '$.period'), json_extract(data, '$.sectorId'), json_extract(data, '$.key'));
CREATE INDEX stats_period_key ON stats (json_extract(data, '$.period'), json_extract(data, '$.key'));
CREATE INDEX facts_at ON facts (json_extract(data, '$.at'));
