package io.dealflow.gateway.health;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Map;

/**
 * Whether the services the gateway routes to answer their own health checks: part of {@code /actuator/health}, not of
 * readiness (a gateway stays in its load balancer and answers 503 problems for a service that is down).
 */
@Component("downstreams")
class DownstreamHealth implements ReactiveHealthIndicator {

    private final WebClient http = WebClient.create();
    private final Map<String, String> checks;

    DownstreamHealth(@Value("${dealflow.pipeline-service-url}") String pipeline,
                     @Value("${dealflow.analytics-service-url}") String analytics) {
        this.checks = Map.of("pipeline-service", pipeline + "/actuator/health/readiness",
                "funnel-analytics-service", analytics + "/health");
    }

    @Override
    public Mono<Health> health() {
        return reactor.core.publisher.Flux.fromIterable(checks.entrySet())
                .flatMap(check -> http.get().uri(check.getValue()).retrieve().toBodilessEntity()
                        .map(r -> Map.entry(check.getKey(), "UP"))
                        .timeout(Duration.ofSeconds(2))
                        .onErrorResume(e -> Mono.just(Map.entry(check.getKey(), "DOWN"))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(states -> (states.containsValue("DOWN") ? Health.down() : Health.up()).withDetails(states).build());
    }
}
