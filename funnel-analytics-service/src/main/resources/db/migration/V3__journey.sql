-- Phase roll-up, velocity, forecast, trends, time travel and waterfall inputs.
alter table deal add column stage_probability integer default 0 not null;
alter table deal add column created_month varchar(7) default '' not null;
alter table deal add column created_week varchar(8) default '' not null;
alter table deal add column won_cycle_seconds bigint;
alter table deal add column close_slips integer default 0 not null;
create index ix_deal_pipeline_status on deal (pipeline_id, status);
create index ix_deal_pipeline_close on deal (pipeline_id, expected_close);

-- Per deal and customer-journey phase, like deal_stage one level up.
create table deal_phase (
    deal_id     varchar(64) not null,
    pipeline_id varchar(64) not null,
    phase       varchar(16) not null,
    ordinal     integer     not null,
    advanced    boolean     not null,
    lost        boolean     not null,
    primary key (deal_id, phase)
);
create index ix_deal_phase_pipeline on deal_phase (pipeline_id, phase);

-- How each stay in a stage ended: MOVE, WON, LOST (null while it lasts); position and phase as they were.
alter table stage_visit add column ended_by varchar(8);
alter table stage_visit add column position integer default 0 not null;
alter table stage_visit add column phase varchar(16) default '' not null;
alter table stage_visit add column probability integer default 0 not null;
create index ix_stage_visit_entered on stage_visit (pipeline_id, entered_at);

-- The amount of a deal over time (created, updated, won): for the waterfall and time travel.
create table deal_amount (
    deal_id    varchar(64)    not null,
    valid_from timestamp with time zone not null,
    seq        bigint         not null,
    amount     numeric(19, 4) not null,
    currency   char(3)        not null,
    kind       varchar(8)     not null, -- CREATED, UPDATED (a won deal keeps its amount, so winning adds no row)
    primary key (deal_id, seq)
);
create index ix_deal_amount_from on deal_amount (valid_from);

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
create index ix_deal_pipeline_closed on deal (pipeline_id, closed_at);
