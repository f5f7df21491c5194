package io.dealflow.analytics.property;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The test's own computation of every metric, straight from the generated stays and the definitions of API.md,
 * with nothing shared with the service's code. {@code at} = the instant to evaluate at (null: everything).
 */
final class IndependentModel {

    static final String[] PHASES = {"AWARENESS", "INTEREST", "CONSIDERATION", "DECISION"};

    private final List<DealScript> deals;
    private final String[] stagePhases;

    IndependentModel(List<DealScript> deals, String[] stagePhases) {
        this.deals = deals;
        this.stagePhases = stagePhases;
    }

    private int phaseOf(int stage) {
        return List.of(PHASES).indexOf(stagePhases[stage]);
    }

    /** The stays begun by {@code at}, each cut to what was known then. */
    private static List<DealScript.Stay> known(DealScript deal, Instant at) {
        List<DealScript.Stay> stays = new ArrayList<>();
        for (DealScript.Stay s : deal.stays()) {
            if (at != null && s.entered().isAfter(at)) {
                break;
            }
            boolean ended = s.ended() != null && (at == null || !s.ended().isAfter(at));
            stays.add(ended ? s : new DealScript.Stay(s.stage(), s.entered(), null, null));
        }
        return stays;
    }

    static String status(List<DealScript.Stay> stays) {
        DealScript.Stay last = stays.get(stays.size() - 1);
        return last.ended() == null || "MOVE".equals(last.endedBy()) ? "OPEN" : last.endedBy();
    }

    record Row(long reached, long entered, long current, long advanced, long lost, Double conversion) {
    }

    record Times(long visits, Double mean, Double median, Double p90) {
    }

    record Totals(long deals, long open, long won, long lost, Double winRate) {
    }

    /** level: 0 = stages (key = position), 1 = phases (key = phase ordinal). */
    List<Row> funnel(Instant at, int levels, boolean phases) {
        long[] reachedNotWon = new long[levels];
        long won = 0;
        long[] entered = new long[levels], current = new long[levels], advanced = new long[levels], lost = new long[levels];
        for (DealScript deal : deals) {
            List<DealScript.Stay> stays = known(deal, at);
            if (stays.isEmpty()) {
                continue;
            }
            String status = status(stays);
            int max = stays.stream().mapToInt(s -> key(s, phases)).max().orElseThrow();
            if ("WON".equals(status)) {
                won++;
            } else {
                for (int k = 0; k <= max; k++) {
                    reachedNotWon[k]++;
                }
            }
            for (int k = 0; k < levels; k++) {
                boolean in = false, adv = false, lostHere = false;
                for (int i = 0; i < stays.size(); i++) {
                    DealScript.Stay v = stays.get(i);
                    if (key(v, phases) != k) {
                        continue;
                    }
                    in = true;
                    if ("LOST".equals(v.endedBy())) {
                        lostHere = true;
                    }
                    for (int j = i; j < stays.size(); j++) {
                        DealScript.Stay w = stays.get(j);
                        if ((j > i && key(w, phases) > k) || "WON".equals(w.endedBy())) {
                            adv = true;
                        }
                    }
                }
                entered[k] += in ? 1 : 0;
                advanced[k] += adv ? 1 : 0;
                lost[k] += lostHere ? 1 : 0;
            }
            if ("OPEN".equals(status)) {
                current[key(stays.get(stays.size() - 1), phases)]++;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < levels; k++) {
            long reached = won + reachedNotWon[k];
            long next = k + 1 < levels ? won + reachedNotWon[k + 1] : won;
            rows.add(new Row(reached, entered[k], current[k], advanced[k], lost[k], ratio(next, reached)));
        }
        return rows;
    }

    private int key(DealScript.Stay stay, boolean phases) {
        return phases ? phaseOf(stay.stage()) : stay.stage();
    }

    Totals totals(Instant at) {
        long deals = 0, open = 0, won = 0, lost = 0;
        for (DealScript deal : this.deals) {
            List<DealScript.Stay> stays = known(deal, at);
            if (stays.isEmpty()) {
                continue;
            }
            deals++;
            switch (status(stays)) {
                case "WON" -> won++;
                case "LOST" -> lost++;
                default -> open++;
            }
        }
        return new Totals(deals, open, won, lost, ratio(won, won + lost));
    }

    List<Times> timeInStage(Instant at, int stages) {
        List<Times> times = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            List<Double> seconds = new ArrayList<>();
            for (DealScript deal : deals) {
                for (DealScript.Stay v : known(deal, at)) {
                    if (v.stage() == s && v.ended() != null) {
                        seconds.add((double) (v.ended().getEpochSecond() - v.entered().getEpochSecond()));
                    }
                }
            }
            seconds.sort(Double::compare);
            times.add(seconds.isEmpty() ? new Times(0, null, null, null) : new Times(seconds.size(),
                    hours(seconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow()),
                    hours(nearestRank(seconds, 0.5)), hours(nearestRank(seconds, 0.9))));
        }
        return times;
    }

    /** Per creation month: created, won, lost, open. */
    Map<String, long[]> cohorts() {
        Map<String, long[]> cohorts = new TreeMap<>();
        for (DealScript deal : deals) {
            LocalDate day = LocalDate.ofInstant(deal.created(), ZoneOffset.UTC);
            long[] c = cohorts.computeIfAbsent(String.format("%04d-%02d", day.getYear(), day.getMonthValue()), k -> new long[4]);
            c[0]++;
            switch (status(deal.stays())) {
                case "WON" -> c[1]++;
                case "LOST" -> c[2]++;
                default -> c[3]++;
            }
        }
        return cohorts;
    }

    /** Mean and median days from creation to the (last) win, over deals won now. */
    Double[] cycleDays() {
        List<Double> days = new ArrayList<>();
        for (DealScript deal : deals) {
            if ("WON".equals(status(deal.stays()))) {
                Instant wonAt = deal.stays().get(deal.stays().size() - 1).ended();
                days.add((wonAt.getEpochSecond() - deal.created().getEpochSecond()) / 86400.0);
            }
        }
        if (days.isEmpty()) {
            return new Double[] {null, null};
        }
        days.sort(Double::compare);
        return new Double[] {round3(days.stream().mapToDouble(Double::doubleValue).average().orElseThrow()), round3(nearestRank(days, 0.5))};
    }

    Map<String, Long> lostReasons() {
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (DealScript deal : deals) {
            if ("LOST".equals(status(deal.stays()))) {
                reasons.merge(PropertyEvents.reason(deal), 1L, Long::sum);
            }
        }
        return reasons;
    }

    /** The smallest value with at least a share p of the values at or below it. */
    /** One stage's open deals in one currency at an instant: count, amount and amount × probability, unrounded. */
    record Open(long deals, java.math.BigDecimal amount, java.math.BigDecimal weighted) {
    }

    /**
     * The board at {@code at}: key "stage/currency" (stage = the stay open then: begun at or before it, ended after it or
     * not at all); the amount is the deal's latest edit at or before the instant, else its first amount.
     */
    Map<String, Open> board(Instant at, int[] probabilities) {
        Map<String, Open> board = new TreeMap<>();
        for (DealScript deal : deals) {
            for (DealScript.Stay s : deal.stays()) {
                if (s.entered().isAfter(at) || (s.ended() != null && !s.ended().isAfter(at))) {
                    continue;
                }
                String amount = deal.amount();
                for (DealScript.Edit edit : deal.edits()) {
                    if (!edit.at().isAfter(at)) {
                        amount = edit.amount();
                    }
                }
                java.math.BigDecimal value = new java.math.BigDecimal(amount);
                java.math.BigDecimal weighted = value.multiply(java.math.BigDecimal.valueOf(probabilities[s.stage()])).movePointLeft(2);
                board.merge(s.stage() + "/" + deal.currency(), new Open(1, value, weighted),
                        (a, b) -> new Open(a.deals() + b.deals(), a.amount().add(b.amount()), a.weighted().add(b.weighted())));
            }
        }
        return board;
    }

    /** The deal's amount at {@code t}: its latest edit at or before it, else its first amount. */
    private static java.math.BigDecimal amountAt(DealScript deal, Instant t) {
        String amount = deal.amount();
        for (DealScript.Edit edit : deal.edits()) {
            if (!edit.at().isAfter(t)) {
                amount = edit.amount();
            }
        }
        return new java.math.BigDecimal(amount);
    }

    private static boolean openAt(DealScript.Stay s, Instant t) {
        return !s.entered().isAfter(t) && (s.ended() == null || s.ended().isAfter(t));
    }

    /** In a stay just before {@code t} (an edit at the instant of a stage change is made just before it). */
    private static boolean openJustBefore(DealScript deal, Instant t) {
        return deal.stays().stream().anyMatch(s -> s.entered().isBefore(t) && (s.ended() == null || !s.ended().isBefore(t)));
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return t.isAfter(from) && !t.isAfter(to);
    }

    /** One currency's movement in a waterfall: count and amount per column, amount changes, pull-ins and push-outs. */
    static final class Flow {
        /** open at start, created, reopened, won, lost, open at end. */
        final long[] deals = new long[6];
        final java.math.BigDecimal[] amounts = {java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO,
                java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO};
        java.math.BigDecimal up = java.math.BigDecimal.ZERO;
        java.math.BigDecimal down = java.math.BigDecimal.ZERO;
        long pulledIn;
        long pushedOut;
        java.math.BigDecimal pulledInAmount = java.math.BigDecimal.ZERO;
        java.math.BigDecimal pushedOutAmount = java.math.BigDecimal.ZERO;

        void add(int column, java.math.BigDecimal amount) {
            deals[column]++;
            amounts[column] = amounts[column].add(amount);
        }
    }

    /** The waterfall of (from, to]: per currency, and per stage {open at start, created, reopened, moved in, moved out, won, lost, open at end}. */
    record Waterfall(Map<String, Flow> currencies, Map<Integer, long[]> stages) {
    }

    Waterfall waterfall(Instant from, Instant to) {
        Map<String, Flow> currencies = new TreeMap<>();
        Map<Integer, long[]> stages = new TreeMap<>();
        LocalDate endDay = LocalDate.ofInstant(to, ZoneOffset.UTC);
        for (DealScript deal : deals) {
            List<DealScript.Stay> stays = deal.stays();
            for (int i = 0; i < stays.size(); i++) {
                DealScript.Stay s = stays.get(i);
                long[] stage = stages.computeIfAbsent(s.stage(), k -> new long[8]);
                if (openAt(s, from)) {
                    stage[0]++;
                    flow(currencies, deal).add(0, amountAt(deal, from));
                }
                if (within(s.entered(), from, to)) {
                    if (i == 0) {
                        stage[1]++;
                        flow(currencies, deal).add(1, amountAt(deal, s.entered()));
                    } else if ("MOVE".equals(stays.get(i - 1).endedBy())) {
                        stage[3]++;
                    } else {
                        stage[2]++;
                        flow(currencies, deal).add(2, amountAt(deal, s.entered()));
                    }
                }
                if (s.ended() != null && within(s.ended(), from, to)) {
                    switch (s.endedBy()) {
                        case "MOVE" -> stage[4]++;
                        case "WON" -> {
                            stage[5]++;
                            flow(currencies, deal).add(3, amountAt(deal, s.ended()));
                        }
                        default -> {
                            stage[6]++;
                            flow(currencies, deal).add(4, amountAt(deal, s.ended()));
                        }
                    }
                }
                if (openAt(s, to)) {
                    stage[7]++;
                    flow(currencies, deal).add(5, amountAt(deal, to));
                }
            }
            String amount = deal.amount();
            LocalDate close = deal.expectedClose();
            for (DealScript.Edit edit : deal.edits()) {
                if (within(edit.at(), from, to) && openJustBefore(deal, edit.at())) {
                    java.math.BigDecimal change = new java.math.BigDecimal(edit.amount()).subtract(new java.math.BigDecimal(amount));
                    Flow flow = flow(currencies, deal);
                    if (change.signum() > 0) {
                        flow.up = flow.up.add(change);
                    } else {
                        flow.down = flow.down.subtract(change);
                    }
                    boolean wasIn = close != null && !close.isAfter(endDay);
                    boolean isIn = edit.expectedClose() != null && !edit.expectedClose().isAfter(endDay);
                    if (wasIn != isIn && isIn) {
                        flow.pulledIn++;
                        flow.pulledInAmount = flow.pulledInAmount.add(amountAt(deal, edit.at()));
                    } else if (wasIn != isIn) {
                        flow.pushedOut++;
                        flow.pushedOutAmount = flow.pushedOutAmount.add(amountAt(deal, edit.at()));
                    }
                }
                amount = edit.amount();
                close = edit.expectedClose();
            }
        }
        return new Waterfall(currencies, stages);
    }

    private static Flow flow(Map<String, Flow> currencies, DealScript deal) {
        return currencies.computeIfAbsent(deal.currency(), k -> new Flow());
    }

    /** A past month of the backtest: the deals expected (as known at its start) to close in it, their forecast with the configured probabilities, and what was won in it. */
    record BacktestMonth(long deals, java.math.BigDecimal configured, java.math.BigDecimal won) {
    }

    /**
     * The backtest's configured side: per month (key "yyyy-MM/currency") the deals open at the month start whose expected
     * close date, as known then, falls in the month, their amounts × the probability of their stage then, and the amounts
     * won in the month; and per stage the deals open at some month start and closed now {samples, won}.
     */
    Map<String, BacktestMonth> backtest(List<java.time.YearMonth> months, int[] probabilities, Map<Integer, long[]> calibration) {
        Map<String, BacktestMonth> result = new TreeMap<>();
        for (java.time.YearMonth month : months) {
            Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            for (DealScript deal : deals) {
                String status = status(deal.stays());
                for (DealScript.Stay s : deal.stays()) {
                    if (openAt(s, start)) {
                        LocalDate expected = deal.expectedClose();
                        for (DealScript.Edit edit : deal.edits()) {
                            if (!edit.at().isAfter(start)) {
                                expected = edit.expectedClose();
                            }
                        }
                        if (expected != null && java.time.YearMonth.from(expected).equals(month)) {
                            java.math.BigDecimal weighted = amountAt(deal, start).multiply(java.math.BigDecimal.valueOf(probabilities[s.stage()]))
                                    .movePointLeft(2);
                            result.merge(month + "/" + deal.currency(), new BacktestMonth(1, weighted, java.math.BigDecimal.ZERO), IndependentModel::sum);
                        }
                        if (!"OPEN".equals(status)) {
                            long[] c = calibration.computeIfAbsent(s.stage(), k -> new long[2]);
                            c[0]++;
                            c[1] += "WON".equals(status) ? 1 : 0;
                        }
                    }
                    if ("WON".equals(s.endedBy()) && !s.ended().isBefore(start) && s.ended().isBefore(end)) {
                        result.merge(month + "/" + deal.currency(), new BacktestMonth(0, java.math.BigDecimal.ZERO, amountAt(deal, s.ended())),
                                IndependentModel::sum);
                    }
                }
            }
        }
        return result;
    }

    private static BacktestMonth sum(BacktestMonth a, BacktestMonth b) {
        return new BacktestMonth(a.deals() + b.deals(), a.configured().add(b.configured()), a.won().add(b.won()));
    }

    static double nearestRank(List<Double> sorted, double p) {
        int rank = (int) Math.max(1, Math.ceil(p * sorted.size() - 1e-9));
        return sorted.get(rank - 1);
    }


    static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : Math.round(numerator * 10000.0 / denominator) / 10000.0;
    }

    private static Double hours(double seconds) {
        return Math.round(seconds / 3600.0 * 1000.0) / 1000.0;
    }

    private static double round3(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
