package io.dealflow.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test's own, independent computation of the funnel from what it sent: each deal's path of stages
 * and how it ended, evaluated with the definitions of API.md directly (no incremental bookkeeping).
 */
final class FunnelModel {

    final List<String> stages;
    private final Map<String, List<String>> paths = new LinkedHashMap<>();
    private final Map<String, String> outcome = new LinkedHashMap<>();

    FunnelModel(List<String> stages) {
        this.stages = stages;
    }

    void created(String deal, String stage) {
        paths.put(deal, new ArrayList<>(List.of(stage)));
        outcome.put(deal, "OPEN");
    }

    void moved(String deal, String stage) {
        List<String> path = paths.get(deal);
        if (!path.get(path.size() - 1).equals(stage)) {
            path.add(stage);
        }
    }

    void markWon(String deal) {
        outcome.put(deal, "WON");
    }

    void markLost(String deal) {
        outcome.put(deal, "LOST");
    }

    private int pos(String stage) {
        return stages.indexOf(stage);
    }

    long deals() {
        return paths.size();
    }

    long count(String status) {
        return outcome.values().stream().filter(status::equals).count();
    }

    long reached(String stage) {
        return paths.keySet().stream().filter(d -> outcome.get(d).equals("WON")
                || paths.get(d).stream().mapToInt(this::pos).max().orElse(-1) >= pos(stage)).count();
    }

    long entered(String stage) {
        return paths.values().stream().filter(p -> p.contains(stage)).count();
    }

    long current(String stage) {
        return paths.keySet().stream().filter(d -> outcome.get(d).equals("OPEN") && last(d).equals(stage)).count();
    }

    long advanced(String stage) {
        return paths.keySet().stream().filter(d -> {
            List<String> path = paths.get(d);
            if (!path.contains(stage)) {
                return false;
            }
            if (outcome.get(d).equals("WON")) {
                return true;
            }
            int firstVisit = path.indexOf(stage);
            for (int j = firstVisit + 1; j < path.size(); j++) {
                if (pos(path.get(j)) > pos(stage)) {
                    return true;
                }
            }
            return false;
        }).count();
    }

    long lostAt(String stage) {
        return paths.keySet().stream().filter(d -> outcome.get(d).equals("LOST") && last(d).equals(stage)).count();
    }

    Double conversion(int index) {
        long here = reached(stages.get(index));
        long next = index + 1 < stages.size() ? reached(stages.get(index + 1)) : count("WON");
        return here == 0 ? null : (double) next / here;
    }

    private String last(String deal) {
        List<String> path = paths.get(deal);
        return path.get(path.size() - 1);
    }
}
