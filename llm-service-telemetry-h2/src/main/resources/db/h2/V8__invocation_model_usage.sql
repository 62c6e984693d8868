-- Each model's share of an attempt whose tool reports a per-model breakdown (Claude Code's
-- modelUsage: the main thread and its sub-agents, possibly on other models). The invocation row
-- keeps the attempt's totals; these rows say which model used which part of them. NULL means
-- "unknown", never zero. No rows for a tool without a breakdown.
CREATE TABLE invocation_model_usage (
    request_id          VARCHAR          NOT NULL,
    attempt             INTEGER          NOT NULL,
    model               VARCHAR          NOT NULL,
    input_tokens        BIGINT,
    output_tokens       BIGINT,
    cache_read_tokens   BIGINT,
    cache_write_tokens  BIGINT,
    cost_usd            DECIMAL(30, 12),
    CONSTRAINT invocation_model_usage_pk PRIMARY KEY (request_id, attempt, model),
    CONSTRAINT invocation_model_usage_invocation FOREIGN KEY (request_id, attempt)
        REFERENCES invocation (request_id, attempt) ON DELETE CASCADE
);
