-- The funnel read model, whole. Every row is derived from the deal events and can be rebuilt from them: each rebuild
-- fills a new generation (a schema of its own, made by the migrations in this folder) and swaps it in, and a
-- generation made by fewer migrations than this folder holds is replaced by a rebuild at startup. So a schema change
-- is a new migration here, never a data migration (see ReadModelGenerations).

-- One row per deal: where it is now, how far it ever got, and what its counters were computed from. last_seq (the
-- sequence of the last event applied) makes applying idempotent; gaps counts events that had to wait for an earlier one.
create table deal (
    deal_id           varchar(64)    not null primary key,
    pipeline_id       varchar(64)    not null,
    status            varchar(8)     not null,
    stage_id          varchar(64)    not null,
    stage_position    integer        not null,
    max_position      integer        not null,
    stage_probability integer        not null default 0,
    owner_id          varchar(200),
    source            varchar(200),
    amount            numeric(19, 4) not null,
    currency          char(3)        not null,
    expected_close    date,
    created_at        timestamp with time zone not null,
    created_month     varchar(7)     not null default '',
    created_week      varchar(8)     not null default '',
    closed_at         timestamp with time zone,
    won_cycle_seconds bigint,
    lost_reason       varchar(200),
    close_slips       integer        not null default 0,
    last_seq          bigint         not null,
    gaps              integer        not null default 0
);
create index ix_deal_pipeline on deal (pipeline_id, created_at);
-- the deals with the most close-date slips, read top-down (the slip count leads, so H2 can read the index in order and stop)
create index ix_deal_slips on deal (close_slips desc, deal_id);

-- Every stay of a deal in a stage (business time): left_at, duration and how it ended (MOVE, WON, LOST) are null
-- while it lasts; position, phase and probability as they were then.
create table stage_visit (
    deal_id          varchar(64) not null,
    seq              bigint      not null,
    pipeline_id      varchar(64) not null,
    stage_id         varchar(64) not null,
    position         integer     not null default 0,
    phase            varchar(16) not null default '',
    probability      integer     not null default 0,
    entered_at       timestamp with time zone not null,
    left_at          timestamp with time zone,
    duration_seconds bigint,
    ended_by         varchar(8),
    primary key (deal_id, seq)
);

-- The amount of a deal over time (kind: CREATED, UPDATED, WON): for the waterfall and time travel.
create table deal_amount (
    deal_id    varchar(64)    not null,
    seq        bigint         not null,
    valid_from timestamp with time zone not null,
    amount     numeric(19, 4) not null,
    currency   char(3)        not null,
    kind       varchar(8)     not null,
    primary key (deal_id, seq)
);

-- Every change of a deal's expected close date: slips (moved later), pull-ins and push-outs.
create table close_date_change (
    deal_id     varchar(64) not null,
    seq         bigint      not null,
    pipeline_id varchar(64) not null,
    changed_at  timestamp with time zone not null,
    old_date    date,
    new_date    date,
    primary key (deal_id, seq)
);

-- Each pipeline as its last definition left it.
create table pipeline_state (
    pipeline_id varchar(64)  not null primary key,
    name        varchar(200) not null,
    last_seq    bigint       not null
);
create table pipeline_stage (
    pipeline_id varchar(64)  not null,
    stage_id    varchar(64)  not null,
    name        varchar(200) not null,
    position    integer      not null,
    probability integer      not null,
    phase       varchar(16)  not null,
    primary key (pipeline_id, stage_id)
);

-- Events that arrived before an earlier event of their deal: kept until the missing one is applied (or fetched from
-- pipeline-service's store), then applied in order. Never dropped, never applied out of order.
create table pending_event (
    deal_id     varchar(64)  not null,
    seq         bigint       not null,
    type        varchar(100) not null,
    payload     text         not null,
    recorded_at timestamp with time zone not null,
    parked_at   timestamp with time zone not null,
    primary key (deal_id, seq)
);

-- Progress per topic partition (recording time of the newest event, what applying did), one row per partition so
-- concurrent consumers never contend on one row.
create table partition_progress (
    partition_id     integer not null primary key,
    newest_event_at  timestamp with time zone,
    applied_events   bigint  not null,
    skipped_events   bigint  not null,
    duplicate_events bigint  not null,
    dead_letters     bigint  not null,
    gap_events       bigint  not null default 0
);

-- The counters, kept by the projection in the same transaction as the deal tables, so the funnel, phase, velocity,
-- cohort and forecast answers read a few hundred rows instead of every deal. A counter is the sum, over the deals of a
-- slice of a pipeline ('*' the whole pipeline, 'owner:<id>', 'source:<name>'), of what each deal contributes to one
-- metric (the metric names and their keys k1…k4 are in tally.TallyMetric). A group is one metric of one slice; the id of each
-- counter (cell) starts with its group's id (group_id * 2^32 + a number from tally_cell_id), so a group's counters are
-- one range of the primary key. The projection adds to a counter by its id in a narrow row (tally), apart from the
-- counter's keys (tally_key, written once); buckets holds per-bucket counts where the metric has them (durations,
-- creation days: tally.BucketCounts). Two instances may create the same group or counter at the same moment; readers
-- add rows with the same key up, so no unique constraint is needed.
create sequence tally_group_id;
create sequence tally_cell_id;

create table tally_group (
    group_id    bigint       not null primary key,
    pipeline_id varchar(64)  not null,
    slice       varchar(220) not null,
    metric      varchar(16)  not null
);
create index ix_tally_group on tally_group (pipeline_id, slice, metric);

create table tally_key (
    cell_id bigint       not null primary key,
    k1      varchar(200) not null,
    k2      varchar(16)  not null,
    k3      varchar(64)  not null,
    k4      varchar(16)  not null
);

create table tally (
    cell_id bigint         not null primary key,
    n       bigint         not null,
    amount  numeric(24, 4) not null,
    buckets bytea
);
