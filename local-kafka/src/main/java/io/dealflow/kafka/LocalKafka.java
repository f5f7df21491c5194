package io.dealflow.kafka;

import io.dealflow.events.v1.EventTypes;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker in KRaft mode (combined broker + controller), started in this JVM: a single node for the local
 * run and the tests, or one node of a cluster ({@link Membership}) whose other nodes run as processes of their own.
 * Data survives restarts when the same data directory is reused.
 */
public final class LocalKafka implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Membership membership;
    private KafkaRaftServer server;

    /**
     * Which node of which cluster this is: its id, the controller quorum ({@code id@host:port,…}), the cluster id every
     * node is formatted with, and the replication factor of topics it creates (internal topics too; writes then need
     * all but one replica in sync).
     */
    public record Membership(int nodeId, String quorumVoters, String clusterId, int replicationFactor) {

        public static Membership single(int controllerPort) {
            return new Membership(1, "1@localhost:" + controllerPort, Uuid.randomUuid().toString(), 1);
        }

        int minInSyncReplicas() {
            return Math.max(1, replicationFactor - 1);
        }
    }

    public LocalKafka(Path dataDir, int port) {
        this(dataDir, port, freePort());
    }

    public LocalKafka(Path dataDir, int port, int controllerPort) {
        this(dataDir, port, controllerPort, Membership.single(controllerPort));
    }

    public LocalKafka(Path dataDir, int port, int controllerPort, Membership membership) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.membership = membership;
    }

    private static LocalKafka shared;

    /**
     * One broker for all the tests of a JVM, started on first use (free ports, a temporary directory) with the deal
     * topics and their dead-letter topic (6 partitions each), stopped when the JVM ends.
     */
    public static synchronized LocalKafka shared() {
        if (shared == null) {
            LocalKafka kafka = onFreePort().start();
            kafka.createTopics(6, EventTypes.TOPIC, EventTypes.DEAD_LETTER_TOPIC);
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop));
            shared = kafka;
        }
        return shared;
    }

    /** A broker on free ports in a fresh temporary directory: for tests. */
    public static LocalKafka onFreePort() {
        try {
            return new LocalKafka(Files.createTempDirectory("local-kafka"), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized LocalKafka start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            Properties props = brokerProperties();
            formatStorageOnce(props);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            awaitReady();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(int partitions, String... topics) {
        try (Admin admin = admin()) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) membership.replicationFactor())))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + topic, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics", e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker did not become ready on " + bootstrapServers(), e);
        }
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(membership.nodeId()));
        p.put("controller.quorum.voters", membership.quorumVoters());
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        // internal and auto-created topics as many copies as the cluster keeps; a single node can keep only one
        String replicas = String.valueOf(membership.replicationFactor());
        String minInSync = String.valueOf(membership.minInSyncReplicas());
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minInSync);
        p.put("transaction.state.log.num.partitions", "6");
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minInSync);
        p.put("num.partitions", "6");
        p.put("auto.create.topics.enable", "true");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.hours", "-1");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return p;
    }

    private void formatStorageOnce(Properties props) throws IOException {
        Path logs = dataDir.resolve("logs");
        if (Files.exists(logs.resolve("meta.properties"))) {
            return;
        }
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "local-kafka");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        // StorageTool.main would exit the JVM; execute returns a status instead.
        int status = StorageTool.execute(new String[] {
                "format", "-t", membership.clusterId(), "-c", config.toString(), "--ignore-formatted"
        }, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
