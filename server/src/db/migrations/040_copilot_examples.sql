-- What the copilot learnt from each closed ticket (core/src/copilot/examples.ts); read in closedAt order.
CREATE TABLE copilotExamples (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
CREATE INDEX copilot_examples_closed_at ON copilotExamples (json_extract(data, '$.closedAt'));
