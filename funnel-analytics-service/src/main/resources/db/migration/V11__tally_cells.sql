-- The counters of V4, V7 and V10 split in two: what a cell counts (tally_cell: pipeline, slice, metric, keys) and
-- its running totals (tally, by cell id). A batch adds to a few thousand totals; with a single bigint key each
-- addition rewrites one row of one tree, where the seven-column key made H2 delete and re-insert every row in the
-- key index too (a quarter of the projection's CPU). The counters are recounted from the deal tables by V12.
drop table tally;

create sequence tally_cell_id;

create table tally_cell (
    cell_id     bigint         primary key,
    pipeline_id varchar(64)    not null,
    slice       varchar(220)   not null,
    metric      varchar(16)    not null,
    k1          varchar(200)   not null,
    k2          varchar(16)    not null,
    k3          varchar(64)    not null,
    k4          varchar(16)    not null,
    constraint uq_tally_cell unique (pipeline_id, slice, metric, k1, k2, k3, k4)
);

create table tally (
    cell_id bigint         primary key,
    n       bigint         not null,
    amount  numeric(24, 4) not null
);
