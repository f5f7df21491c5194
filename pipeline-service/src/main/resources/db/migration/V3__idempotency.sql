-- POST /api/v1/deals with an Idempotency-Key: the key, a hash of the request it came with, and the deal it made.
create table idempotency_key (
    idem_key     varchar(200) primary key,
    request_hash varchar(64)  not null,
    deal_id      varchar(64)  not null,
    created_at   timestamp with time zone not null
);
create index ix_deal_view_attention on deal_view (status, pipeline_id, stage_id);
create index ix_deal_view_close on deal_view (expected_close_date);
