package io.dealflow.analytics.tally;

import java.util.List;

/** The customer-journey phases in funnel order. */
public final class Phases {

    public static final List<String> ORDER = List.of("AWARENESS", "INTEREST", "CONSIDERATION", "DECISION");

    private Phases() {
    }

    public static int ordinal(String phase) {
        int ordinal = ORDER.indexOf(phase);
        if (ordinal < 0) {
            throw new IllegalArgumentException("unknown phase " + phase);
        }
        return ordinal;
    }
}
