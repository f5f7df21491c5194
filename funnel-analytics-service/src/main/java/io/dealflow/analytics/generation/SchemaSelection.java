package io.dealflow.analytics.generation;

import jakarta.inject.Singleton;

/**
 * Which database schema holds the read model a connection should see: the active generation, or — on the thread that
 * fills a new generation — that one. Null means the connection's default schema (the first generation).
 */
@Singleton
public class SchemaSelection {

    private final ThreadLocal<String> building = new ThreadLocal<>();
    private volatile String active;
    private volatile String control;

    /** The schema for a connection handed out on this thread now. */
    public String target() {
        String b = building.get();
        return b != null ? b : active;
    }

    public String active() {
        return active;
    }

    void activate(String schema) {
        active = schema;
    }

    /** Runs {@code work} on this thread against {@code schema} instead of the active generation. */
    void building(String schema, Runnable work) {
        building.set(schema);
        try {
            work.run();
        } finally {
            building.remove();
        }
    }

    /** The connections' default schema: where Flyway's history, the rebuild lease and the generation pointer live. */
    String control() {
        return control;
    }

    void control(String schema) {
        if (control == null) {
            control = schema;
        }
    }
}
