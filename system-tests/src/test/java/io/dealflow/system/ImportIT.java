package io.dealflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.bench.workload.DealPlan;
import io.dealflow.bench.workload.HistoryFile;
import io.dealflow.bench.workload.SalesWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Six months of a seeded sales world imported through the gateway answer the analytics questions exactly as the
 * test computes them from the world itself: the funnel, time in stage in business time, creation cohorts, the sales
 * cycle, and the funnel as it stood half-way (time travel).
 */
class ImportIT {

    private static final List<String> STAGES = SalesWorld.STAGES;
    private static final int DEALS = 3_000;
    private static final String TOKEN = DealFlowSystem.token("crm-migration", DealFlowSystem.ALL_SCOPES);
    private static DealFlowSystem system;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        system = DealFlowSystem.start();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    private JsonNode send(String method, String path, String contentType, byte[] body, int expected, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.gateway() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        return json.readTree(response.body());
    }

    private JsonNode get(String path) throws Exception {
        return send("GET", path, null, null, 200);
    }

    @Test
    void anImportedWorldAnswersAsTheWorldItself() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<DealPlan> world = SalesWorld.lastSixMonths(2026, now).deals(DEALS).stream().map(d -> d.asOf(now)).toList();
        byte[] file = HistoryFile.bytes(world, "W-");

        JsonNode accepted = send("POST", "/api/v1/imports?mode=all-or-nothing", "application/x-ndjson", file, 202,
                "Idempotency-Key", "world-2026");
        String importId = accepted.get("importId").asText();
        JsonNode job = awaitImport(importId);
        assertEquals("SUCCEEDED", job.get("status").asText(), job.toString());
        assertEquals(DEALS, job.get("progress").get("dealsWritten").asLong());
        long events = world.stream().mapToLong(d -> 1 + d.steps().size()).sum();
        assertEquals(events, job.get("progress").get("eventsWritten").asLong());

        JsonNode funnel = awaitFunnelOf(DEALS, "");
        assertFunnel(model(world, now), funnel, "now");
        assertTimeInStage(world, funnel);

        Instant halfWay = now.minus(Duration.ofDays(90));
        List<DealPlan> then = world.stream().filter(d -> !d.createdAt().isAfter(halfWay)).map(d -> d.asOf(halfWay)).toList();
        assertFunnel(model(then, halfWay), get("/api/v1/funnel?pipelineId=default&at=" + halfWay), "at " + halfWay);

        JsonNode trends = get("/api/v1/trends?pipelineId=default&interval=month");
        Map<String, long[]> cohorts = new TreeMap<>();
        for (DealPlan d : world) {
            long[] n = cohorts.computeIfAbsent(YearMonth.from(LocalDate.ofInstant(d.createdAt(), ZoneOffset.UTC)).toString(), k -> new long[3]);
            n[0]++;
            n[1] += outcome(d).equals("WON") ? 1 : 0;
            n[2] += outcome(d).equals("LOST") ? 1 : 0;
        }
        assertEquals(cohorts.size(), trends.get("cohorts").size(), trends.toString());
        for (JsonNode cohort : trends.get("cohorts")) {
            long[] n = cohorts.get(cohort.get("cohort").asText());
            assertEquals(n[0], cohort.get("created").asLong(), cohort.toString());
            assertEquals(n[1], cohort.get("won").asLong(), cohort.toString());
            assertEquals(n[2], cohort.get("lost").asLong(), cohort.toString());
        }

        double cycleSeconds = 0;
        long won = 0;
        for (DealPlan d : world) {
            if (outcome(d).equals("WON")) {
                won++;
                cycleSeconds += d.steps().get(d.steps().size() - 1).at().getEpochSecond() - d.createdAt().getEpochSecond();
            }
        }
        JsonNode velocity = get("/api/v1/velocity?pipelineId=default").get("total");
        assertEquals(won, velocity.get("wonDeals").asLong());
        assertEquals(Math.round(cycleSeconds / won / 86400.0 * 1000.0) / 1000.0, velocity.get("averageCycleDays").asDouble(), 0.0011,
                "the sales cycle runs in business time, not in the seconds the import took");

        JsonNode again = send("POST", "/api/v1/imports?mode=all-or-nothing", "application/x-ndjson", file, 200,
                "Idempotency-Key", "world-2026");
        assertEquals(importId, again.get("importId").asText(), "the same import, not a second one");
        Thread.sleep(2_000);
        assertEquals(DEALS, get("/api/v1/funnel?pipelineId=default").get("totals").get("deals").asLong(),
                "posting the import again added nothing");
    }

    private JsonNode awaitImport(String importId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/api/v1/imports/" + importId);
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("status").asText())) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("import did not finish");
    }

    private JsonNode awaitFunnelOf(long deals, String query) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode funnel = null;
        while (System.nanoTime() < deadline) {
            funnel = get("/api/v1/funnel?pipelineId=default" + query);
            if (funnel.get("totals").get("deals").asLong() == deals) {
                // the last events of a deal may still be on their way: wait until the totals stop moving
                Thread.sleep(1_000);
                JsonNode settled = get("/api/v1/funnel?pipelineId=default" + query);
                if (settled.get("totals").equals(funnel.get("totals"))) {
                    return settled;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the funnel did not reach " + deals + " deals: " + funnel);
    }

    private static String outcome(DealPlan d) {
        if (d.steps().isEmpty()) {
            return "OPEN";
        }
        DealPlan.Step last = d.steps().get(d.steps().size() - 1);
        return last instanceof DealPlan.Win ? "WON" : last instanceof DealPlan.Lose ? "LOST" : "OPEN";
    }

    private static FunnelModel model(List<DealPlan> deals, Instant at) {
        FunnelModel model = new FunnelModel(STAGES);
        for (int i = 0; i < deals.size(); i++) {
            String id = "deal-" + i;
            DealPlan d = deals.get(i);
            model.created(id, STAGES.get(0));
            for (DealPlan.Step step : d.steps()) {
                if (step instanceof DealPlan.Move move) {
                    model.moved(id, move.stageId());
                } else if (step instanceof DealPlan.Win) {
                    model.markWon(id);
                } else if (step instanceof DealPlan.Lose) {
                    model.markLost(id);
                }
            }
        }
        return model;
    }

    private static void assertFunnel(FunnelModel model, JsonNode funnel, String when) {
        assertEquals(model.deals(), funnel.get("totals").get("deals").asLong(), when + " deals");
        assertEquals(model.count("OPEN"), funnel.get("totals").get("open").asLong(), when + " open");
        assertEquals(model.count("WON"), funnel.get("totals").get("won").asLong(), when + " won");
        assertEquals(model.count("LOST"), funnel.get("totals").get("lost").asLong(), when + " lost");
        JsonNode stages = funnel.get("stages");
        for (int i = 0; i < STAGES.size(); i++) {
            String stage = STAGES.get(i);
            JsonNode row = stages.get(i);
            assertEquals(stage, row.get("stageId").asText());
            assertEquals(model.reached(stage), row.get("reached").asLong(), when + " " + stage + " reached");
            assertEquals(model.entered(stage), row.get("entered").asLong(), when + " " + stage + " entered");
            assertEquals(model.current(stage), row.get("current").asLong(), when + " " + stage + " current");
            assertEquals(model.advanced(stage), row.get("advanced").asLong(), when + " " + stage + " advanced");
            assertEquals(model.lostAt(stage), row.get("lost").asLong(), when + " " + stage + " lost");
        }
    }

    /** Mean hours per finished visit, from the world's own times: a visit ends with a move, a win or a loss. */
    private static void assertTimeInStage(List<DealPlan> world, JsonNode funnel) {
        Map<String, long[]> visits = new HashMap<>(); // count, seconds
        for (DealPlan d : world) {
            String stage = STAGES.get(0);
            Instant entered = d.createdAt();
            for (DealPlan.Step step : d.steps()) {
                boolean leaves = step instanceof DealPlan.Win || step instanceof DealPlan.Lose
                        || (step instanceof DealPlan.Move move && !move.stageId().equals(stage));
                if (!leaves) {
                    continue;
                }
                long[] v = visits.computeIfAbsent(stage, k -> new long[2]);
                v[0]++;
                v[1] += step.at().getEpochSecond() - entered.getEpochSecond();
                if (step instanceof DealPlan.Move move) {
                    stage = move.stageId();
                    entered = step.at();
                }
            }
        }
        List<String> checked = new ArrayList<>();
        for (JsonNode row : funnel.get("stages")) {
            String stage = row.get("stageId").asText();
            long[] v = visits.getOrDefault(stage, new long[2]);
            JsonNode time = row.get("timeInStageHours");
            assertEquals(v[0], time.get("visits").asLong(), stage + " finished visits");
            if (v[0] > 0) {
                double mean = Math.round(v[1] / (double) v[0] / 3600.0 * 1000.0) / 1000.0;
                assertEquals(mean, time.get("mean").asDouble(), 0.0011, stage + " mean hours in stage");
                assertTrue(time.get("mean").asDouble() > 24, stage + ": days, not the milliseconds between imported events");
                checked.add(stage);
            }
        }
        assertEquals(STAGES, checked, "every stage had finished visits to compare");
    }
}
