-- Cooldowns of tool/model pairs shared by every process using the database (H2CooldownLedger). One
-- row per tool, model and fingerprint (two projects sharing the store with different definitions of a
-- tool keep their own rows): fingerprint is a hash of the tool's definition and env values under which the
-- failures were seen (never the values); failures counts authentication / 429 / 5xx failures in a
-- row; until_us is the end of the cooldown in microseconds since the epoch (service clock), NULL
-- while the pair is only counting. A success deletes the row of its fingerprint; rows whose cooldown
-- has ended are purged when a failure is counted.
CREATE TABLE cooldown (
    tool         VARCHAR  NOT NULL,
    model        VARCHAR  NOT NULL,
    fingerprint  VARCHAR  NOT NULL,
    failures     INTEGER  NOT NULL,
    reason       VARCHAR  NOT NULL,
    until_us     BIGINT,
    CONSTRAINT cooldown_pk PRIMARY KEY (tool, model, fingerprint)
);
