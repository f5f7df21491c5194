package io.dealflow.bench.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A generated world as the NDJSON file of {@code POST /api/v1/imports}: one deal and its whole history per line. */
public final class HistoryFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryFile() {
    }

    /** Deal {@code i} gets the external id {@code prefix + i}. */
    public static void write(List<DealPlan> deals, String prefix, OutputStream out) throws IOException {
        for (int i = 0; i < deals.size(); i++) {
            out.write(line(deals.get(i), prefix + i).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }

    public static byte[] bytes(List<DealPlan> deals, String prefix) {
        var out = new java.io.ByteArrayOutputStream(deals.size() * 600);
        try {
            write(deals, prefix, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String line(DealPlan deal, String externalId) {
        ObjectNode line = JSON.createObjectNode();
        line.put("externalId", externalId);
        line.put("title", deal.title());
        line.putObject("amount").put("value", deal.amount().toPlainString()).put("currency", deal.currency());
        line.put("ownerId", deal.ownerId());
        line.put("source", deal.source());
        line.put("company", deal.company());
        line.put("contact", deal.contact());
        line.put("expectedCloseDate", deal.expectedCloseDate().toString());
        line.put("createdAt", deal.createdAt().toString());
        ArrayNode history = line.putArray("history");
        for (DealPlan.Step step : deal.steps()) {
            ObjectNode s = history.addObject();
            if (step instanceof DealPlan.Move move) {
                s.put("type", "moved").put("stageId", move.stageId());
            } else if (step instanceof DealPlan.Activity activity) {
                s.put("type", "activity").put("kind", activity.kind());
            } else if (step instanceof DealPlan.Win) {
                s.put("type", "won");
            } else if (step instanceof DealPlan.Lose lose) {
                s.put("type", "lost").put("reason", lose.reason());
            }
            s.put("at", step.at().toString());
        }
        return line.toString();
    }
}
