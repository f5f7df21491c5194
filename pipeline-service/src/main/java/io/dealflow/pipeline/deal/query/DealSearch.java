package io.dealflow.pipeline.deal.query;

import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The deal list: filters, one sort key and keyset (cursor) pagination, so a page costs the same however deep it is.
 * The cursor carries the last row's sort value and id.
 */
@Component
public class DealSearch {

    /** Sortable columns; nullable ones are compared through a sentinel so keyset paging stays total. */
    enum Sort {
        createdAt("created_at", "created_at"),
        updatedAt("updated_at", "updated_at"),
        amount("amount", "amount"),
        expectedCloseDate("expected_close_date", "coalesce(expected_close_date, date '9999-12-31')"),
        title("title", "title");

        final String column;
        final String expression;

        Sort(String column, String expression) {
            this.column = column;
            this.expression = expression;
        }
    }

    public record Criteria(String pipelineId, String stageId, String status, String ownerId, String source,
                           BigDecimal minAmount, BigDecimal maxAmount, LocalDate closeFrom, LocalDate closeTo,
                           String sort, String order, int limit, String cursor) {
    }

    public record Page(List<DealView> items, String nextCursor) {
    }

    private final DealViews views;

    public DealSearch(DealViews views) {
        this.views = views;
    }

    public Page search(Criteria c) {
        Sort sort = sort(c.sort());
        boolean descending = switch (c.order() == null ? "asc" : c.order()) {
            case "asc" -> false;
            case "desc" -> true;
            default -> throw new ProblemException(Problem.VALIDATION, "order must be asc or desc");
        };
        if (c.limit() < 1 || c.limit() > 500) {
            throw new ProblemException(Problem.VALIDATION, "limit must be 1–500");
        }
        if ((c.minAmount() != null && c.minAmount().signum() < 0) || (c.maxAmount() != null && c.maxAmount().signum() < 0)) {
            throw new ProblemException(Problem.VALIDATION, "minAmount and maxAmount must not be negative");
        }
        if (c.minAmount() != null && c.maxAmount() != null && c.minAmount().compareTo(c.maxAmount()) > 0) {
            throw new ProblemException(Problem.VALIDATION, "minAmount must not be above maxAmount");
        }
        if (c.closeFrom() != null && c.closeTo() != null && c.closeFrom().isAfter(c.closeTo())) {
            throw new ProblemException(Problem.VALIDATION, "closeFrom must not be after closeTo");
        }
        if (c.status() != null && !List.of("OPEN", "WON", "LOST").contains(c.status())) {
            throw new ProblemException(Problem.VALIDATION, "status must be OPEN, WON or LOST");
        }
        StringBuilder sql = new StringBuilder("select * from deal_view where 1 = 1");
        List<Object> args = new ArrayList<>();
        equal(sql, args, "pipeline_id", c.pipelineId());
        equal(sql, args, "stage_id", c.stageId());
        equal(sql, args, "status", c.status());
        equal(sql, args, "owner_id", c.ownerId());
        equal(sql, args, "source", c.source());
        range(sql, args, "amount", c.minAmount(), c.maxAmount());
        range(sql, args, "expected_close_date", c.closeFrom() == null ? null : Date.valueOf(c.closeFrom()),
                c.closeTo() == null ? null : Date.valueOf(c.closeTo()));
        if (c.cursor() != null) {
            String[] parts = decode(c.cursor(), sort);
            String op = descending ? "<" : ">";
            sql.append(" and (").append(sort.expression).append(' ').append(op).append(" ? or (")
                    .append(sort.expression).append(" = ? and deal_id ").append(op).append(" ?))");
            Object value = value(sort, parts[1]);
            args.add(value);
            args.add(value);
            args.add(parts[2]);
        }
        String direction = descending ? " desc" : " asc";
        sql.append(" order by ").append(sort.expression).append(direction).append(", deal_id").append(direction)
                .append(" limit ?");
        args.add(c.limit());
        List<DealView> items = views.query(sql.toString(), args.toArray());
        String next = items.size() == c.limit() ? encode(sort, items.get(items.size() - 1)) : null;
        return new Page(items, next);
    }

    private static Sort sort(String name) {
        if (name == null) {
            return Sort.createdAt;
        }
        try {
            return Sort.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.VALIDATION, "sort must be one of createdAt, updatedAt, amount, expectedCloseDate, title");
        }
    }

    private static void equal(StringBuilder sql, List<Object> args, String column, Object value) {
        if (value != null) {
            sql.append(" and ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static void range(StringBuilder sql, List<Object> args, String column, Object min, Object max) {
        if (min != null) {
            sql.append(" and ").append(column).append(" >= ?");
            args.add(min);
        }
        if (max != null) {
            sql.append(" and ").append(column).append(" <= ?");
            args.add(max);
        }
    }

    private static String encode(Sort sort, DealView last) {
        String value = switch (sort) {
            case createdAt -> last.createdAt().toString();
            case updatedAt -> last.updatedAt().toString();
            case amount -> last.amount().value();
            case expectedCloseDate -> last.expectedCloseDate() == null ? "9999-12-31" : last.expectedCloseDate().toString();
            case title -> last.title();
        };
        String raw = sort.name() + "\n" + value + "\n" + last.dealId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor, Sort sort) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 3);
            if (parts.length != 3 || !parts[0].equals(sort.name())) {
                throw new IllegalArgumentException("cursor of another sort");
            }
            value(sort, parts[1]);
            return parts;
        } catch (RuntimeException e) {
            throw new ProblemException(Problem.VALIDATION, "cursor is not one this API returned for this sort",
                    Map.of("parameter", "cursor"));
        }
    }

    private static Object value(Sort sort, String text) {
        return switch (sort) {
            case createdAt, updatedAt -> Timestamp.from(Instant.parse(text));
            case amount -> new BigDecimal(text);
            case expectedCloseDate -> Date.valueOf(LocalDate.parse(text));
            case title -> text;
        };
    }
}
