-- Rate-limit token buckets shared by every process using the database (H2RateLimitLedger). One row
-- per bucket, named by its limit's dimension and scope; its row lock makes a request's
-- take-from-all-or-none atomic across processes. level counts permits in units of 1/60 000 000 (a
-- bucket of N per minute gains N units per elapsed microsecond, so refills are exact integers); it
-- is negative while a request larger than the bucket is being paid off. refilled_at_us is the
-- service clock's time of the last refill, in microseconds since the epoch.
CREATE TABLE rate_limit_bucket (
    bucket          VARCHAR  NOT NULL,
    level           BIGINT   NOT NULL,
    refilled_at_us  BIGINT   NOT NULL,
    CONSTRAINT rate_limit_bucket_pk PRIMARY KEY (bucket)
);
