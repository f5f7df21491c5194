package io.dealflow.analytics.web;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dealflow.analytics.admin.AdminController;
import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.GatewayHeaders;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a request logs carries the gateway's request id and traceparent, also on the blocking executor's thread: tried
 * with a reconciliation while pipeline-service cannot be reached (a warning logged by the controller, then a 503).
 */
@MicronautTest
class RequestMdcTest extends AnalyticsTest {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = super.getProperties();
        properties.put("dealflow.pipeline-service-url", "http://127.0.0.1:9");
        return properties;
    }

    @Test
    void theRequestIdIsInTheMdcOfWhatTheRequestLogs() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AdminController.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            HttpResponse<String> response = HttpClient.newHttpClient().send(GatewayHeaders.relayed("GET",
                            URI.create("http://localhost:" + server.getPort() + "/api/v1/analytics/reconciliation"))
                    .header("X-Request-Id", "req-mdc-1").header("traceparent", traceparent).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, response.statusCode(), response.body());
            List<ILoggingEvent> warnings = List.copyOf(captured.list);
            assertTrue(!warnings.isEmpty(), "the controller logged the unreachable store");
            ILoggingEvent warning = warnings.get(0);
            assertTrue(warning.getThreadName().contains("executor"), "logged on the blocking executor: " + warning.getThreadName());
            assertEquals("req-mdc-1", warning.getMDCPropertyMap().get("requestId"));
            assertEquals(traceparent, warning.getMDCPropertyMap().get("traceparent"));
        } finally {
            logger.detachAppender(captured);
        }
    }
}
