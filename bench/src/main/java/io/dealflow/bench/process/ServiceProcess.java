package io.dealflow.bench.run;

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

/** A service jar as its own process: started, timed to ready, measured (RSS, CPU time), stopped. */
final class ServiceProcess implements AutoCloseable {

    final String name;
    private final Process process;
    private final long startedNanos = System.nanoTime();
    private final Path log;
    long readyMillis = -1;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(String name, Path jar, Map<String, String> env, Path logs, List<String> jvmOptions) throws IOException {
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // every collection and its pause, to tell a slow query from a paused process
        command.add("-Xlog:gc:file=" + logs.resolve(name + "-gc.log") + ":uptime");
        command.add("-jar");
        command.add(jar.toString());
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ServiceProcess(name, builder.start(), log);
    }

    ServiceProcess awaitHttp(String url) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    readyMillis = (System.nanoTime() - startedNanos) / 1_000_000;
                    return this;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " not ready at " + url + "; see " + log);
    }

    ServiceProcess awaitLog(String fragment) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive();
            if (Files.exists(log) && Files.readString(log).contains(fragment)) {
                readyMillis = (System.nanoTime() - startedNanos) / 1_000_000;
                return this;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " did not log '" + fragment + "'; see " + log);
    }

    private void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size in MiB, from /proc (Linux). */
    long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time used so far (user + system) in milliseconds, from /proc (Linux, 100 ticks per second). */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
