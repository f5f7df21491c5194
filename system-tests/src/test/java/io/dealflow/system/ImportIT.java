package io.dealflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.bench.workload.DealPlan;
import io.dealflow.bench.workload.HistoryFile;
import io.dealflow.bench.workload.SalesWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
 * cycle, the funnel as it stood half-way (time travel), the last 30 days' waterfall, and the backtest's months (open
 * deals expected to close in each, the configured forecast, what was won) with its calibration. 3,000 deals by default;
 * {@code -Ddealflow.import-it.deals=100000} checks the full-size history.
 */
class ImportIT {

    private static final List<String> STAGES = SalesWorld.STAGES;
    private static final int DEALS = Integer.getInteger("dealflow.import-it.deals", 3_000);
    /** Generous for the slowest machine: the services run the first-tier compiler's code in a small heap here. */
    private static final Duration WAIT = Duration.ofSeconds(Math.max(120, DEALS / 50));
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
                .header("Authorization", "Bearer " + TOKEN).timeout(WAIT);
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

        assertWaterfall(world, now.minus(Duration.ofDays(30)), now);
        assertBacktest(world, now);

        // posted again as a file of 48 MiB (a retry of a large import; more than the sockets buffer): the service answers before it has read
        // the body, and the gateway must still pass that answer on rather than a 503
        byte[] large = atLeast(file, 48 << 20);
        JsonNode again = send("POST", "/api/v1/imports?mode=all-or-nothing", "application/x-ndjson", large, 200,
                "Idempotency-Key", "world-2026");
        assertEquals(importId, again.get("importId").asText(), "the same import, not a second one");
        Thread.sleep(2_000);
        assertEquals(DEALS, get("/api/v1/funnel?pipelineId=default").get("totals").get("deals").asLong(),
                "posting the import again added nothing");

        JsonNode refused = send("POST", "/api/v1/imports?mode=sometimes", "application/x-ndjson", large, 400,
                "Idempotency-Key", "world-2027");
        assertEquals("mode must be all-or-nothing or skip-invalid", refused.get("detail").asText(),
                "a large file with a bad mode is refused as such, not as an unreachable service");
    }

    private static byte[] atLeast(byte[] file, int size) {
        byte[] body = new byte[(size / file.length + 1) * file.length];
        for (int at = 0; at < body.length; at += file.length) {
            System.arraycopy(file, 0, body, at, file.length);
        }
        return body;
    }

    private JsonNode awaitImport(String importId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
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
        long deadline = System.nanoTime() + WAIT.toNanos();
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
            for (Visit visit : visits(d)) {
                if (visit.left() != null) {
                    long[] v = visits.computeIfAbsent(visit.stageId(), k -> new long[2]);
                    v[0]++;
                    v[1] += visit.left().getEpochSecond() - visit.entered().getEpochSecond();
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

    /** A deal's stage visits from the world: a visit ends with a move to another stage, a win or a loss. */
    private record Visit(String stageId, Instant entered, Instant left, String endedBy, boolean first) {

        boolean openAt(Instant t) {
            return !entered.isAfter(t) && (left == null || left.isAfter(t));
        }
    }

    private static List<Visit> visits(DealPlan d) {
        List<Visit> visits = new ArrayList<>();
        String stage = STAGES.get(0);
        Instant entered = d.createdAt();
        for (DealPlan.Step step : d.steps()) {
            if (stage == null) {
                break;
            }
            if (step instanceof DealPlan.Move move && !move.stageId().equals(stage)) {
                visits.add(new Visit(stage, entered, step.at(), "MOVE", visits.isEmpty()));
                stage = move.stageId();
                entered = step.at();
            } else if (step instanceof DealPlan.Win || step instanceof DealPlan.Lose) {
                visits.add(new Visit(stage, entered, step.at(), step instanceof DealPlan.Win ? "WON" : "LOST", visits.isEmpty()));
                stage = null;
            }
        }
        if (stage != null) {
            visits.add(new Visit(stage, entered, null, null, visits.isEmpty()));
        }
        return visits;
    }

    /** After the window's start, up to and including its end (the waterfall's window). */
    private static boolean within(Instant t, Instant from, Instant to) {
        return t != null && t.isAfter(from) && !t.isAfter(to);
    }

    /**
     * The waterfall of a window from the world's own visits: per currency the open deals at its start and end, the
     * created, won and lost in it (counts and amounts); per stage also the moves in and out. The world changes no
     * amount or close date and reopens nothing, so those columns are zero.
     */
    private void assertWaterfall(List<DealPlan> world, Instant from, Instant to) throws Exception {
        Map<String, long[]> stages = new HashMap<>(); // openAtStart, created, movedIn, movedOut, won, lost, openAtEnd
        long[] deals = new long[5]; // openAtStart, created, won, lost, openAtEnd
        BigDecimal[] amounts = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
        for (DealPlan d : world) {
            assertEquals("EUR", d.currency(), "the world's deals are in one currency");
            for (Visit v : visits(d)) {
                long[] stage = stages.computeIfAbsent(v.stageId(), k -> new long[7]);
                int[] columns = new int[5];
                int n = 0;
                if (v.openAt(from)) {
                    stage[0]++;
                    columns[n++] = 0;
                }
                if (within(v.entered(), from, to)) {
                    stage[v.first() ? 1 : 2]++;
                    if (v.first()) {
                        columns[n++] = 1;
                    }
                }
                if (within(v.left(), from, to)) {
                    switch (v.endedBy()) {
                        case "MOVE" -> stage[3]++;
                        case "WON" -> {
                            stage[4]++;
                            columns[n++] = 2;
                        }
                        default -> {
                            stage[5]++;
                            columns[n++] = 3;
                        }
                    }
                }
                if (v.openAt(to)) {
                    stage[6]++;
                    columns[n++] = 4;
                }
                for (int i = 0; i < n; i++) {
                    deals[columns[i]]++;
                    amounts[columns[i]] = amounts[columns[i]].add(d.amount());
                }
            }
        }
        JsonNode waterfall = get("/api/v1/waterfall?pipelineId=default&from=" + from + "&to=" + to);
        JsonNode currencies = waterfall.get("currencies");
        assertEquals(1, currencies.size(), waterfall.toString());
        JsonNode eur = currencies.get(0);
        assertEquals("EUR", eur.get("currency").asText());
        String[] names = {"openAtStart", "created", "won", "lost", "openAtEnd"};
        for (int i = 0; i < names.length; i++) {
            assertEquals(deals[i], eur.get("deals").get(names[i]).asLong(), "waterfall deals " + names[i]);
            assertEquals(0, amounts[i].compareTo(new BigDecimal(eur.get("amounts").get(names[i]).asText())),
                    "waterfall amount " + names[i] + ": " + amounts[i] + " against " + eur.get("amounts").get(names[i]));
        }
        assertEquals(0, eur.get("deals").get("reopened").asLong());
        assertEquals(0, new BigDecimal(eur.get("amountUp").asText()).signum());
        assertEquals(0, eur.get("pulledIn").asLong() + eur.get("pushedOut").asLong());
        assertTrue(deals[0] > 0 && deals[1] > 0 && deals[2] > 0 && deals[3] > 0, "every column has deals to compare");
        String[] stageNames = {"openAtStart", "created", "movedIn", "movedOut", "won", "lost", "openAtEnd"};
        for (JsonNode row : waterfall.get("stages")) {
            long[] expected = stages.getOrDefault(row.get("stageId").asText(), new long[7]);
            for (int i = 0; i < stageNames.length; i++) {
                assertEquals(expected[i], row.get(stageNames[i]).asLong(), "waterfall " + row.get("stageId").asText() + " " + stageNames[i]);
            }
        }
    }

    /**
     * The backtest's past three months from the world: the deals open at a month's start and expected to close in it,
     * their amounts times the stage's configured probability, what was won in the month; and per stage, of the deals
     * open at a month's start that have closed since, how many and what share were won.
     */
    private void assertBacktest(List<DealPlan> world, Instant now) throws Exception {
        Map<String, Integer> probability = new HashMap<>();
        for (JsonNode stage : get("/api/v1/pipelines/default").get("stages")) {
            probability.put(stage.get("id").asText(), stage.get("probability").asInt());
        }
        YearMonth current = YearMonth.from(LocalDate.ofInstant(now, ZoneOffset.UTC));
        JsonNode backtest = get("/api/v1/forecast/backtest?pipelineId=default&months=3");
        Map<String, long[]> calibration = new HashMap<>(); // closed samples, won
        for (int k = 3; k >= 1; k--) {
            YearMonth month = current.minusMonths(k);
            Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            long expectedDeals = 0;
            BigDecimal configured = BigDecimal.ZERO;
            BigDecimal won = BigDecimal.ZERO;
            for (DealPlan d : world) {
                String outcome = outcome(d);
                for (Visit v : visits(d)) {
                    if (v.openAt(start)) {
                        if (YearMonth.from(d.expectedCloseDate()).equals(month)) {
                            expectedDeals++;
                            configured = configured.add(d.amount().multiply(BigDecimal.valueOf(probability.get(v.stageId()) / 100.0)));
                        }
                        if (!outcome.equals("OPEN")) {
                            long[] c = calibration.computeIfAbsent(v.stageId(), s -> new long[2]);
                            c[0]++;
                            c[1] += outcome.equals("WON") ? 1 : 0;
                        }
                    }
                    if ("WON".equals(v.endedBy()) && !v.left().isBefore(start) && v.left().isBefore(end)) {
                        won = won.add(d.amount());
                    }
                }
            }
            JsonNode row = backtest.get("months").get(3 - k);
            assertEquals(month.toString(), row.get("month").asText());
            JsonNode eur = row.get("currencies").get(0);
            assertEquals(expectedDeals, eur.get("deals").asLong(), month + " deals expected to close");
            assertEquals(0, configured.setScale(2, RoundingMode.HALF_EVEN).compareTo(new BigDecimal(eur.get("configuredForecast").asText())),
                    month + " configured forecast " + configured + " against " + eur.get("configuredForecast"));
            assertEquals(0, won.compareTo(new BigDecimal(eur.get("won").asText())), month + " won " + won + " against " + eur.get("won"));
            assertTrue(expectedDeals > 0 && won.signum() > 0, month + " has deals to compare");
        }
        for (JsonNode row : backtest.get("calibration")) {
            long[] c = calibration.getOrDefault(row.get("stageId").asText(), new long[2]);
            assertEquals(c[0], row.get("samples").asLong(), row.toString());
            if (c[0] > 0) {
                assertEquals(c[1] / (double) c[0], row.get("observedWinRate").asDouble(), 0.00005, row.toString()); // given to 4 places
            }
        }
    }
}
