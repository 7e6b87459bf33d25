-- Softphone (issue 17): each agent's SIP password, written by user.setSip and read only by that agent's sip.credentials. Numbered by issue.
CREATE TABLE sipSecrets (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL);
