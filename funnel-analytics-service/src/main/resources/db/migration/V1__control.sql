-- The service's own bookkeeping, in the connections' default schema; the read model's tables live in a schema per
-- generation (db/read-model, see ReadModelGenerations). "if not exists": a database of an earlier layout has them.

-- One rebuild at a time across instances: the instance holding this row rebuilds; the others pause consuming until
-- it is gone. A holder that stops renewing (killed halfway) loses it after dealflow.rebuild.lease-expiry.
create table if not exists rebuild_lease (
    id         int          primary key,
    holder     varchar(200) not null,
    renewed_at timestamp    not null
);

-- Which schema holds the read model that answers; a rebuild fills a new one and points here at it in one commit.
-- complete is false for an empty generation standing in until the first rebuild (after the earlier layout was dropped).
create table if not exists read_model_generation (
    id            int         primary key,
    active_schema varchar(63) not null
);
alter table read_model_generation add column if not exists complete boolean default true not null;
