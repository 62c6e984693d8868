-- What routing decided each request from, kept for a what-if replay (llm-service whatif): the
-- prompt's estimated token count, the complexity hint (lower-case: simple, medium, complex) and the
-- tool and model the request named explicitly. Never the prompt. NULL on rows logged before this
-- version (the estimate is NULL exactly then); hint, tool and model are NULL also when the request
-- gave none.
ALTER TABLE invocation ADD COLUMN (
    estimated_prompt_tokens  BIGINT,
    complexity               VARCHAR(16),
    requested_tool           VARCHAR,
    requested_model          VARCHAR
);

-- A scan of a window (TelemetryStore.scanRecords) reads rows in (start, request id, attempt) order:
-- the index serves it without a sort, and serves retention's range delete as the old one did.
CREATE INDEX invocation_scan ON invocation (started_at_ns, request_id, attempt);
DROP INDEX invocation_started_at;
