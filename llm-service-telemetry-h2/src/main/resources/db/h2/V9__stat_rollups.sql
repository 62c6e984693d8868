-- Stats read rollups (the same table in every SQL dialect): one row per quarter-hour, agent, team
-- ('' for none), tool, model and outcome with additive counters, token and cost sums and a latency
-- histogram (LatencyHistogram's bytes). The writer adds a batch's contributions in the batch's
-- transaction (RollupContributions, RollupTable); stats add up the rows of a window (RollupStats).
-- bucket_start_ns: the quarter-hour's start, UTC epoch nanoseconds like invocation.started_at_ns.
CREATE TABLE stat_rollup (
    bucket_start_ns       BIGINT           NOT NULL,
    agent                 VARCHAR          NOT NULL,
    team                  VARCHAR          NOT NULL,
    tool                  VARCHAR          NOT NULL,
    model                 VARCHAR          NOT NULL,
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
    cost_usd              DECIMAL(30, 12)  NOT NULL,
    latency               VARBINARY        NOT NULL,
    CONSTRAINT stat_rollup_pk PRIMARY KEY (bucket_start_ns, agent, team, tool, model, outcome)
);

-- The packed chunks of V3 are replaced by the rollups.
DROP TABLE invocation_stat_chunk;
DROP TABLE invocation_stat_backfill;

-- Rows logged before this version are rolled up once, by the process that opens the database
-- after the upgrade (SchemaMigrator, RollupTable.backfill), which then clears the flag.
CREATE TABLE stat_rollup_backfill (
    pending  BOOLEAN  NOT NULL
);
INSERT INTO stat_rollup_backfill SELECT EXISTS (SELECT 1 FROM invocation);
