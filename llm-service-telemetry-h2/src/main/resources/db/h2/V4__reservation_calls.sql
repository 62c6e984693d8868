-- Version 4: a reservation says which call it holds room for (attempt, agent, tool, model), so that
-- one whose process died is charged at expiry with the cost its invocation row recorded (matched by
-- request_id and attempt), and so that reservations can be sized from the recent actual cost of the
-- same agent, tool and model. Rows written before this version keep attempt 0 and empty names.
-- State 'expired': charged as spent at expiry (actual_usd holds the charge).
ALTER TABLE budget_reservation ADD COLUMN (
    attempt  INTEGER  DEFAULT 0   NOT NULL,
    agent    VARCHAR  DEFAULT ''  NOT NULL,
    tool     VARCHAR  DEFAULT ''  NOT NULL,
    model    VARCHAR  DEFAULT ''  NOT NULL
);

ALTER TABLE budget_reservation DROP CONSTRAINT budget_reservation_state;
ALTER TABLE budget_reservation ADD CONSTRAINT budget_reservation_state
    CHECK (state IN ('live', 'settled', 'released', 'expired'));

CREATE INDEX budget_reservation_history ON budget_reservation (agent, tool, model, state, closed_at_ns);
