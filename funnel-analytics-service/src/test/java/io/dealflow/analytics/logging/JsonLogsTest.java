package io.dealflow.analytics.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * LOG_FORMAT=json turns the service's log (its own logback.xml) into one JSON object per line, MDC included;
 * without it the log stays text.
 */
class JsonLogsTest {

    private final PrintStream console = System.out;

    @AfterEach
    void restore() throws Exception {
        System.setOut(console);
        System.clearProperty("LOG_FORMAT");
        configure();
    }

    @Test
    void logFormatJsonWritesOneJsonObjectPerLine() throws Exception {
        System.setProperty("LOG_FORMAT", "json");
        String line = logged("json-line");
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("json-line", json.get("message").asText());
        assertEquals("INFO", json.get("level").asText());
        assertEquals("req-42", json.get("mdc").get("requestId").asText());
    }

    @Test
    void withoutItTheLogIsText() throws Exception {
        String line = logged("text-line");
        assertFalse(line.startsWith("{"), line);
    }

    private String logged(String message) throws Exception {
        configure();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        MDC.put("requestId", "req-42");
        try {
            LoggerFactory.getLogger(JsonLogsTest.class).info(message);
        } finally {
            MDC.remove("requestId");
            System.setOut(console);
        }
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(message)).findFirst().orElseThrow();
    }

    private static void configure() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(JsonLogsTest.class.getResource("/logback.xml"));
    }
}
