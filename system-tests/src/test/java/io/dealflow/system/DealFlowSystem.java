package io.dealflow.system;

import io.dealflow.bench.process.ServiceProcess;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system as separate processes on free ports with fresh data folders: the broker, the two
 * services and the gateway, started in dependency order and stopped in reverse.
 */
final class DealFlowSystem implements AutoCloseable {

    /** Small heaps and a quick start: the tests run the broker and three to five services on two cores. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    static final String SECRET = "system-test-secret-" + java.util.UUID.randomUUID();
    static final String GATEWAY_SECRET = "system-test-gateway-secret-" + java.util.UUID.randomUUID();
    final int kafkaPort = freePort();
    final int pipelinePort = freePort();
    final int analyticsPort = freePort();
    final int gatewayPort = freePort();
    private final List<ServiceProcess> started = new ArrayList<>();
    private final Map<String, String> analyticsSettings;
    private ServiceProcess broker;
    private ServiceProcess pipelineService;
    private ServiceProcess analyticsService;
    private Path root;
    private Path logs;

    private DealFlowSystem(Map<String, String> analyticsSettings) {
        this.analyticsSettings = analyticsSettings;
    }

    static DealFlowSystem start() throws Exception {
        return start(Map.of());
    }

    /** The system with extra settings (environment variables) for funnel-analytics-service. */
    static DealFlowSystem start(Map<String, String> analyticsSettings) throws Exception {
        DealFlowSystem system = new DealFlowSystem(analyticsSettings);
        try {
            system.boot();
        } catch (Exception | Error e) {
            system.close();
            throw e;
        }
        return system;
    }

    /** A bearer token with the given scopes, signed with the gateway's secret. */
    static String token(String subject, String scopes) {
        try {
            com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
                    new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(subject).claim("scope", scopes)
                            .issuer("dealflow-local").audience("dealflow").notBeforeTime(new java.util.Date())
                            .expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000)).build());
            jwt.sign(new com.nimbusds.jose.crypto.MACSigner(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String ALL_SCOPES = "deals:read deals:write analytics:read admin";

    String gateway() {
        return "http://localhost:" + gatewayPort;
    }

    String kafka() {
        return "localhost:" + kafkaPort;
    }

    private void boot() throws Exception {
        root = Path.of(System.getProperty("dealflow.root", ".."));
        Path data = Files.createTempDirectory("dealflow-system");
        logs = root.resolve("system-tests/target/system-logs");
        String kafka = kafka();

        Map<String, String> broker = new HashMap<>();
        broker.put("KAFKA_PORT", String.valueOf(kafkaPort));
        broker.put("KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        broker.put("KAFKA_DATA_DIR", data.resolve("kafka").toString());
        this.broker = new ServiceProcess("local-kafka", root.resolve("local-kafka/target/local-kafka-exec.jar"), broker, logs, JVM_OPTIONS)
                .start().awaitLog("local-kafka ready", Duration.ofSeconds(60));
        started.add(this.broker);

        Map<String, String> common = new HashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        common.put("DEALFLOW_DATA_DIR", data.toString());
        common.put("DEALFLOW_GATEWAY_SECRET", GATEWAY_SECRET);
        common.put("BIND_ADDRESS", "127.0.0.1");

        Map<String, String> pipelineEnv = new HashMap<>(common);
        pipelineEnv.put("PORT", String.valueOf(pipelinePort));
        pipelineService = new ServiceProcess("pipeline-service", root.resolve("pipeline-service/target/pipeline-service.jar"), pipelineEnv, logs, JVM_OPTIONS).start();
        started.add(pipelineService);

        Map<String, String> analytics = new HashMap<>(common);
        analytics.put("PORT", String.valueOf(analyticsPort));
        analytics.put("PIPELINE_SERVICE_URL", "http://127.0.0.1:" + pipelinePort);
        analytics.putAll(analyticsSettings);
        analyticsService = new ServiceProcess("funnel-analytics-service",
                root.resolve("funnel-analytics-service/target/funnel-analytics-service.jar"), analytics, logs, JVM_OPTIONS).start();
        started.add(analyticsService);

        ServiceProcess gatewayService = startGateway(gatewayPort, Map.of("LOCAL_SIGN_IN", "true"), "api-gateway");
        started.add(gatewayService);

        pipelineService.awaitHealthy(pipelineHealth(), Duration.ofSeconds(120));
        analyticsService.awaitHealthy(analyticsHealth(), Duration.ofSeconds(120));
        gatewayService.awaitHealthy(gateway() + "/actuator/health", Duration.ofSeconds(120));
        awaitRoutedRequest(Duration.ofSeconds(60));
    }

    /**
     * Ready means a request gets through the gateway to a service: the first one opens the gateway's connections to
     * the services, which the health checks (their own client) do not.
     */
    private void awaitRoutedRequest(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway() + "/api/v1/pipelines"))
                .header("Authorization", "Bearer " + token("system-test", ALL_SCOPES)).timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no request got through the gateway within " + timeout + " (last answer " + status + ")");
    }

    /** A gateway in front of this system's services on {@code port}, with extra settings; stopped with the system. */
    String addGateway(int port, Map<String, String> settings) throws Exception {
        ServiceProcess gateway = startGateway(port, settings, "api-gateway-" + port);
        started.add(gateway);
        gateway.awaitHealthy("http://localhost:" + port + "/actuator/health", Duration.ofSeconds(120));
        return "http://localhost:" + port;
    }

    private ServiceProcess startGateway(int port, Map<String, String> settings, String name) throws Exception {
        Map<String, String> gateway = new HashMap<>(settings);
        gateway.put("PORT", String.valueOf(port));
        gateway.put("AUTH_HS256_SECRET", SECRET);
        gateway.put("DEALFLOW_GATEWAY_SECRET", GATEWAY_SECRET);
        gateway.put("PIPELINE_SERVICE_URL", "http://127.0.0.1:" + pipelinePort);
        gateway.put("ANALYTICS_SERVICE_URL", "http://127.0.0.1:" + analyticsPort);
        return new ServiceProcess(name, root.resolve("api-gateway/target/api-gateway.jar"), gateway, logs, JVM_OPTIONS).start();
    }

    private String pipelineHealth() {
        return "http://127.0.0.1:" + pipelinePort + "/actuator/health/readiness";
    }

    private String analyticsHealth() {
        return "http://127.0.0.1:" + analyticsPort + "/health";
    }

    /** Kills pipeline-service (no shutdown hooks, no flushing) and starts it again on the same data. */
    void crashAndRestartPipelineService() throws Exception {
        pipelineService.crash();
        pipelineService.start().awaitHealthy(pipelineHealth(), Duration.ofSeconds(120));
    }

    /** Kills the broker with -9 and starts it again on the same log directory and port. */
    void crashAndRestartBroker() throws Exception {
        broker.crash();
        broker.start().awaitLog("local-kafka ready", Duration.ofSeconds(60));
    }

    /** Kills funnel-analytics-service with -9 and starts it again on the same database. */
    void crashAndRestartAnalytics() throws Exception {
        analyticsService.crash();
        analyticsService.start().awaitHealthy(analyticsHealth(), Duration.ofSeconds(120));
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
