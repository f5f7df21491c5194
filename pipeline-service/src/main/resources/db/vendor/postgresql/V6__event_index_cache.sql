-- PostgreSQL's sequence costs nothing per value; a per-connection cache would hand out global indexes out of commit
-- order across connections, so the event index keeps a cache of 1 here (see db/vendor/h2/V6 for H2).
select 1;
