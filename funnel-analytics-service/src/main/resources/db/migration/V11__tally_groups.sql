-- The counters of V4, V7 and V10 in a layout the projection adds to cheaply. A group is one metric of one slice of a
-- pipeline (tally_group); a counter (tally) has a bigint id, its group and keys, and its count. The projection adds to
-- a counter by its id and never changes the columns of the group index, where the seven-column key of V4 made H2
-- delete and re-insert a wide index entry for each of the thousands of counters a batch adds to. A query reads the
-- groups it needs and their counters down the group index.
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

create table tally (
    cell_id  bigint         primary key,
    group_id bigint         not null,
    k1       varchar(200)   not null,
    k2       varchar(16)    not null,
    k3       varchar(64)    not null,
    k4       varchar(16)    not null,
    n        bigint         not null,
    amount   numeric(24, 4) not null
);
create index ix_tally_group_k1 on tally (group_id, k1);
