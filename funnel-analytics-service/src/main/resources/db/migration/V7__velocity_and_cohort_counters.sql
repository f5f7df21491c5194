-- New counters (filled for existing read models by the Java migration V8), per slice like those of V4:
--   cohort        k1 = creation day (UTC), k2 = status                 n = deals              (trends)
--   status        k1 = status, k2 = currency                           n = deals, amount = their amount
--   cycle         k1 = bucket of the won deal's cycle seconds          n = won deals, amount = their cycle seconds
--   lost.reason   k1 = lost reason                                     n = lost deals         (velocity)
-- k1 holds owner ids and lost reasons, as wide as in the deal table.
alter table tally alter column k1 set data type varchar(200);
