-- The offset each partition is read from next, committed with the batch that applied the records before it: a consumer
-- is placed there when it is assigned the partition, so a read model that lost its last commits (H2 writes its file
-- lazily) is brought up to date from the topic (ConsumedOffsets).
alter table partition_progress add column next_offset bigint;
