-- The deal aggregate's class moved to io.dealflow.pipeline.deal.aggregate. Snapshots are only a shortcut over the
-- events (each deal is rebuilt from its events and snapshotted again), so those of the earlier class name go.
delete from snapshotevententry where payloadtype = 'io.dealflow.pipeline.deal.Deal';
