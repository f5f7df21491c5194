package io.dealflow.analytics.funnel;

import io.dealflow.analytics.web.ProblemException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** An instant in a query parameter: an ISO instant (2026-11-01T00:00:00Z) or a date (2026-11-01, its start in UTC). */
public final class QueryInstant {

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private QueryInstant() {
    }

    /** Null when the parameter is absent or blank; a 400 problem naming the parameter when it is not an instant. */
    public static Instant parse(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant instant = value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(value);
            if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
                throw ProblemException.badRequest(name + " must be in the years 0001 to 9999");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an ISO date or instant, e.g. 2026-11-01 or 2026-11-01T00:00:00Z");
        }
    }
}
