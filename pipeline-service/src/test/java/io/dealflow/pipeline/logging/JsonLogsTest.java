package io.dealflow.pipeline.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOG_FORMAT=json turns the service's log into one JSON object per line with the request id from the MDC; without
 * it the log stays text. Tried with the service's own application.yml, on a context that only sets up logging.
 */
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsTest {

    @Configuration
    static class LoggingOnly {
    }

    @Test
    void logFormatJsonWritesOneJsonObjectPerLineWithTheRequestId(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext ignored = start("LOG_FORMAT=json")) {
            logWithRequestId("json-line");
        }
        String line = output.getOut().lines().filter(l -> l.contains("json-line")).findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("json-line", json.get("message").asText());
        assertEquals("req-42", json.get("requestId").asText());
        assertEquals("INFO", field(json, "log", "level"));
        assertEquals("pipeline-service", field(json, "service", "name"));
    }

    @Test
    void withoutItTheLogIsText(CapturedOutput output) {
        try (ConfigurableApplicationContext ignored = start()) {
            logWithRequestId("text-line");
        }
        String line = output.getOut().lines().filter(l -> l.contains("text-line")).findFirst().orElseThrow();
        assertFalse(line.startsWith("{"), line);
        assertTrue(line.contains("req=req-42"), line);
    }

    /** ECS fields are dotted names or nested objects, depending on the formatter's version. */
    private static String field(JsonNode json, String parent, String child) {
        JsonNode flat = json.get(parent + "." + child);
        return flat != null ? flat.asText() : json.path(parent).path(child).asText(null);
    }

    /** Leaves the log as every other test of this JVM expects it: configured from application.yml alone. */
    @AfterAll
    static void restoreTheUsualLogging() {
        start().close();
    }

    /**
     * A closed context leaves its logging configured, and the console's structured format as a system property (one
     * process, one configuration); each start here configures it afresh.
     */
    private static ConfigurableApplicationContext start(String... properties) {
        LoggingSystem.get(JsonLogsTest.class.getClassLoader()).cleanUp();
        System.clearProperty(LoggingSystemProperty.CONSOLE_STRUCTURED_FORMAT.getEnvironmentVariableName());
        return new SpringApplicationBuilder(LoggingOnly.class).web(WebApplicationType.NONE).properties(properties).run();
    }

    private static void logWithRequestId(String message) {
        MDC.put("requestId", "req-42");
        try {
            LoggerFactory.getLogger(JsonLogsTest.class).info(message);
        } finally {
            MDC.remove("requestId");
        }
    }
}
