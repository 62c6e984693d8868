-- The invocation log: one row per attempt of a request (attempt 0: refused before running).
-- Times are UTC epoch nanoseconds so that stats can bucket them by periods computed in any zone.
-- NULL means "unknown" (tokens, cost, exit code), never zero.
CREATE TABLE invocation (
    request_id          VARCHAR        NOT NULL,
    attempt             INTEGER        NOT NULL,
    started_at_ns       BIGINT         NOT NULL,
    agent               VARCHAR        NOT NULL,
    team                VARCHAR,
    tool                VARCHAR        NOT NULL,
    model               VARCHAR        NOT NULL,
    outcome             VARCHAR(32)    NOT NULL,
    exit_code           INTEGER,
    input_tokens        BIGINT,
    output_tokens       BIGINT,
    cache_read_tokens   BIGINT,
    cache_write_tokens  BIGINT,
    cost_usd            DECIMAL(30, 12),
    cost_source         VARCHAR(32)    NOT NULL,
    reserved_usd        DECIMAL(30, 12),
    latency_ns          BIGINT         NOT NULL,
    error_code          VARCHAR(32),
    error_summary       VARCHAR        NOT NULL,
    prompt_text         CHARACTER LARGE OBJECT,
    response_text       CHARACTER LARGE OBJECT,
    CONSTRAINT invocation_pk PRIMARY KEY (request_id, attempt)
);

CREATE INDEX invocation_started_at ON invocation (started_at_ns);
CREATE INDEX invocation_agent ON invocation (agent, started_at_ns);
CREATE INDEX invocation_model ON invocation (model, started_at_ns);

-- Labels of the request, one row per label of each attempt.
CREATE TABLE invocation_label (
    request_id  VARCHAR  NOT NULL,
    attempt     INTEGER  NOT NULL,
    name        VARCHAR  NOT NULL,
    label_value VARCHAR  NOT NULL,
    CONSTRAINT invocation_label_pk PRIMARY KEY (request_id, attempt, name),
    CONSTRAINT invocation_label_invocation FOREIGN KEY (request_id, attempt)
        REFERENCES invocation (request_id, attempt) ON DELETE CASCADE
);
