package io.dealflow.analytics.tally;

import java.time.LocalDate;
import java.time.temporal.IsoFields;

/** Creation cohorts: the month (2026-11) or ISO week (2026-W48) a deal was created in, in UTC. */
public final class Cohorts {

    private Cohorts() {
    }

    public static String month(LocalDate day) {
        return String.format("%04d-%02d", day.getYear(), day.getMonthValue());
    }

    public static String week(LocalDate day) {
        return String.format("%04d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
