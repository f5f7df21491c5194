-- One rebuild at a time across instances: the instance holding this row rebuilds; the others pause consuming until
-- it is gone. A holder that stops renewing (killed halfway) loses it after dealflow.rebuild.lease-expiry.
create table rebuild_lease (
    id           int primary key,
    holder       varchar(200) not null,
    renewed_at   timestamp    not null
);
