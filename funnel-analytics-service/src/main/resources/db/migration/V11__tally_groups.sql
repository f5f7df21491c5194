-- The counters of V4, V7 and V10 in a layout the projection adds to cheaply: a group is one metric of one slice of a
-- pipeline, and the id of each counter (cell) starts with its group's id (group_id * 2^32 + a number from
-- tally_cell_id), so a group's counters are one range of the primary key. The projection adds to a counter by its
-- id, in a narrow row (tally) apart from the counter's keys (tally_key, written once), and a query reads a group as
-- one range of each: no other index is rewritten on every batch, where the seven-column key of V4 made H2 delete and
-- re-insert an index entry for each of the thousands of counters a batch adds to.
-- Two instances may create the same group or counter at the same moment; the readers add rows with the same key up,
-- so no unique constraint is needed. The counters are recounted from the deal tables by V12.
drop table tally;

create sequence tally_group_id;
create sequence tally_cell_id;

create table tally_group (
    group_id    bigint       primary key,
    pipeline_id varchar(64)  not null,
    slice       varchar(220) not null,
    metric      varchar(16)  not null
);
create index ix_tally_group on tally_group (pipeline_id, slice, metric);

create table tally_key (
    cell_id bigint       primary key,
    k1      varchar(200) not null,
    k2      varchar(16)  not null,
    k3      varchar(64)  not null,
    k4      varchar(16)  not null
);

create table tally (
    cell_id bigint         primary key,
    n       bigint         not null,
    amount  numeric(24, 4) not null
);
