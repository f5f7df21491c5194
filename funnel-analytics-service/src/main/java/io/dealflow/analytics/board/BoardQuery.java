package io.dealflow.analytics.board;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.PipelineStages;
import io.dealflow.analytics.journey.VelocityQuery;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The board at an instant from the stored history: the stage visits open then (begun at or before it, not yet ended)
 * and each such deal's amount as it stood then (its latest amount change at or before the instant).
 */
@Singleton
public class BoardQuery {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final DataSource dataSource;

    public BoardQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static final class Sums {
        long deals;
        BigDecimal amount = BigDecimal.ZERO;
        BigDecimal weighted = BigDecimal.ZERO;

        void add(BigDecimal value, int probability) {
            deals++;
            amount = amount.add(value);
            weighted = weighted.add(value.multiply(BigDecimal.valueOf(probability)).divide(HUNDRED));
        }
    }

    public BoardReport board(FunnelFilter filter, Instant at) {
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            Map<String, Long> open = new LinkedHashMap<>();
            Map<String, Map<String, Sums>> byStage = new LinkedHashMap<>();
            Map<String, Sums> total = new TreeMap<>();
            List<Object> args = FunnelFilter.args();
            args.add(Timestamp.from(at));
            String visits;
            if (filter.equals(FunnelFilter.pipeline(filter.pipelineId()))) {
                // the visits carry their pipeline: without other filters the deal table need not be joined
                visits = "stage_visit v" + amountThen() + "where v.pipeline_id = ?";
                args.add(filter.pipelineId());
            } else {
                visits = "stage_visit v join deal d on d.deal_id = v.deal_id" + amountThen() + "where " + filter.where(args);
            }
            args.add(Timestamp.from(at));
            args.add(Timestamp.from(at));
            Jdbc.stream(c, "select v.stage_id, v.probability, a.amount, a.currency from " + visits
                    + " and v.entered_at <= ? and (v.left_at is null or v.left_at > ?)", args, rs -> {
                String stage = rs.getString(1);
                open.merge(stage, 1L, Long::sum);
                BigDecimal amount = rs.getBigDecimal(3);
                if (amount != null) {
                    String currency = rs.getString(4).strip();
                    byStage.computeIfAbsent(stage, s -> new TreeMap<>()).computeIfAbsent(currency, k -> new Sums()).add(amount, rs.getInt(2));
                    total.computeIfAbsent(currency, k -> new Sums()).add(amount, rs.getInt(2));
                }
            });
            List<BoardReport.Column> columns = new ArrayList<>();
            for (PipelineStages.Stage stage : pipeline.stages()) {
                columns.add(new BoardReport.Column(stage.id(), stage.name(), stage.position(), stage.phase(), open.getOrDefault(stage.id(), 0L),
                        money(byStage.getOrDefault(stage.id(), Map.of()))));
            }
            Map<String, String> filters = new LinkedHashMap<>(filter.describe());
            filters.put("at", at.toString());
            Instant newest = Jdbc.asOf(c);
            return new BoardReport(filter.pipelineId(), pipeline.name(), newest == null || newest.isBefore(at) ? newest : at, at, filters,
                    columns, money(total));
        });
    }

    /** Joins each visit's deal's latest amount change at or before the instant (the first argument). */
    private static String amountThen() {
        return " left join deal_amount a on a.deal_id = v.deal_id"
                + " and a.seq = (select max(x.seq) from deal_amount x where x.deal_id = v.deal_id and x.valid_from <= ?) ";
    }

    private static List<BoardReport.Money> money(Map<String, Sums> sums) {
        List<BoardReport.Money> money = new ArrayList<>();
        sums.forEach((currency, s) -> money.add(new BoardReport.Money(currency, s.deals, VelocityQuery.money(s.amount, currency),
                VelocityQuery.money(s.weighted, currency))));
        return money;
    }
}
