-- The per-stage and per-phase flags (entered, advanced, lost) follow from the stage visits (funnel.ReachedFlags), so
-- the projection stops writing them twice.
drop table deal_stage;
drop table deal_phase;
