-- The whole schema of the PostgreSQL store, equivalent to the H2 store's V1..V8 (without H2's
-- store_mark, which guards a local file against being replaced by an older copy; a server keeps its own
-- WAL). Created in the connection's current schema: the role's own schema when its search_path names it
-- (docs/team.md). Statements run in one transaction (PostgreSQL's DDL is transactional), so a failed
-- migration leaves nothing half made.

-- The invocation log: one row per attempt of a request (attempt 0: refused before running).
-- Times are UTC epoch nanoseconds so that stats can bucket them by periods computed in any zone.
-- NULL means "unknown" (tokens, cost, exit code), never zero.
CREATE TABLE invocation (
    request_id          TEXT            NOT NULL,
    attempt             INTEGER         NOT NULL,
    started_at_ns       BIGINT          NOT NULL,
    agent               TEXT            NOT NULL,
    team                TEXT,
    tool                TEXT            NOT NULL,
    model               TEXT            NOT NULL,
    outcome             VARCHAR(32)     NOT NULL,
    exit_code           INTEGER,
    input_tokens        BIGINT,
    output_tokens       BIGINT,
    cache_read_tokens   BIGINT,
    cache_write_tokens  BIGINT,
    cost_usd            NUMERIC(30, 12),
    cost_source         VARCHAR(32)     NOT NULL,
    reserved_usd        NUMERIC(30, 12),
    latency_ns          BIGINT          NOT NULL,
    error_code          VARCHAR(32),
    error_summary       TEXT            NOT NULL,
    prompt_text         TEXT,
    response_text       TEXT,
    CONSTRAINT invocation_pk PRIMARY KEY (request_id, attempt)
);

CREATE INDEX invocation_started_at ON invocation (started_at_ns);

-- Labels of the request, one row per label of each attempt.
CREATE TABLE invocation_label (
    request_id   TEXT     NOT NULL,
    attempt      INTEGER  NOT NULL,
    name         TEXT     NOT NULL,
    label_value  TEXT     NOT NULL,
    CONSTRAINT invocation_label_pk PRIMARY KEY (request_id, attempt, name),
    CONSTRAINT invocation_label_invocation FOREIGN KEY (request_id, attempt)
        REFERENCES invocation (request_id, attempt) ON DELETE CASCADE
);

-- Each model's share of an attempt whose tool reports a per-model breakdown (Claude Code's
-- modelUsage). The invocation row keeps the attempt's totals. NULL means "unknown", never zero.
CREATE TABLE invocation_model_usage (
    request_id          TEXT             NOT NULL,
    attempt             INTEGER          NOT NULL,
    model               TEXT             NOT NULL,
    input_tokens        BIGINT,
    output_tokens       BIGINT,
    cache_read_tokens   BIGINT,
    cache_write_tokens  BIGINT,
    cost_usd            NUMERIC(30, 12),
    CONSTRAINT invocation_model_usage_pk PRIMARY KEY (request_id, attempt, model),
    CONSTRAINT invocation_model_usage_invocation FOREIGN KEY (request_id, attempt)
        REFERENCES invocation (request_id, attempt) ON DELETE CASCADE
);

-- Stats read rollups (the same table as H2's V9): one row per quarter-hour, agent, team ('' for
-- none), tool, model and outcome with additive counters, token and cost sums and a latency
-- histogram (LatencyHistogram's bytes). The writer adds a batch's contributions in the batch's
-- transaction (RollupContributions, RollupTable), locking the rows it adds to in key order; stats
-- add up the rows of a window (RollupStats). bucket_start_ns: the quarter-hour's start, UTC epoch
-- nanoseconds like invocation.started_at_ns; the primary key's first column serves the window.
CREATE TABLE stat_rollup (
    bucket_start_ns       BIGINT           NOT NULL,
    agent                 TEXT             NOT NULL,
    team                  TEXT             NOT NULL,
    tool                  TEXT             NOT NULL,
    model                 TEXT             NOT NULL,
    outcome               VARCHAR(32)      NOT NULL,
    attempts              BIGINT           NOT NULL,
    requests_by_request   BIGINT           NOT NULL,
    requests_by_tool      BIGINT           NOT NULL,
    requests_by_model     BIGINT           NOT NULL,
    succeeded_by_request  BIGINT           NOT NULL,
    succeeded_by_tool     BIGINT           NOT NULL,
    succeeded_by_model    BIGINT           NOT NULL,
    input_tokens          BIGINT           NOT NULL,
    output_tokens         BIGINT           NOT NULL,
    cache_read_tokens     BIGINT           NOT NULL,
    cache_write_tokens    BIGINT           NOT NULL,
    cost_usd              NUMERIC(30, 12)  NOT NULL,
    latency               BYTEA            NOT NULL,
    CONSTRAINT stat_rollup_pk PRIMARY KEY (bucket_start_ns, agent, team, tool, model, outcome)
);

-- The budget ledger. One row per (budget, period) holds the settled spend and is the lock that
-- makes check-and-reserve atomic across every host sharing the database.
CREATE TABLE budget_period (
    budget         TEXT             NOT NULL,
    period_key     TEXT             NOT NULL,
    spent_usd      NUMERIC(30, 12)  NOT NULL,
    updated_at_ns  BIGINT           NOT NULL,
    CONSTRAINT budget_period_pk PRIMARY KEY (budget, period_key)
);

-- One row per reservation. state: live, settled, released, or expired (charged as spent at expiry;
-- actual_usd holds the charge). A live row counts while expires_at_ns is in the future. attempt,
-- agent, tool and model say which call it holds room for: one whose process died is charged at the
-- cost its invocation row recorded, and reservations are sized from the recent cost of the same
-- agent, tool and model.
CREATE TABLE budget_reservation (
    reservation_id  VARCHAR(36)      NOT NULL,
    budget          TEXT             NOT NULL,
    period_key      TEXT             NOT NULL,
    request_id      TEXT             NOT NULL,
    amount_usd      NUMERIC(30, 12)  NOT NULL,
    state           VARCHAR(16)      NOT NULL,
    actual_usd      NUMERIC(30, 12),
    created_at_ns   BIGINT           NOT NULL,
    expires_at_ns   BIGINT           NOT NULL,
    closed_at_ns    BIGINT,
    attempt         INTEGER          NOT NULL DEFAULT 0,
    agent           TEXT             NOT NULL DEFAULT '',
    tool            TEXT             NOT NULL DEFAULT '',
    model           TEXT             NOT NULL DEFAULT '',
    CONSTRAINT budget_reservation_pk PRIMARY KEY (reservation_id),
    CONSTRAINT budget_reservation_period FOREIGN KEY (budget, period_key)
        REFERENCES budget_period (budget, period_key),
    CONSTRAINT budget_reservation_state CHECK (state IN ('live', 'settled', 'released', 'expired'))
);

CREATE INDEX budget_reservation_live ON budget_reservation (budget, period_key, state, expires_at_ns);
CREATE INDEX budget_reservation_created ON budget_reservation (created_at_ns);
CREATE INDEX budget_reservation_history ON budget_reservation (agent, tool, model, state, closed_at_ns);

-- Rate-limit token buckets shared by every host (JdbcRateLimitLedger): one row per bucket, whose row
-- lock makes a request's take-from-all-or-none atomic. level counts permits in units of 1/60 000 000;
-- refilled_at_us is the service clock's time of the last refill, in microseconds since the epoch.
CREATE TABLE rate_limit_bucket (
    bucket          TEXT    NOT NULL,
    level           BIGINT  NOT NULL,
    refilled_at_us  BIGINT  NOT NULL,
    CONSTRAINT rate_limit_bucket_pk PRIMARY KEY (bucket)
);

-- Cooldowns of tool/model pairs shared by every host (JdbcCooldownLedger): one row per tool, model
-- and fingerprint (a hash of the tool's definition, never the values); until_us is the end of the
-- cooldown in microseconds since the epoch, NULL while the pair is only counting failures.
CREATE TABLE cooldown (
    tool         TEXT     NOT NULL,
    model        TEXT     NOT NULL,
    fingerprint  TEXT     NOT NULL,
    failures     INTEGER  NOT NULL,
    reason       TEXT     NOT NULL,
    until_us     BIGINT,
    CONSTRAINT cooldown_pk PRIMARY KEY (tool, model, fingerprint)
);
