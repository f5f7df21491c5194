package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.web.ProblemException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
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

    public WaterfallQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private record Visit(String dealId, long seq, String stageId, Instant entered, Instant left, String endedBy) {
        boolean openAt(Instant t) {
            return !entered.isAfter(t) && (left == null || left.isAfter(t));
        }
    }

    private record Amount(Instant from, long seq, BigDecimal amount, String currency, String kind) {
    }

    private static final class Money {
        final Map<String, BigDecimal> sums = new TreeMap<>();
        final Map<String, Long> counts = new TreeMap<>();

        void add(Amount a) {
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
            List<Object> args = FunnelFilter.args();
            String where = filter.where(args);
            List<Object> visitArgs = new ArrayList<>(args);
            visitArgs.add(Timestamp.from(to));
            visitArgs.add(Timestamp.from(from));
            Map<String, List<Visit>> visits = new HashMap<>();
            Jdbc.query(c, "select v.deal_id, v.seq, v.stage_id, v.entered_at, v.left_at, v.ended_by from stage_visit v"
                    + " join deal d on d.deal_id = v.deal_id where " + where + " and v.entered_at <= ? and (v.left_at is null or v.left_at >= ?)"
                    + " order by v.deal_id, v.seq", visitArgs, rs -> visits.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(new Visit(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            Jdbc.instant(rs.getTimestamp(5)), rs.getString(6))));
            Map<String, List<Amount>> amounts = new HashMap<>();
            List<Object> amountArgs = new ArrayList<>(args);
            amountArgs.add(Timestamp.from(to));
            Jdbc.query(c, "select a.deal_id, a.valid_from, a.seq, a.amount, a.currency, a.kind from deal_amount a join deal d on d.deal_id = a.deal_id"
                    + " where " + where + " and a.valid_from <= ? order by a.deal_id, a.seq", amountArgs, rs -> amounts.computeIfAbsent(rs.getString(1),
                    k -> new ArrayList<>()).add(new Amount(rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getBigDecimal(4),
                    rs.getString(5).strip(), rs.getString(6))));

            Money start = new Money(), end = new Money(), created = new Money(), reopened = new Money(), won = new Money(), lost = new Money();
            Map<String, BigDecimal> up = new TreeMap<>(), down = new TreeMap<>();
            Map<String, long[]> stages = new LinkedHashMap<>();
            pipeline.stages().forEach(s -> stages.put(s.id(), new long[8]));
            for (var entry : visits.entrySet()) {
                List<Amount> history = amounts.getOrDefault(entry.getKey(), List.of());
                Visit previous = null;
                for (Visit v : entry.getValue()) {
                    long[] flow = stages.computeIfAbsent(v.stageId(), k -> new long[8]);
                    if (v.openAt(from)) {
                        flow[0]++;
                        start.add(amountAt(history, from));
                    }
                    if (v.entered().isAfter(from) && !v.entered().isAfter(to)) {
                        if (v.seq() == 0) {
                            flow[1]++;
                            created.add(amountAt(history, v.entered()));
                        } else if (previous != null && "MOVE".equals(previous.endedBy())) {
                            flow[3]++;
                        } else {
                            flow[2]++;
                            reopened.add(amountAt(history, v.entered()));
                        }
                    }
                    if (v.left() != null && v.left().isAfter(from) && !v.left().isAfter(to)) {
                        switch (v.endedBy()) {
                            case "MOVE" -> flow[4]++;
                            case "WON" -> {
                                flow[5]++;
                                won.add(amountAt(history, v.left()));
                            }
                            default -> {
                                flow[6]++;
                                lost.add(amountAt(history, v.left()));
                            }
                        }
                    }
                    if (v.openAt(to)) {
                        flow[7]++;
                        end.add(amountAt(history, to));
                    }
                    previous = v;
                }
                for (int i = 1; i < history.size(); i++) {
                    Amount a = history.get(i);
                    if ("UPDATED".equals(a.kind()) && a.from().isAfter(from) && !a.from().isAfter(to)) {
                        Amount before = history.get(i - 1);
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
            }
            Map<String, long[]> pulled = new TreeMap<>();
            Map<String, BigDecimal[]> pulledAmounts = new TreeMap<>();
            Date endDate = Date.valueOf(LocalDate.ofInstant(to, ZoneOffset.UTC));
            List<Object> closeArgs = new ArrayList<>(args);
            closeArgs.add(Timestamp.from(from));
            closeArgs.add(Timestamp.from(to));
            Jdbc.query(c, "select x.deal_id, x.changed_at, x.old_date, x.new_date from close_date_change x join deal d on d.deal_id = x.deal_id"
                    + " where " + where + " and x.changed_at > ? and x.changed_at <= ?", closeArgs, rs -> {
                Date old = rs.getDate(3);
                Date next = rs.getDate(4);
                boolean wasIn = old != null && !old.after(endDate);
                boolean isIn = next != null && !next.after(endDate);
                if (wasIn == isIn) {
                    return;
                }
                Amount amount = amountAt(amounts.getOrDefault(rs.getString(1), List.of()), rs.getTimestamp(2).toInstant());
                if (amount == null) {
                    return;
                }
                int index = isIn ? 0 : 1;
                pulled.computeIfAbsent(amount.currency(), k -> new long[2])[index]++;
                pulledAmounts.computeIfAbsent(amount.currency(), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO})[index] =
                        pulledAmounts.get(amount.currency())[index].add(amount.amount());
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

    /** The deal's amount at an instant: its latest amount row from then or before. */
    private static Amount amountAt(List<Amount> history, Instant at) {
        Amount found = null;
        for (Amount a : history) {
            if (!a.from().isAfter(at)) {
                found = a;
            }
        }
        return found;
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
