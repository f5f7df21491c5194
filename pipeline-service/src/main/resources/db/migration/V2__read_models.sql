create table pipeline_view (
    pipeline_id  varchar(64)  primary key,
    name         varchar(200) not null,
    definition   text         not null,
    version      bigint       not null,
    defined_at   timestamp with time zone not null
);

create table deal_view (
    deal_id             varchar(64)    primary key,
    pipeline_id         varchar(64)    not null,
    title               varchar(200)   not null,
    amount              numeric(19, 4) not null,
    currency            char(3)        not null,
    owner_id            varchar(200),
    source              varchar(200),
    expected_close_date date,
    company             varchar(200),
    contact             varchar(200),
    stage_id            varchar(64)    not null,
    status              varchar(8)     not null,
    lost_reason         varchar(200),
    lost_note           varchar(2000),
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null,
    stage_entered_at    timestamp with time zone not null,
    last_activity_at    timestamp with time zone,
    closed_at           timestamp with time zone,
    version             bigint         not null
);

create index ix_deal_view_pipeline_stage on deal_view (pipeline_id, stage_id, status);
create index ix_deal_view_owner on deal_view (owner_id);
create index ix_deal_view_created on deal_view (created_at, deal_id);
