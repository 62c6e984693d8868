-- What routing decided each request from, kept for a what-if replay (llm-service whatif): the
-- prompt's estimated token count, the complexity hint (lower-case: simple, medium, complex) and the
-- tool and model the request named explicitly. Never the prompt. NULL on rows logged before this
-- version (the estimate is NULL exactly then); hint, tool and model are NULL also when the request
-- gave none. Adding NULL-able columns without a default rewrites no rows.
ALTER TABLE invocation
    ADD COLUMN estimated_prompt_tokens  BIGINT,
    ADD COLUMN complexity               VARCHAR(16),
    ADD COLUMN requested_tool           TEXT,
    ADD COLUMN requested_model          TEXT;

-- A scan of a window (TelemetryStore.scanRecords) reads rows in (start, request id, attempt) order,
-- request ids by code point (COLLATE "C", as Java and H2 compare them, whatever the database's
-- locale): the index serves it without a sort, and serves retention's range delete as the old one did.
-- Not CONCURRENTLY: Flyway runs a script in one transaction, which CONCURRENTLY refuses; the ALTER
-- above has locked the table until the script commits anyway (docs/team.md, "Upgrading the hosts").
CREATE INDEX invocation_scan ON invocation (started_at_ns, request_id COLLATE "C", attempt);
-- IF EXISTS: the old index may have been dropped by hand; it is only replaced here.
DROP INDEX IF EXISTS invocation_started_at;
