package io.dealflow.analytics.journey;

import io.dealflow.analytics.funnel.PipelineStages;
import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.web.ProblemException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

@Singleton
public class WaterfallQuery {

    private final DataSource dataSource;
    private final DealHistories histories;

    public WaterfallQuery(DataSource dataSource, DealHistories histories) {
        this.dataSource = dataSource;
        this.histories = histories;
    }

    private static final class Money {
        final Map<String, BigDecimal> sums = new TreeMap<>();
        final Map<String, Long> counts = new TreeMap<>();

        void add(DealHistories.Amount a) {
            if (a == null) {
                return;
            }
            sums.merge(a.currency(), a.amount(), BigDecimal::add);
            counts.merge(a.currency(), 1L, Long::sum);
        }
    }

    public WaterfallReport waterfall(FunnelFilter base, Instant from, Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw ProblemException.badRequest("from and to are required, from before to");
        }
        // the waterfall concerns every deal of the pipeline (owner/source filters apply; creation window does not)
        FunnelFilter filter = new FunnelFilter(base.pipelineId(), null, null, base.ownerId(), base.source());
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            Money start = new Money(), end = new Money(), created = new Money(), reopened = new Money(), won = new Money(), lost = new Money();
            Map<String, BigDecimal> up = new TreeMap<>(), down = new TreeMap<>();
            Map<String, long[]> stages = new LinkedHashMap<>();
            pipeline.stages().forEach(s -> stages.put(s.id(), new long[8]));
            Map<String, long[]> pulled = new TreeMap<>();
            Map<String, BigDecimal[]> pulledAmounts = new TreeMap<>();
            LocalDate endDate = LocalDate.ofInstant(to, ZoneOffset.UTC);
            histories.forEach(c, filter, from, to, deal -> {
                DealHistories.Visit previous = null;
                for (DealHistories.Visit v : deal.visits()) {
                    long[] flow = stages.computeIfAbsent(v.stageId(), k -> new long[8]);
                    if (v.openAt(from)) {
                        flow[0]++;
                        start.add(deal.amountAt(from));
                    }
                    if (within(v.entered(), from, to)) {
                        if (v.seq() == 0) {
                            flow[1]++;
                            created.add(deal.amountAt(v.entered()));
                        } else if (previous != null && "MOVE".equals(previous.endedBy())) {
                            flow[3]++;
                        } else {
                            flow[2]++;
                            reopened.add(deal.amountAt(v.entered()));
                        }
                    }
                    if (v.left() != null && within(v.left(), from, to)) {
                        switch (v.endedBy()) {
                            case "MOVE" -> flow[4]++;
                            case "WON" -> {
                                flow[5]++;
                                won.add(deal.amountAt(v.left()));
                            }
                            default -> {
                                flow[6]++;
                                lost.add(deal.amountAt(v.left()));
                            }
                        }
                    }
                    if (v.openAt(to)) {
                        flow[7]++;
                        end.add(deal.amountAt(to));
                    }
                    previous = v;
                }
                // only changes while the deal was open move the open pipeline (and keep the balance)
                List<DealHistories.Amount> history = deal.amounts();
                for (int i = 1; i < history.size(); i++) {
                    DealHistories.Amount a = history.get(i);
                    if ("UPDATED".equals(a.kind()) && within(a.from(), from, to) && deal.openJustBefore(a.from())) {
                        DealHistories.Amount before = history.get(i - 1);
                        Map<String, BigDecimal> delta = new HashMap<>();
                        delta.merge(a.currency(), a.amount(), BigDecimal::add);
                        delta.merge(before.currency(), before.amount().negate(), BigDecimal::add);
                        delta.forEach((currency, d) -> {
                            if (d.signum() > 0) {
                                up.merge(currency, d, BigDecimal::add);
                            } else if (d.signum() < 0) {
                                down.merge(currency, d.negate(), BigDecimal::add);
                            }
                        });
                    }
                }
                for (DealHistories.CloseChange change : deal.closeChanges()) {
                    boolean wasIn = change.oldDate() != null && !change.oldDate().isAfter(endDate);
                    boolean isIn = change.newDate() != null && !change.newDate().isAfter(endDate);
                    DealHistories.Amount amount = deal.amountAt(change.at());
                    if (wasIn == isIn || !within(change.at(), from, to) || !deal.openJustBefore(change.at()) || amount == null) {
                        continue;
                    }
                    int index = isIn ? 0 : 1;
                    pulled.computeIfAbsent(amount.currency(), k -> new long[2])[index]++;
                    BigDecimal[] sums = pulledAmounts.computeIfAbsent(amount.currency(), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    sums[index] = sums[index].add(amount.amount());
                }
            });

            TreeSet<String> currencies = new TreeSet<>();
            for (Money m : List.of(start, end, created, reopened, won, lost)) {
                currencies.addAll(m.sums.keySet());
            }
            currencies.addAll(up.keySet());
            currencies.addAll(down.keySet());
            currencies.addAll(pulled.keySet());
            List<WaterfallReport.CurrencyFlow> flows = new ArrayList<>();
            for (String currency : currencies) {
                long[] p = pulled.getOrDefault(currency, new long[2]);
                BigDecimal[] pa = pulledAmounts.getOrDefault(currency, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                flows.add(new WaterfallReport.CurrencyFlow(currency,
                        new WaterfallReport.Flow(count(start, currency), count(created, currency), count(reopened, currency),
                                count(won, currency), count(lost, currency), count(end, currency)),
                        new WaterfallReport.Flow(sum(start, currency), sum(created, currency), sum(reopened, currency),
                                sum(won, currency), sum(lost, currency), sum(end, currency)),
                        money(up.get(currency), currency), money(down.get(currency), currency),
                        p[0], money(pa[0], currency), p[1], money(pa[1], currency)));
            }
            List<WaterfallReport.StageFlow> stageFlows = new ArrayList<>();
            stages.forEach((id, f) -> stageFlows.add(new WaterfallReport.StageFlow(id, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7])));
            return new WaterfallReport(filter.pipelineId(), Jdbc.asOf(c), base.describe(), from, to, flows, stageFlows);
        });
    }

    /** In the window: after its start, up to and including its end. */
    private static boolean within(Instant t, Instant from, Instant to) {
        return t.isAfter(from) && !t.isAfter(to);
    }

    private static String count(Money m, String currency) {
        return String.valueOf(m.counts.getOrDefault(currency, 0L));
    }

    private static String sum(Money m, String currency) {
        return money(m.sums.getOrDefault(currency, BigDecimal.ZERO), currency);
    }

    private static String money(BigDecimal amount, String currency) {
        return VelocityQuery.money(amount == null ? BigDecimal.ZERO : amount, currency);
    }
}
