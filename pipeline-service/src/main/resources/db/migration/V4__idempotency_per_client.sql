-- An Idempotency-Key belongs to the client that sent it: two clients may use the same key for different deals.
-- Keys stored before this change have no known client (subject ''); they still match any client until they expire.
create table client_idempotency_key (
    subject      varchar(200) not null,
    idem_key     varchar(200) not null,
    request_hash varchar(64)  not null,
    deal_id      varchar(64)  not null,
    created_at   timestamp with time zone not null,
    primary key (subject, idem_key)
);
insert into client_idempotency_key (subject, idem_key, request_hash, deal_id, created_at)
    select '', idem_key, request_hash, deal_id, created_at from idempotency_key;
drop table idempotency_key;
create index ix_client_idempotency_key_created on client_idempotency_key (created_at);
