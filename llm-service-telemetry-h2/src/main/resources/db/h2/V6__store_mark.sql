-- How far this store had got, for the check at open (StoreMark): the store daemon raises seq,
-- forces the file to disk and then writes the same number to <path>.mark beside the data file.
-- A data file whose seq is below the one in <path>.mark lost committed data and is refused.
CREATE TABLE store_mark (
    id        INTEGER      NOT NULL,
    store_id  VARCHAR(36)  NOT NULL,
    seq       BIGINT       NOT NULL,
    CONSTRAINT store_mark_pk PRIMARY KEY (id),
    CONSTRAINT store_mark_one_row CHECK (id = 1)
);
