-- Events that arrived before an earlier event of their deal: kept until the missing one is applied, then applied in
-- order. Never dropped, never applied out of order.
create table pending_event (
    deal_id     varchar(64)  not null,
    seq         bigint       not null,
    type        varchar(100) not null,
    payload     text         not null,
    recorded_at timestamp with time zone not null,
    parked_at   timestamp with time zone not null,
    primary key (deal_id, seq)
);
