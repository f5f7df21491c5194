-- Since the learned probabilities read the 'closed' counters and every query that still reads the deal table filters
-- by pipeline and creation time (ix_deal_pipeline), nothing reads these two; the projection rewrote both on every
-- change of a deal.
drop index ix_deal_pipeline_status;
drop index ix_deal_pipeline_closed;
