package io.dealflow.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.bench.auth.LocalTokens;
import io.dealflow.bench.demo.ApiClient;
import io.dealflow.bench.process.ServiceProcess;
import io.dealflow.bench.workload.DealPlan;
import io.dealflow.bench.workload.HistoryFile;
import io.dealflow.bench.workload.SalesWorld;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.trust.IdentitySignature;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole benchmark in one run: starts the broker and the three services on fresh data (H2 or PostgreSQL),
 * measures write path, baselines, end-to-end freshness, query latency on a topic-loaded world, replay and
 * footprint, and writes the results. Never part of the test run.
 */
public final class BenchRunner {

    private final Map<String, String> options;
    private final BenchReport report = new BenchReport();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Signs what the bench sends straight to a service, as the gateway would relay it. */
    private IdentitySignature relay;
    private final List<ServiceProcess> processes = new ArrayList<>();
    /** Where to ask PostgreSQL for a checkpoint before the queries; null on H2. */
    private String checkpointUrl;

    public BenchRunner(Map<String, String> options) {
        this.options = options;
    }

    public static void run(Map<String, String> options) throws Exception {
        new BenchRunner(options).execute();
    }

    private void execute() throws Exception {
        boolean quick = options.containsKey("quick");
        String db = options.getOrDefault("db", "h2");
        int deals = Integer.parseInt(options.getOrDefault("deals", quick ? "2000" : "100000"));
        Duration level = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", quick ? "2" : "10")));
        Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("dealflow-bench");
        Path results = root.resolve(options.getOrDefault("results", "bench/results"))
                .resolve(Instant.now().toString().replace(":", "").substring(0, 15));
        int kafkaPort = freePort(), pipelinePort = freePort(), analyticsPort = freePort(), gatewayPort = freePort();
        String kafka = "localhost:" + kafkaPort;
        String secret = "bench-secret-" + UUID.randomUUID();
        String gatewaySecret = "bench-gateway-secret-" + UUID.randomUUID();
        relay = new IdentitySignature(gatewaySecret, java.time.Clock.systemUTC(), Duration.ofSeconds(60));
        String token = LocalTokens.sign(secret, "bench", LocalTokens.ALL_SCOPES, Duration.ofHours(2));
        String gateway = "http://localhost:" + gatewayPort;
        String pipeline = "http://localhost:" + pipelinePort;
        String analytics = "http://localhost:" + analyticsPort;

        report.setting("date", Instant.now().toString());
        report.setting("commit", git(root));
        report.setting("machine", machine());
        report.setting("database", db);
        writeWarmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", quick ? "5" : "90")));
        moveWarmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("move-warmup", quick ? "2" : "30")));
        report.setting("settings", "write warm-up " + writeWarmUp.toSeconds() + " s at 32 clients, move warm-up " + moveWarmUp.toSeconds()
                + " s; write levels " + level.toSeconds() + " s each; " + deals + " deals loaded straight to the topic for queries"
                + (quick ? " (quick mode)" : ""));
        report.setting("command", "./dealflow bench" + (db.equals("postgres") ? " --db postgres" : "") + (quick ? " --quick" : ""));

        Map<String, String> pipelineEnv = new HashMap<>(Map.of("PORT", String.valueOf(pipelinePort), "KAFKA_BOOTSTRAP_SERVERS", kafka,
                "DEALFLOW_DATA_DIR", data.toString(), "DEALFLOW_GATEWAY_SECRET", gatewaySecret));
        Map<String, String> analyticsEnv = new HashMap<>(Map.of("PORT", String.valueOf(analyticsPort), "KAFKA_BOOTSTRAP_SERVERS", kafka,
                "DEALFLOW_DATA_DIR", data.toString(), "PIPELINE_SERVICE_URL", pipeline, "DEALFLOW_GATEWAY_SECRET", gatewaySecret));
        String jdbcUrl;
        String jdbcUser = "sa";
        if (db.equals("postgres")) {
            String pg = options.getOrDefault("pg", "jdbc:postgresql://127.0.0.1:5432/");
            try (Connection c = DriverManager.getConnection(pg + "postgres", "postgres", ""); Statement s = c.createStatement()) {
                for (String name : List.of("bench_pipeline", "bench_analytics", "bench_baseline")) {
                    s.execute("drop database if exists " + name + " with (force)");
                    s.execute("create database " + name);
                }
            }
            pipelineEnv.putAll(Map.of("SPRING_DATASOURCE_URL", pg + "bench_pipeline", "SPRING_DATASOURCE_USERNAME", "postgres"));
            analyticsEnv.putAll(Map.of("DATASOURCES_DEFAULT_URL", pg + "bench_analytics", "DATASOURCES_DEFAULT_USERNAME", "postgres"));
            jdbcUrl = pg + "bench_baseline";
            jdbcUser = "postgres";
            checkpointUrl = pg + "postgres";
        } else {
            jdbcUrl = "jdbc:h2:file:" + data.resolve("baseline/db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0";
            // the service's default URL without H2's reuse of query results, which would answer a repeated identical
            // query from memory while nothing changes (as in this benchmark, unlike production); statements stay cached
            analyticsEnv.put("DATASOURCES_DEFAULT_URL", "jdbc:h2:file:" + data.resolve("funnel-analytics-service/db")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;QUERY_CACHE_SIZE=64;OPTIMIZE_REUSE_RESULTS=0");
        }
        Path logs = data.resolve("logs");
        List<String> jvm = new ArrayList<>(List.of(options.getOrDefault("jvm", "-Xmx1g -XX:+UseParallelGC").trim().split("\\s+")));
        if (options.containsKey("jfr")) {
            // one flight recording per process in the results folder, written when it stops
            Files.createDirectories(results);
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + results);
        }
        try {
            Duration ready = Duration.ofSeconds(180);
            start("local-kafka", root.resolve("local-kafka/target/local-kafka-exec.jar"),
                    Map.of("KAFKA_PORT", String.valueOf(kafkaPort), "KAFKA_CONTROLLER_PORT", String.valueOf(freePort()),
                            "KAFKA_DATA_DIR", data.resolve("kafka").toString(), "KAFKA_TOPICS", EventTypes.TOPIC + ",bench-baseline"), logs, jvm)
                    .awaitLog("local-kafka ready", ready);
            start("pipeline-service", root.resolve("pipeline-service/target/pipeline-service.jar"), pipelineEnv, logs, jvm)
                    .awaitHealthy(pipeline + "/actuator/health/readiness", ready);
            start("funnel-analytics-service", root.resolve("funnel-analytics-service/target/funnel-analytics-service.jar"), analyticsEnv, logs, jvm)
                    .awaitHealthy(analytics + "/health", ready);
            start("api-gateway", root.resolve("api-gateway/target/api-gateway.jar"),
                    Map.of("PORT", String.valueOf(gatewayPort), "PIPELINE_SERVICE_URL", pipeline, "ANALYTICS_SERVICE_URL", analytics,
                            "AUTH_HS256_SECRET", secret, "RATE_LIMIT_ENABLED", "false",
                            "DEALFLOW_GATEWAY_SECRET", gatewaySecret), logs, jvm).awaitHealthy(gateway + "/actuator/health", ready);
            for (ServiceProcess p : processes) {
                report.add("footprint", "startup to ready: " + p.name(), p.readyMillis() + " ms",
                        p.name().equals("funnel-analytics-service") ? "< 1500 ms" : null, "started one after another");
            }

            // --freshness-only: the write warm-up, then the freshness levels (results only, no docs file)
            if (options.containsKey("freshness-only")) {
                new HttpLoad(gateway, token).run("warm-up", 32, writeWarmUp, createCall());
                settle("freshness", "the freshness levels");
                freshness(kafka, gateway, analytics, token, probes(quick), 500);
                freshness(kafka, gateway, analytics, token, probes(quick), 1000);
            } else {
                sections(kafka, gateway, pipeline, analytics, token, jdbcUrl, jdbcUser, level, deals, quick);
            }
            for (ServiceProcess p : processes) {
                report.add("footprint", "RSS after the run: " + p.name(), p.rssMib() + " MiB", null, String.join(" ", jvm));
            }
            report.setting("logs", logs.toString());
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
            if (options.containsKey("keep-data")) {
                System.out.println("Databases and topic kept in " + data);
            } else {
                deleteAllBut(data, logs);
            }
        }
        report.write(results);
        if (!options.containsKey("quick") && !options.containsKey("freshness-only")) {
            // a full run replaces the latest figures; a read-side run keeps its own file per world size
            Path docs = options.containsKey("imports-only") ? root.resolve("docs/benchmarks-import-" + db + ".md") : root.resolve(options.containsKey("queries-only")
                    ? "docs/benchmarks-read-side-" + db + "-" + deals + ".md" : "docs/benchmarks-latest-" + db + ".md");
            Files.writeString(docs, report.markdown());
        }
        System.out.println("\nResults: " + results.resolve("results.md") + " and results.json");
    }

    private void sections(String kafka, String gateway, String pipeline, String analytics, String token, String jdbcUrl, String jdbcUser,
                          Duration level, int deals, boolean quick) throws Exception {
        // --queries-only: the read side alone, for large worlds (1M deals) where the rest would only add time
        boolean queriesOnly = options.containsKey("queries-only");
        // --imports-only: the bulk import and its baseline alone
        boolean importsOnly = options.containsKey("imports-only");
        if (!queriesOnly && !importsOnly) {
            writePath(gateway, pipeline, token, level);
            baselines(kafka, jdbcUrl, jdbcUser, level);
            settle("freshness", "the freshness levels");
            freshness(kafka, gateway, analytics, token, probes(quick), 500);
            freshness(kafka, gateway, analytics, token, probes(quick), 1000);
        }
        if (!importsOnly) {
            queries(kafka, analytics, deals, quick);
        }
        if (!queriesOnly && !importsOnly) {
            replay(kafka, analytics);
        }
        if (!queriesOnly) {
            imports(gateway, analytics, token, jdbcUrl, jdbcUser, importDeals(quick));
        }
    }

    /** The databases and the broker's log of a 1M-deal run take tens of GB: only the logs are kept. */
    private static void deleteAllBut(Path data, Path keep) throws java.io.IOException {
        try (var paths = Files.walk(data)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.startsWith(keep) && !p.equals(data)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private ServiceProcess start(String name, Path jar, Map<String, String> env, Path logs, List<String> jvm) throws IOException {
        List<String> options = new ArrayList<>(jvm);
        // every collection and its pause, to tell a slow query from a paused process
        options.add("-Xlog:gc:file=" + logs.resolve(name + "-gc.log") + ":uptime");
        ServiceProcess process = new ServiceProcess(name, jar, env, logs, options);
        if (processes.isEmpty()) {
            // a run stopped with Ctrl-C or kill stops the processes it started (they were left running before)
            Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(processes).forEach(ServiceProcess::close)));
        }
        processes.add(process);
        return process.start();
    }

    private void writePath(String gateway, String pipeline, String token, Duration level) throws Exception {
        HttpLoad viaGateway = new HttpLoad(gateway, token);
        HttpLoad direct = new HttpLoad(pipeline, relay);
        java.util.function.IntFunction<HttpLoad.Call> create = createCall();
        // the write path is deep (Spring, Axon, H2, Kafka): the JIT compiler keeps working for a minute or two of load
        new HttpLoad(gateway, token).run("warm-up", 32, writeWarmUp, create);
        Latency atThirtyTwo = null;
        Map<String, Long> cpuBefore = cpu();
        long t0 = System.nanoTime();
        for (int clients : new int[] {8, 32, 64}) {
            Latency l = viaGateway.run("create deal via gateway, " + clients + " clients", clients, level, create);
            report.latency("write", l, clients == 32 ? ">= 2000/s, p99 < 50 ms" : null);
            if (clients == 32) {
                atThirtyTwo = l;
            }
        }
        cpuShare("write via gateway", cpuBefore, (System.nanoTime() - t0) / 1e6);
        Latency directLatency = direct.run("create deal direct to pipeline-service, 32 clients", 32, level, create);
        report.latency("write", directLatency, null);
        report.add("write", "gateway throughput ÷ direct (32 clients)", String.format(Locale.ROOT, "%.0f %%",
                100.0 * atThirtyTwo.perSecond() / directLatency.perSecond()), ">= 80 %", null);
        this.writeRate = atThirtyTwo.perSecond();
        moves(gateway, token, level);
    }

    private static java.util.function.IntFunction<HttpLoad.Call> createCall() {
        return i -> new HttpLoad.Call("POST", "/api/v1/deals",
                "{\"title\": \"Bench " + i + "\", \"amount\": {\"value\": \"" + (100 + i % 9000) + ".00\", \"currency\": \"EUR\"}, \"ownerId\": \"bench-" + (i % 20) + "\"}");
    }

    /**
     * Moves through the gateway, 32 clients, each moving its own deals (so no two clients touch one deal) one stage
     * on per round: lead → qualified → demo → proposal → negotiation → lead …
     */
    private void moves(String gateway, String token, Duration level) throws Exception {
        int clients = 32;
        int perClient = 100;
        List<String> ids = createDeals(gateway, token, clients * perClient);
        List<String> stages = List.of("lead", "qualified", "demo", "proposal", "negotiation");
        // each client's own count, so the measured level goes on from where the warm-up left its deals
        java.util.concurrent.atomic.AtomicIntegerArray rounds = new java.util.concurrent.atomic.AtomicIntegerArray(clients);
        java.util.function.IntFunction<HttpLoad.Call> move = i -> {
            int client = i / 1_000_000;
            int iteration = rounds.getAndIncrement(client);
            String deal = ids.get(client + clients * (iteration % perClient));
            String stage = stages.get((1 + iteration / perClient) % stages.size());
            return new HttpLoad.Call("POST", "/api/v1/deals/" + deal + "/moves", "{\"stageId\": \"" + stage + "\"}");
        };
        // a move takes other paths than a create (the cached aggregate, the view's update, analytics' stage changes):
        // they are brought to compiled code before the level is measured, as the creates are by the write warm-up
        HttpLoad moves = new HttpLoad(gateway, token);
        moves.run("move warm-up", clients, moveWarmUp, move);
        Latency moved = moves.run("move deal via gateway, 32 clients", clients, level, move);
        report.latency("write", moved, ">= 1500/s, p99 < 50 ms");
    }

    private List<String> createDeals(String gateway, String token, int count) throws Exception {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/deals"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"Mover " + i + "\", \"amount\": {\"value\": \"100.00\", \"currency\": \"EUR\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("create for the move load failed: " + created.statusCode() + " " + created.body());
            }
            ids.add(json.readTree(created.body()).get("dealId").asText());
        }
        return ids;
    }

    private double writeRate;
    private Duration writeWarmUp;
    private Duration moveWarmUp;

    /** Probe deals per freshness level: p99 of 400 is the fifth worst, not the second. */
    private int probes(boolean quick) {
        return Integer.parseInt(options.getOrDefault("probes", quick ? "30" : "400"));
    }

    private int importDeals(boolean quick) {
        return Integer.parseInt(options.getOrDefault("import-deals", quick ? "5000" : "100000"));
    }

    /**
     * A six-month world of {@code deals} deals imported through the gateway as one NDJSON file: the server's own
     * write rate (job start to finish), the whole round trip, and how long until the funnel counts every deal;
     * beside it the same events as rows of the event store's shape, batch-inserted with plain JDBC.
     */
    private void imports(String gateway, String analytics, String token, String jdbcUrl, String jdbcUser, int deals) throws Exception {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ApiClient api = new ApiClient(gateway, token);
        if (options.containsKey("imports-only")) {
            // the full run's earlier sections bring the import's code to compiled code; alone, a smaller import does
            List<DealPlan> warmUp = SalesWorld.lastSixMonths(11, now).deals(Math.max(1, deals / 4)).stream().map(d -> d.asOf(now)).toList();
            long warmUpStart = System.nanoTime();
            awaitImport(api, api.startImport(HistoryFile.bytes(warmUp, "warm-up-"), "bench-import-" + UUID.randomUUID(), "all-or-nothing"));
            report.add("import", "warm-up: import of " + warmUp.size() + " deals, not recorded", String.format(Locale.ROOT, "%.1f s",
                    (System.nanoTime() - warmUpStart) / 1e9), null, null);
        }
        List<DealPlan> world = SalesWorld.lastSixMonths(7, now).deals(deals).stream().map(d -> d.asOf(now)).toList();
        byte[] file = HistoryFile.bytes(world, "bench-");
        long before = funnelDeals(analytics);
        long events = world.stream().mapToLong(d -> 1 + d.steps().size()).sum();
        Map<String, Long> cpuBefore = cpu();
        long start = System.nanoTime();
        JsonNode accepted = api.startImport(file, "bench-import-" + UUID.randomUUID(), "all-or-nothing");
        double uploadSeconds = (System.nanoTime() - start) / 1e9;
        JsonNode job = awaitImport(api, accepted);
        double roundTrip = (System.nanoTime() - start) / 1e9;
        cpuShare("the import (upload to finish)", cpuBefore, roundTrip * 1000);
        double serverSeconds = Duration.between(Instant.parse(job.get("startedAt").asText()),
                Instant.parse(job.get("finishedAt").asText())).toMillis() / 1000.0;
        report.add("import", "import of " + deals + " deals (" + events + " events, " + file.length / 1_048_576 + " MiB NDJSON), all-or-nothing",
                String.format(Locale.ROOT, "%.0f deals/s, %.0f events/s", deals / serverSeconds, events / serverSeconds),
                ">= 5000 deals/s", String.format(Locale.ROOT, "check + write %.1f s on the server; upload %.1f s; round trip %.1f s",
                        serverSeconds, uploadSeconds, roundTrip));
        long visible = System.nanoTime();
        awaitFunnelDeals(analytics, before + deals);
        report.add("import", "imported deals all counted in the funnel", String.format(Locale.ROOT, "%.1f s after the import finished",
                (System.nanoTime() - visible) / 1e9), null, "publisher to Kafka, then the projection");
        double raw = Baselines.jdbcBatchInsert(jdbcUrl, jdbcUser, "", events, 1_000);
        report.add("import", "baseline: raw JDBC batch insert of the same number of event-store-shaped rows",
                String.format(Locale.ROOT, "%.0f rows/s", raw), null, "one connection, 1,000 rows per batch and commit");
        report.add("import", "import event rate ÷ raw JDBC batch rate", String.format(Locale.ROOT, "%.0f %%", 100 * events / serverSeconds / raw),
                null, null);
    }

    private static JsonNode awaitImport(ApiClient api, JsonNode accepted) throws Exception {
        JsonNode job = api.awaitImport(accepted.get("importId").asText(), Duration.ofMinutes(30));
        if (!job.get("status").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("import did not succeed: " + job);
        }
        return job;
    }

    private void awaitFunnelDeals(String analytics, long deals) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (funnelDeals(analytics) >= deals) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the funnel never counted " + deals + " deals");
    }

    private long funnelDeals(String analytics) throws Exception {
        HttpResponse<String> funnel = http.send(relayed("GET", analytics + "/api/v1/funnel?pipelineId=default").build(),
                HttpResponse.BodyHandlers.ofString());
        return funnel.statusCode() == 200 ? json.readTree(funnel.body()).get("totals").get("deals").asLong() : 0;
    }

    private void baselines(String kafka, String jdbcUrl, String jdbcUser, Duration level) throws Exception {
        double producer = Baselines.kafkaProducer(kafka, "bench-baseline", 700, level);
        report.add("baseline", "raw Kafka producer, acks=all, 700-byte records", String.format(Locale.ROOT, "%.0f/s", producer), null,
                "same broker");
        Latency jdbc = Baselines.jdbcInsert(jdbcUrl, jdbcUser, "", 32, level);
        report.latency("baseline", jdbc, null);
        report.add("baseline", "DealFlow write rate ÷ raw JDBC append rate", String.format(Locale.ROOT, "%.0f %%", 100 * writeRate / jdbc.perSecond()),
                ">= 50 %", null);
        report.add("baseline", "DealFlow write rate ÷ raw Kafka producer", String.format(Locale.ROOT, "%.1f %%", 100 * writeRate / producer), null, null);
    }

    /**
     * Create 2xx → visible in the funnel, while a background load of {@code commandsPerSecond} creates runs; split at
     * the moment the probe's event is read from the topic (before: store → publisher → Kafka; after: Kafka → projection).
     */
    private void freshness(String kafka, String gateway, String analytics, String token, int probes, int commandsPerSecond) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ScheduledExecutorService background = Executors.newScheduledThreadPool(8);
        // steady background load, open loop: 8 senders, each handing one create per period to the load's 64 connections
        // without waiting for the answer (a slow answer must not lower the rate), at most 256 unanswered (sent or
        // waiting for a free connection); what was answered 2xx is reported
        long periodMicros = 8_000_000L / commandsPerSecond;
        java.util.concurrent.Semaphore unanswered = new java.util.concurrent.Semaphore(256);
        AtomicLong answered = new AtomicLong();
        AtomicLong notCreated = new AtomicLong();
        AtomicLong notSent = new AtomicLong();
        LoadClient load = new LoadClient(64);
        ExecutorService connections = Executors.newFixedThreadPool(64);
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
        long loadStarted = System.nanoTime();
        for (int s = 0; s < 8; s++) {
            background.scheduleAtFixedRate(() -> {
                if (!running.get()) {
                    return;
                }
                if (!unanswered.tryAcquire()) {
                    notSent.incrementAndGet();
                    return;
                }
                connections.execute(() -> {
                    try {
                        int status = load.send("POST", gateway + "/api/v1/deals", bearer,
                                "{\"title\": \"Load\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}").status();
                        (status < 300 ? answered : notCreated).incrementAndGet();
                    } catch (Exception e) {
                        notCreated.incrementAndGet();
                    } finally {
                        unanswered.release();
                    }
                });
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
        }
        Histogram endToEnd = new Histogram(60_000_000L, 3);
        Histogram toTopic = new Histogram(60_000_000L, 3);
        Histogram fromTopic = new Histogram(60_000_000L, 3);
        long unseen = 0;
        String loadAchieved = "";
        LoadClient probe = new LoadClient(1);
        try (TopicArrivals topic = new TopicArrivals(kafka, EventTypes.TOPIC)) {
            long settled = awaitSteadyState(analytics);
            System.out.printf(Locale.ROOT, "freshness at ~%d commands/s: projection caught up with the load after %d ms%n", commandsPerSecond, settled);
            // the first probes are not recorded, until the level's own load has run 30 s and a quarter as many probes
            // as are recorded have: they bring what this load and the probes exercise (small batches, the funnel of one
            // owner), which the flat-out write warm-up does not, to compiled code — a steady state, not a JIT warm-up
            int unrecorded = probes / 4;
            long recordFrom = loadStarted + Duration.ofSeconds(30).toNanos();
            double[] batchesBefore = null;
            long recordedFrom = 0;
            long createdBefore = 0;
            long notCreatedBefore = 0;
            long notSentBefore = 0;
            // an overloaded level answers each probe late: it ends after 3 minutes of recorded probes, however many ran
            long levelEnd = Long.MAX_VALUE;
            int recordedProbes = 0;
            for (int i = -unrecorded; i < probes && System.nanoTime() < levelEnd; i = (i == -1 && System.nanoTime() < recordFrom) ? -1 : i + 1) {
                boolean recorded = i >= 0;
                if (i == 0) {
                    batchesBefore = batchTotals(analytics);
                    recordedFrom = System.nanoTime();
                    levelEnd = recordedFrom + Duration.ofMinutes(3).toNanos();
                    createdBefore = answered.get();
                    notCreatedBefore = notCreated.get();
                    notSentBefore = notSent.get();
                }
                String owner = "probe-" + UUID.randomUUID();
                LoadClient.Answer created = probe.send("POST", gateway + "/api/v1/deals", bearer, "{\"title\": \"Probe\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}, \"ownerId\": \""
                        + owner + "\"}");
                long acknowledged = System.nanoTime();
                if (created.status() != 201) {
                    continue;
                }
                recordedProbes += recorded ? 1 : 0;
                String dealId = json.readTree(created.body()).path("dealId").asText();
                // the funnel is asked only once the event is on the topic, at most every 2 ms: the probe's own queries
                // must not be what slows the projection down on a machine the whole system shares
                long deadline = acknowledged + 30_000_000_000L;
                long seenBefore = endToEnd.getTotalCount();
                Long onTopic;
                while ((onTopic = topic.firstSeen(dealId)) == null && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                while (onTopic != null && System.nanoTime() < deadline) {
                    long asked = System.nanoTime();
                    String funnelPath = "/api/v1/funnel?pipelineId=default&ownerId=" + owner;
                    JsonNode funnel = json.readTree(probe.send("GET", analytics + funnelPath,
                            HttpLoad.relayedHeaders(relay, "GET", "/api/v1/funnel"), null).body());
                    if (funnel.path("totals").path("deals").asLong() == 1) {
                        if (!recorded) {
                            break;
                        }
                        long visible = System.nanoTime();
                        endToEnd.recordValue((visible - acknowledged) / 1000);
                        // the event can be read before the 2xx reaches the bench: that part then counts as 0
                        toTopic.recordValue(Math.max(0, onTopic - acknowledged) / 1000);
                        fromTopic.recordValue((visible - Math.max(onTopic, acknowledged)) / 1000);
                        break;
                    }
                    long wait = asked + 2_000_000L - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    }
                }
                if (recorded && endToEnd.getTotalCount() == seenBefore) {
                    unseen++;
                }
            }
            double[] batchesAfter = batchTotals(analytics);
            double seconds = (System.nanoTime() - recordedFrom) / 1e9;
            loadAchieved = String.format(Locale.ROOT, "%.0f creates/s answered 2xx; %d refused or failed, %d not sent (256 unanswered); %d probes in %.0f s",
                    (answered.get() - createdBefore) / seconds, notCreated.get() - notCreatedBefore, notSent.get() - notSentBefore, recordedProbes, seconds);
            double batches = batchesAfter[0] - batchesBefore[0];
            System.out.printf(Locale.ROOT, "freshness at ~%d commands/s: the projection applied %.0f batches/s of %.1f records on average%n",
                    commandsPerSecond, batches / seconds, batches == 0 ? 0 : (batchesAfter[1] - batchesBefore[1]) / batches);
        } finally {
            running.set(false);
            background.shutdownNow();
            connections.shutdownNow();
            load.close();
            probe.close();
        }
        report.latency("freshness", Latency.of("create 2xx → visible in the funnel, under ~" + commandsPerSecond + " commands/s",
                endToEnd, 0, unseen), commandsPerSecond <= 500 ? "p99 < 100 ms" : "reported beside the 500/s figure");
        report.latency("freshness", Latency.of("  of which 2xx → read from the topic", toTopic, 0, 0), null);
        report.latency("freshness", Latency.of("  of which topic → visible in the funnel", fromTopic, 0, 0), null);
        report.add("freshness", "  load while the probes ran (~" + commandsPerSecond + " commands/s asked)", loadAchieved, null, null);
    }

    /** The endpoints issue #5 sets a latency target for: the funnel (whole pipeline or one owner) and the forecast. */
    private static final String TIME_TRAVEL = "funnel at= (time travel)";
    private static final java.util.Set<String> TARGETED = java.util.Set.of("funnel", "funnel, owner filter", "forecast");

    private void queries(String kafka, String analytics, int deals, boolean quick) throws Exception {
        String pipelineId = "bench-" + deals;
        long start = System.nanoTime();
        long events = new TopicLoader(kafka).load(pipelineId, deals, 7);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        report.add("load", "generated world written to the topic", events + " events, " + deals + " deals", null,
                String.format(Locale.ROOT, "%.0f events/s", events / loadSeconds));
        long applyStart = System.nanoTime();
        long applied = awaitProjection(analytics, pipelineId, deals);
        double applySeconds = (System.nanoTime() - applyStart + (long) (loadSeconds * 1e9)) / 1e9;
        report.add("projection", "live projection of the loaded world", String.format(Locale.ROOT, "%.0f events/s", applied / applySeconds),
                ">= 20000/s", "from the first write to the last event applied; " + batchSize(analytics));
        settle("query", "the queries");
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("funnel", "/api/v1/funnel?pipelineId=" + pipelineId);
        endpoints.put("funnel, owner filter", "/api/v1/funnel?pipelineId=" + pipelineId + "&ownerId=owner-3");
        endpoints.put("phases", "/api/v1/funnel/phases?pipelineId=" + pipelineId);
        endpoints.put("forecast", "/api/v1/forecast?pipelineId=" + pipelineId);
        endpoints.put("velocity", "/api/v1/velocity?pipelineId=" + pipelineId);
        endpoints.put("trends", "/api/v1/trends?interval=month&pipelineId=" + pipelineId);
        endpoints.put("trends (week cohorts)", "/api/v1/trends?interval=week&pipelineId=" + pipelineId);
        endpoints.put("velocity per owner", "/api/v1/velocity?groupBy=owner&pipelineId=" + pipelineId);
        endpoints.put("freshness", "/api/v1/analytics/freshness");
        Instant today = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        java.time.LocalDate thisMonth = java.time.LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1);
        endpoints.put("funnel, creation window of whole months (month slices)", "/api/v1/funnel?pipelineId=" + pipelineId + "&from="
                + thisMonth.minusMonths(3) + "&to=" + thisMonth);
        endpoints.put("funnel, creation window with a time of day (month slices ± deals of the partial months)", "/api/v1/funnel?pipelineId="
                + pipelineId + "&from=" + today.minus(Duration.ofDays(90)).plusSeconds(1) + "&to=" + today);
        endpoints.put("funnel, creation window and owner (deal tables)", "/api/v1/funnel?pipelineId=" + pipelineId + "&ownerId=owner-3&from="
                + today.minus(Duration.ofDays(90)).plusSeconds(1) + "&to=" + today);
        endpoints.put(TIME_TRAVEL, "/api/v1/funnel?pipelineId=" + pipelineId);
        endpoints.put(TIME_TRAVEL + ", one owner (visits)", "/api/v1/funnel?pipelineId=" + pipelineId + "&ownerId=owner-3");
        endpoints.put(TIME_TRAVEL + ", board (visits and amounts)", "/api/v1/funnel/board?pipelineId=" + pipelineId);
        endpoints.put("waterfall, last 30 days (deal histories)", "/api/v1/waterfall?pipelineId=" + pipelineId + "&from="
                + today.minus(Duration.ofDays(30)) + "&to=" + today);
        endpoints.put("backtest, 6 months (deal histories)", "/api/v1/forecast/backtest?months=6&pipelineId=" + pipelineId);
        Instant travelFrom = Instant.now().minus(Duration.ofDays(150));
        for (var endpoint : endpoints.entrySet()) {
            HttpLoad load = new HttpLoad(analytics, relay);
            // the forecast's look-back and the time-travel instant (any second of the last 150 days) vary call by call, as in real use
            java.util.function.IntFunction<HttpLoad.Call> call = i -> new HttpLoad.Call("GET", endpoint.getValue()
                    + (endpoint.getKey().equals("forecast") ? "&lookbackDays=" + (300 + i % 60) : "")
                    + (endpoint.getKey().startsWith(TIME_TRAVEL) ? "&at=" + travelFrom.plusSeconds(i * 7_919_993L % (150L * 86_400)) : ""), null);
            // long enough for the JIT compiler to finish with the endpoint's path, as it has in a service that has run for a
            // while: on 2 cores, a standalone analytics service still spent 3.1 ms of CPU per funnel call in its first 13 s of
            // calls and 0.7-1.0 ms after 40 s; with 3 s here, the first endpoint measured paid for the compiling
            load.run("warm-up", 1, Duration.ofSeconds(quick ? 1 : 10), call);
            Latency l = load.run(endpoint.getKey() + " at " + deals + " deals", 1, Duration.ofSeconds(quick ? 1 : 5), call);
            report.latency("query", l, TARGETED.contains(endpoint.getKey()) ? "p99 < 10 ms at 1M" : null);
        }
        keepUp(kafka, analytics, deals);
    }

    /**
     * Lets the aftermath of a flat-out load pass before latencies are measured: PostgreSQL writes the loaded pages out in
     * a checkpoint spread over the next minute (the first endpoints, and the first freshness level after the raw insert
     * baseline, were measured during it), and background work may still run. So: a checkpoint, then up to a minute until
     * the machine is 85 % idle over a second.
     */
    private void settle(String section, String before) throws Exception {
        long start = System.nanoTime();
        if (checkpointUrl != null) {
            try (Connection c = DriverManager.getConnection(checkpointUrl, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("checkpoint");
            }
        }
        while (System.nanoTime() - start < Duration.ofSeconds(60).toNanos() && idleShare() < 0.85) {
            // idleShare() itself waits a second
        }
        report.add(section, "settling before " + before, String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9), null,
                (checkpointUrl != null ? "a PostgreSQL checkpoint, then " : "") + "until the machine was 85 % idle over a second (at most 60 s)");
    }

    /** The share of the machine's CPU time that was idle over the next second (Linux /proc/stat; 1 elsewhere). */
    private static double idleShare() throws Exception {
        Path stat = Path.of("/proc/stat");
        if (!Files.exists(stat)) {
            return 1;
        }
        long[] before = cpuTimes(stat);
        Thread.sleep(1000);
        long[] after = cpuTimes(stat);
        long total = after[0] - before[0];
        return total == 0 ? 1 : (double) (after[1] - before[1]) / total;
    }

    /** Total and idle (idle + iowait) jiffies of all CPUs. */
    private static long[] cpuTimes(Path stat) throws Exception {
        String[] fields = Files.readAllLines(stat).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length; i++) {
            total += Long.parseLong(fields[i]);
        }
        return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
    }

    /** Mean records per applied batch, from the service's metrics. */
    private String batchSize(String analytics) throws Exception {
        double[] totals = batchTotals(analytics);
        return String.format(Locale.ROOT, "%.0f batches of %.0f records on average", totals[0], totals[0] == 0 ? 0 : totals[1] / totals[0]);
    }

    /** Batches applied so far and the records in them, from the service's metrics. */
    private double[] batchTotals(String analytics) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(analytics + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        double count = 0, sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("dealflow_projection_batch_size_count")) {
                count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("dealflow_projection_batch_size_sum")) {
                sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new double[] {count, sum};
    }

    /**
     * Probes measure the load level, not what an earlier section left behind: the projection must first have caught up
     * with the topic (the write warm-up before runs flat out and leaves a backlog), then the load runs 5 s more.
     * Returns how long catching up took.
     */
    private long awaitSteadyState(String analytics) throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(120).toNanos();
        while (freshness(analytics).path("totalLag").asLong(-1) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        long caughtUp = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(5000);
        return caughtUp;
    }

    private long awaitProjection(String analytics, String pipelineId, int deals) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode freshness = freshness(analytics);
            JsonNode funnel = json.readTree(http.send(relayed("GET", analytics + "/api/v1/funnel?pipelineId=" + pipelineId).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (freshness.path("totalLag").asLong(-1) == 0 && funnel.path("totals").path("deals").asLong() == deals) {
                return applied(freshness);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the projection did not catch up within 30 minutes");
    }

    /**
     * The target is a projection that keeps up with 20,000 events/s. Next to the flat-out load above (where the loader
     * takes the CPU the projection would need), a second world is written at exactly that rate while the lag is sampled:
     * a projection that keeps up applies as many events per second as are written and is done soon after the last write.
     */
    private void keepUp(String kafka, String analytics, int deals) throws Exception {
        int rate = Integer.parseInt(options.getOrDefault("pace", "25000"));
        int pacedDeals = Math.min(deals, 100_000);
        String pipelineId = "bench-paced-" + pacedDeals;
        long appliedBefore = applied(freshness(analytics));
        AtomicLong maxLag = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> {
            try {
                maxLag.accumulateAndGet(freshness(analytics).path("totalLag").asLong(), Math::max);
            } catch (Exception e) {
                // a missed sample only makes the maximum less precise
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        long events = new TopicLoader(kafka, rate).load(pipelineId, pacedDeals, 11);
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        JsonNode atEnd = freshness(analytics);
        sampler.shutdownNow();
        awaitProjection(analytics, pipelineId, pacedDeals);
        long afterLastWrite = Math.round((System.nanoTime() - start) / 1e6 - writeSeconds * 1000);
        long appliedDuringWrites = applied(atEnd) - appliedBefore;
        long lagAtEnd = atEnd.path("totalLag").asLong();
        report.add("projection", "keeping up with a producer paced at " + rate + " events/s",
                String.format(Locale.ROOT, "%.0f events/s", appliedDuringWrites / writeSeconds), ">= 20000/s",
                String.format(Locale.ROOT, "applied while %d events were written in %.1f s (%.0f/s); lag at most %d events, %d when the"
                        + " writes ended; all applied %d ms after the last write", events, writeSeconds, events / writeSeconds,
                        Math.max(maxLag.get(), lagAtEnd), lagAtEnd, afterLastWrite));
    }

    private JsonNode freshness(String analytics) throws Exception {
        return json.readTree(http.send(relayed("GET", analytics + "/api/v1/analytics/freshness").build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static long applied(JsonNode freshness) {
        long applied = 0;
        for (JsonNode p : freshness.get("partitions")) {
            applied += p.get("appliedEvents").asLong();
        }
        return applied;
    }

    private void replay(String kafka, String analytics) throws Exception {
        double raw = Baselines.kafkaConsumer(kafka, EventTypes.TOPIC);
        http.send(relayed("POST", analytics + "/api/v1/analytics/admin/rebuild")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        JsonNode status;
        do {
            Thread.sleep(500);
            status = json.readTree(http.send(relayed("GET", analytics + "/api/v1/analytics/admin/rebuild").build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } while ("RUNNING".equals(status.path("state").asText()));
        JsonNode rebuilt = status.path("result");
        report.add("replay", "rebuild the read model from the topic", String.format(Locale.ROOT, "%.0f events/s (%d records, %d ms)",
                rebuilt.get("eventsPerSecond").asDouble(), rebuilt.get("records").asLong(), rebuilt.get("millis").asLong()), ">= 100000/s", null);
        report.add("replay", "raw Kafka consumer reading the same topic", String.format(Locale.ROOT, "%.0f records/s", raw), null, "same broker");
    }

    private Map<String, Long> cpu() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach(p -> cpu.put(p.name(), p.cpuMillis()));
        return cpu;
    }

    private void cpuShare(String phase, Map<String, Long> before, double wallMillis) {
        StringBuilder shares = new StringBuilder();
        for (ServiceProcess p : processes) {
            double used = p.cpuMillis() - before.getOrDefault(p.name(), 0L);
            shares.append(String.format(Locale.ROOT, "%s %.0f%%  ", p.name(), 100 * used / wallMillis));
        }
        report.add("cpu", "CPU per process during " + phase + " (100% = one core)", shares.toString().strip(), null,
                Runtime.getRuntime().availableProcessors() + " cores; the load generator uses the rest");
    }

    private static String machine() {
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("");
        } catch (Exception e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version");
    }

    private static String git(Path root) {
        try {
            Process p = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--short", "HEAD").start();
            return new String(p.getInputStream().readAllBytes()).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private HttpRequest.Builder relayed(String method, String url) {
        return HttpLoad.relayed(relay, HttpRequest.newBuilder(URI.create(url)), method, URI.create(url).getRawPath());
    }
}
