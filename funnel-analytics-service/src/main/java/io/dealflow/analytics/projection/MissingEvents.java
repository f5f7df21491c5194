package io.dealflow.analytics.projection;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.trust.IdentitySignature;
import io.dealflow.trust.Scope;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When an event waits too long for an earlier one of its deal (the earlier one was lost on the way), the deal's events
 * are fetched from the source of truth, pipeline-service's store, and applied in order; nothing is guessed.
 */
@Singleton
public class MissingEvents {

    private static final Logger log = LoggerFactory.getLogger(MissingEvents.class);
    /** Who this service is when it asks pipeline-service, over the same signed channel as the gateway. */
    private static final String SUBJECT = "funnel-analytics-service";
    private static final int DEALS_PER_ROUND = 100;

    private final DataSource dataSource;
    private final FunnelProjection projection;
    private final IdentitySignature signature;
    private final String pipelineServiceUrl;
    private final Duration waitBeforeFetch;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public MissingEvents(DataSource dataSource, FunnelProjection projection, IdentitySignature signature,
                         @Value("${dealflow.pipeline-service-url}") String pipelineServiceUrl,
                         @Value("${dealflow.missing-events.wait:30s}") Duration waitBeforeFetch) {
        this.dataSource = dataSource;
        this.projection = projection;
        this.signature = signature;
        this.pipelineServiceUrl = pipelineServiceUrl;
        this.waitBeforeFetch = waitBeforeFetch;
    }

    @Scheduled(fixedDelay = "${dealflow.missing-events.check-every:10s}", initialDelay = "${dealflow.missing-events.check-every:10s}")
    void fetchOverdue() {
        List<String> deals;
        try {
            deals = overdue(Instant.now().minus(waitBeforeFetch));
        } catch (SQLException e) {
            log.warn("Could not read the waiting events: {}", e.toString());
            return;
        }
        for (String dealId : deals) {
            try {
                fetch(dealId);
            } catch (IOException | SQLException | RuntimeException e) {
                log.warn("Could not fetch the missing events of deal {} from pipeline-service: {}", dealId, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Fetches the deal's events after the last one applied and applies them in order; how many were fetched. */
    public int fetch(String dealId) throws IOException, InterruptedException, SQLException {
        long from = lastApplied(dealId) + 1;
        String path = "/api/v1/admin/deals/" + URLEncoder.encode(dealId, StandardCharsets.UTF_8).replace("+", "%20") + "/events";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(pipelineServiceUrl + path + "?fromSequence=" + from))
                .header(IdentitySignature.SUBJECT_HEADER, SUBJECT)
                .header(IdentitySignature.SCOPES_HEADER, Scope.ADMIN.value())
                .header(IdentitySignature.SIGNATURE_HEADER, signature.sign("GET", path, SUBJECT, Scope.ADMIN.value()))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("pipeline-service answered " + response.statusCode() + " for the events of deal " + dealId);
        }
        List<FunnelProjection.Delivery> deliveries = new ArrayList<>();
        for (JsonNode event : json.readTree(response.body()).get("events")) {
            String type = event.get("type").asText();
            Class<?> record = EventTypes.recordFor(type);
            if (record == null) {
                continue;
            }
            deliveries.add(new FunnelProjection.Delivery(FunnelProjection.FROM_STORE, -1, new DecodedEvent.Known(type, dealId,
                    event.get("sequence").asLong(), Instant.parse(event.get("recordedAt").asText()),
                    json.treeToValue(event.get("data"), record))));
        }
        if (!deliveries.isEmpty()) {
            projection.apply(deliveries);
            log.info("Deal {}: {} events fetched from pipeline-service's store after one went missing", dealId, deliveries.size());
        }
        return deliveries.size();
    }

    private List<String> overdue(Instant parkedBefore) throws SQLException {
        List<String> deals = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select distinct deal_id from pending_event where parked_at < ? fetch first "
                     + DEALS_PER_ROUND + " rows only")) {
            s.setTimestamp(1, Timestamp.from(parkedBefore));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    deals.add(rs.getString(1));
                }
            }
        }
        return deals;
    }

    private long lastApplied(String dealId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select last_seq from deal where deal_id = ?")) {
            s.setString(1, dealId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
