-- The funnel read model. Every row is derived from the deal-events topic and can be rebuilt from it.
create table pipeline_stage (
    pipeline_id varchar(64)  not null,
    stage_id    varchar(64)  not null,
    name        varchar(200) not null,
    position    integer      not null,
    probability integer      not null,
    phase       varchar(16)  not null,
    primary key (pipeline_id, stage_id)
);

create table pipeline_state (
    pipeline_id varchar(64)  primary key,
    name        varchar(200) not null,
    last_seq    bigint       not null
);

-- One row per deal: where it is now and how far it ever got. last_seq makes applying idempotent.
create table deal (
    deal_id        varchar(64)    primary key,
    pipeline_id    varchar(64)    not null,
    status         varchar(8)     not null,
    stage_id       varchar(64)    not null,
    stage_position integer        not null,
    max_position   integer        not null,
    owner_id       varchar(200),
    source         varchar(200),
    amount         numeric(19, 4) not null,
    currency       char(3)        not null,
    expected_close date,
    created_at     timestamp with time zone not null,
    closed_at      timestamp with time zone,
    lost_reason    varchar(200),
    last_seq       bigint         not null
);
create index ix_deal_pipeline on deal (pipeline_id, created_at);

-- Per deal and stage: ever entered, later advanced past it (or won), lost while in it.
create table deal_stage (
    deal_id     varchar(64) not null,
    pipeline_id varchar(64) not null,
    stage_id    varchar(64) not null,
    position    integer     not null,
    advanced    boolean     not null,
    lost        boolean     not null,
    primary key (deal_id, stage_id)
);
create index ix_deal_stage_pipeline on deal_stage (pipeline_id, stage_id);

-- Every stay of a deal in a stage; left_at is null while it is still there.
create table stage_visit (
    deal_id     varchar(64) not null,
    seq         bigint      not null,
    pipeline_id varchar(64) not null,
    stage_id    varchar(64) not null,
    entered_at  timestamp with time zone not null,
    left_at     timestamp with time zone,
    duration_seconds bigint,
    primary key (deal_id, seq)
);
create index ix_stage_visit_pipeline on stage_visit (pipeline_id, stage_id);

-- Progress per topic partition, so concurrent consumers never contend on one row.
create table partition_progress (
    partition_id    integer primary key,
    newest_event_at timestamp with time zone,
    applied_events  bigint  not null,
    skipped_events  bigint  not null, -- unknown (newer) event types
    duplicate_events bigint not null, -- redelivered or already applied
    dead_letters    bigint  not null
);
