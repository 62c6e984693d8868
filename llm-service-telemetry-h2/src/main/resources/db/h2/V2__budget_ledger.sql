-- The budget ledger. One row per (budget, period) holds the settled spend and is the lock that
-- makes check-and-reserve atomic across every process sharing the database.
CREATE TABLE budget_period (
    budget         VARCHAR          NOT NULL,
    period_key     VARCHAR          NOT NULL,
    spent_usd      DECIMAL(30, 12)  NOT NULL,
    updated_at_ns  BIGINT           NOT NULL,
    CONSTRAINT budget_period_pk PRIMARY KEY (budget, period_key)
);

-- One row per reservation. state: live, settled or released. A live row counts while
-- expires_at_ns is in the future; an expired one stops counting but can still be settled.
CREATE TABLE budget_reservation (
    reservation_id  VARCHAR(36)      NOT NULL,
    budget          VARCHAR          NOT NULL,
    period_key      VARCHAR          NOT NULL,
    request_id      VARCHAR          NOT NULL,
    amount_usd      DECIMAL(30, 12)  NOT NULL,
    state           VARCHAR(16)      NOT NULL,
    actual_usd      DECIMAL(30, 12),
    created_at_ns   BIGINT           NOT NULL,
    expires_at_ns   BIGINT           NOT NULL,
    closed_at_ns    BIGINT,
    CONSTRAINT budget_reservation_pk PRIMARY KEY (reservation_id),
    CONSTRAINT budget_reservation_period FOREIGN KEY (budget, period_key)
        REFERENCES budget_period (budget, period_key),
    CONSTRAINT budget_reservation_state CHECK (state IN ('live', 'settled', 'released'))
);

CREATE INDEX budget_reservation_live ON budget_reservation (budget, period_key, state, expires_at_ns);
CREATE INDEX budget_reservation_created ON budget_reservation (created_at_ns);
