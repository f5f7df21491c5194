package io.dealflow.pipeline.admin;

import io.swagger.v3.oas.annotations.Operation;

import io.dealflow.pipeline.access.RequiresScope;
import io.dealflow.pipeline.publishing.DealEventPublisher;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.trust.Scope;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Re-publishes the whole event store to Kafka: the publisher's tokens go back to the start. Every event goes
 * out again with its original ce_id and sequence, so consumers recognise and ignore what they already applied.
 * Behind the gateway's admin scope.
 */
@RestController
class RepublishController {

    private final EventProcessingConfiguration processing;

    RepublishController(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Publish every stored event to Kafka again, from the start of the store")
    @PostMapping("/api/v1/admin/republish")
    ResponseEntity<Map<String, Object>> republish() {
        StreamingEventProcessor publisher = processing.eventProcessor(DealEventPublisher.GROUP, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no publishing processor"));
        publisher.shutdownAsync().join();
        try {
            publisher.resetTokens();
        } catch (RuntimeException e) {
            // whatever failed, the publisher goes on from where it was: events written meanwhile must still go out
            publisher.start();
            throw new ProblemException(Problem.PUBLISHER_NOT_RESET, "The publisher could not go back to the start ("
                    + e.getClass().getSimpleName() + "); it goes on publishing from where it was. Try again later.");
        }
        publisher.start();
        return ResponseEntity.accepted().body(Map.of("processor", DealEventPublisher.GROUP, "status", "re-publishing from the start of the store"));
    }
}
