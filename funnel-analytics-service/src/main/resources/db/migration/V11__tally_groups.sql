-- The counters of V4, V7 and V10 in a layout the projection adds to cheaply. A group is one metric of one slice of a
-- pipeline (tally_group); a counter's keys (tally_key) are written once, when it is created; its count is a narrow
-- row by id (tally) that the projection adds to by id, so no other index is rewritten on every batch, where the
-- seven-column key of V4 made H2 delete and re-insert an index entry for each of the thousands of counters a batch
-- adds to. A query reads the groups it needs, their keys by group, the counts by id.
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
    cell_id  bigint       primary key,
    group_id bigint       not null,
    k1       varchar(200) not null,
    k2       varchar(16)  not null,
    k3       varchar(64)  not null,
    k4       varchar(16)  not null
);
create index ix_tally_key_group on tally_key (group_id, k1);

create table tally (
    cell_id bigint         primary key,
    n       bigint         not null,
    amount  numeric(24, 4) not null
);
