package io.dealflow.pipeline.board;

import io.dealflow.pipeline.deal.query.DealViews;
import io.dealflow.pipeline.pipeline.PipelineView;
import io.dealflow.pipeline.pipeline.Stage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@Component
class BoardQuery {

    private final JdbcTemplate jdbc;
    private final DealViews views;

    BoardQuery(JdbcTemplate jdbc, DealViews views) {
        this.jdbc = jdbc;
        this.views = views;
    }

    /** {@code ownerId} and {@code source} narrow the board to one seller's or one channel's deals when not null. */
    Board board(PipelineView pipeline, int dealsPerStage, String ownerId, String source) {
        StringBuilder open = new StringBuilder(" from deal_view where pipeline_id = ? and status = 'OPEN'");
        List<Object> args = new ArrayList<>(List.of(pipeline.id()));
        if (ownerId != null) {
            open.append(" and owner_id = ?");
            args.add(ownerId);
        }
        if (source != null) {
            open.append(" and source = ?");
            args.add(source);
        }
        Map<String, Map<String, BigDecimal>> sums = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        jdbc.query("select stage_id, currency, count(*), sum(amount)" + open + " group by stage_id, currency", rs -> {
            String stage = rs.getString(1);
            sums.computeIfAbsent(stage, s -> new TreeMap<>()).put(rs.getString(2).strip(), rs.getBigDecimal(4));
            counts.merge(stage, rs.getLong(3), Long::sum);
        }, args.toArray());

        List<Board.Column> columns = new ArrayList<>();
        for (Stage stage : pipeline.stages()) {
            Map<String, Board.Totals> amounts = new TreeMap<>();
            sums.getOrDefault(stage.id(), Map.of()).forEach((currency, total) -> {
                int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
                BigDecimal weighted = total.multiply(BigDecimal.valueOf(stage.probability())).movePointLeft(2);
                amounts.put(currency, new Board.Totals(total.setScale(digits, RoundingMode.HALF_EVEN).toPlainString(),
                        weighted.setScale(digits, RoundingMode.HALF_EVEN).toPlainString()));
            });
            columns.add(new Board.Column(stage.id(), stage.name(), stage.probability(), stage.phase().name(),
                    counts.getOrDefault(stage.id(), 0L), amounts,
                    dealsPerStage == 0 ? List.of() : views.query("select *" + open + " and stage_id = ?"
                            + " order by currency, amount desc, deal_id limit ?", append(args, stage.id(), dealsPerStage))));
        }
        return new Board(pipeline.id(), pipeline.name(), columns);
    }

    private static Object[] append(List<Object> args, Object... more) {
        List<Object> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray();
    }
}
