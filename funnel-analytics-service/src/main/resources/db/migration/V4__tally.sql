-- Pre-aggregated counters, kept by the projection in the same transaction as the deal tables, so the funnel,
-- phase and forecast answers read a few hundred rows instead of every deal. A counter is the sum over the deals
-- of a slice ('*' = the whole pipeline, 'owner:<id>', 'source:<name>') of what each deal contributes:
--   stage.entered / stage.advanced / stage.lost   k1 = stage id                      n = deals
--   stage.current                                 k1 = stage id                      n = open deals in it now
--   phase.entered / phase.advanced / phase.lost   k1 = phase                         n = deals
--   reach                                         k1 = max stage position, k2 = status           n = deals
--   phase.reach                                   k1 = max phase ordinal, k2 = status            n = deals
--   time                                          k1 = stage id, k2 = duration bucket            n = finished stays, amount = their seconds
--   open                                          k1 = expected close month or '', k2 = currency, k3 = stage id, k4 = probability
--                                                                                    n = open deals, amount = their amount
--   slips                                                                            n = close-date slips
--   slipping                                                                         n = deals with at least one slip
--   slips.owner ('*' only)                        k1 = owner id or ''                n = close-date slips of the owner's deals
--   closed ('*' only)                             k1 = closed day, k2 = status, k3 = max stage position   n = deals
create table tally (
    pipeline_id varchar(64)    not null,
    slice       varchar(220)   not null,
    metric      varchar(16)    not null,
    k1          varchar(64)    not null,
    k2          varchar(16)    not null,
    k3          varchar(64)    not null,
    k4          varchar(16)    not null,
    n           bigint         not null,
    amount      numeric(24, 4) not null,
    primary key (pipeline_id, slice, metric, k1, k2, k3, k4)
);

-- the deals with the most close-date slips, read top-down (the slip count leads, so H2 can read the index in order and stop)
create index ix_deal_slips on deal (close_slips desc, deal_id);
