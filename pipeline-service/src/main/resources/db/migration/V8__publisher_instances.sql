-- The instances running the Kafka publisher, each seen again every few seconds: each instance claims its fair share
-- of the publisher's segments (segments ÷ live instances), so the work is split when instances join and taken over
-- when one stops being seen. Rows of instances not seen for a while are deleted by the others.
create table publisher_instance (
    instance_id varchar(255)             not null primary key,
    last_seen   timestamp with time zone not null
);
