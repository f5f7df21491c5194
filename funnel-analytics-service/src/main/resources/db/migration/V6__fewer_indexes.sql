-- Every index is rewritten by the projection on each commit. The counters of V4 answer the funnel, phase and forecast
-- questions, and every remaining query reaches visits, flags and amounts through the deal (by primary key), so these
-- indexes only cost write throughput.
drop index ix_deal_stage_pipeline;
drop index ix_deal_phase_pipeline;
drop index ix_stage_visit_pipeline;
drop index ix_stage_visit_entered;
drop index ix_deal_amount_from;
drop index ix_deal_pipeline_close;
