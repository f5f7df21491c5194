-- Events that arrived with a sequence number beyond the next expected one: something upstream was skipped.
alter table partition_progress add column gap_events bigint default 0 not null;
alter table deal add column gaps integer default 0 not null;
