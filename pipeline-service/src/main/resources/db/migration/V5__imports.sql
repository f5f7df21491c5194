-- Bulk imports of a CRM's history: one row per import (its id is the client's Idempotency-Key), the lines it refused.
create table import_job (
    import_id        varchar(36)   primary key,
    subject          varchar(200)  not null,
    idem_key         varchar(200)  not null,
    format           varchar(8)    not null,
    mode             varchar(16)   not null,
    pipeline_id      varchar(64)   not null,
    default_currency varchar(3),
    status           varchar(16)   not null,
    attempt          integer       not null,
    bytes_total      bigint        not null,
    bytes_read       bigint        not null,
    lines_read       bigint        not null,
    deals_written    bigint        not null,
    deals_present    bigint        not null,
    events_written   bigint        not null,
    rejected         bigint        not null,
    cancel_requested boolean       not null,
    failure          varchar(2000),
    created_at       timestamp with time zone not null,
    started_at       timestamp with time zone,
    updated_at       timestamp with time zone not null,
    finished_at      timestamp with time zone,
    constraint uk_import_job_key unique (subject, idem_key)
);

create table import_rejection (
    import_id varchar(36)   not null,
    line_no   bigint        not null,
    reason    varchar(1000) not null,
    primary key (import_id, line_no)
);
