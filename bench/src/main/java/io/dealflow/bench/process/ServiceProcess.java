package io.dealflow.bench.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service jar as its own operating-system process, for the benchmark and the system tests: started (and started
 * again after a crash, on the same data), awaited until ready, measured (RSS, CPU time), crashed or stopped. Its output
 * goes to {@code <log dir>/<name>.log}, each start appending.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Path jar;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final Path log;
    private Process process;
    private long startedNanos;
    /** Where this start's output begins in the log. */
    private long logStart;
    private long readyMillis = -1;

    public ServiceProcess(String name, Path jar, Map<String, String> env, Path logDir, List<String> jvmOptions) {
        this.name = name;
        this.jar = jar;
        this.env = env;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.log = logDir.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public ServiceProcess start() throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the modules first (./mvnw verify builds them)");
        }
        Files.createDirectories(log.getParent());
        logStart = Files.exists(log) ? Files.size(log) : 0;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        startedNanos = System.nanoTime();
        readyMillis = -1;
        process = builder.start();
        return this;
    }

    /** Waits until the URL answers 200, failing early if the process died. */
    public ServiceProcess awaitHealthy(String url, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return ready();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " was not healthy at " + url + " within " + timeout + "; see " + log);
    }

    /** Waits until this start's output contains the fragment (for the broker, which has no HTTP endpoint). */
    public ServiceProcess awaitLog(String fragment, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive();
            if (Files.exists(log) && Files.readString(log).substring((int) Math.min(logStart, Files.size(log))).contains(fragment)) {
                return ready();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " did not log '" + fragment + "' within " + timeout + "; see " + log);
    }

    private ServiceProcess ready() {
        readyMillis = (System.nanoTime() - startedNanos) / 1_000_000;
        return this;
    }

    /** From the last start until it was found ready; -1 before that. */
    public long readyMillis() {
        return readyMillis;
    }

    private void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
    }

    /** Resident set size in MiB, from /proc (Linux); -1 where unknown. */
    public long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time used so far (user + system) in milliseconds, from /proc (Linux, 100 ticks per second); -1 where unknown. */
    public long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Kills the process without any chance to clean up, like a crash or an OOM kill. */
    public void crash() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Stops the process as an orchestrator would (SIGTERM), killing it if it has not ended within 30 s. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
