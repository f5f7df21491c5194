package io.dealflow.bench;

import io.dealflow.bench.demo.DemoLoader;

import java.util.HashMap;
import java.util.Map;

/**
 * Command line of the bench jar: {@code demo} loads the demo data through the gateway, {@code token} signs a
 * local bearer token.
 * Options are {@code --name value} pairs.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            return;
        }
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "demo" -> DemoLoader.run(options.getOrDefault("gateway", "http://localhost:8080"),
                    options.getOrDefault("token", System.getenv("DEALFLOW_TOKEN")),
                    Integer.parseInt(options.getOrDefault("deals", "300")),
                    Long.parseLong(options.getOrDefault("seed", "7")));
            case "run" -> {
                io.dealflow.bench.run.BenchRunner.run(options);
                // HTTP and Kafka client threads would otherwise keep a finished run's JVM alive (and using CPU)
                System.exit(0);
            }
            case "token" -> System.out.println(io.dealflow.bench.auth.LocalTokens.sign(
                    options.getOrDefault("secret", System.getenv("AUTH_HS256_SECRET")),
                    options.getOrDefault("subject", "local-user"),
                    options.getOrDefault("scopes", io.dealflow.bench.auth.LocalTokens.ALL_SCOPES),
                    java.time.Duration.ofDays(Long.parseLong(options.getOrDefault("days", "30")))));
            default -> usage();
        }
    }

    /** {@code --name value} pairs; a flag without a value (--quick) maps to "true". */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(name, args[++i]);
            } else {
                options.put(name, "true");
            }
        }
        return options;
    }

    private static void usage() {
        System.out.println("""
                usage: java -jar bench-exec.jar demo  [--gateway URL] [--token JWT] [--deals N] [--seed S]
                       java -jar bench-exec.jar token [--secret S] [--subject SUB] [--scopes "a b"] [--days N]
                       java -jar bench-exec.jar run   [--db h2|postgres] [--deals N] [--seconds S] [--warmup S] [--move-warmup S] [--quick] [--queries-only] [--jfr] [--keep-data] [--pace N] [--root DIR]""");
    }
}
