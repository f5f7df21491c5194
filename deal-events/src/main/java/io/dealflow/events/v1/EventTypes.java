package io.dealflow.events.v1;

import java.util.Map;

/**
 * CloudEvents type names ({@code ce_type}) of the public events and the topic they travel on.
 * Type names are versioned: a breaking change gets a new {@code .v2} type, never a changed {@code .v1}.
 */
public final class EventTypes {

    public static final String TOPIC = "dealflow.deal-events";
    public static final String DEAD_LETTER_TOPIC = "dealflow.deal-events.dlt";
    public static final String SOURCE = "/dealflow/pipeline-service";
    /** CloudEvents extension attribute with the aggregate's event sequence number (0, 1, 2 …). */
    public static final String SEQUENCE_EXTENSION = "sequence";
    /**
     * CloudEvents extension attribute with the recording time: when the event store appended the event (ISO 8601).
     * {@code ce_time} is the business time, when it happened; the two differ for imported history.
     */
    public static final String RECORDED_TIME_EXTENSION = "recordedtime";
    /**
     * CloudEvents distributed-tracing extension: the W3C trace context of the request that caused the event (absent on
     * events of imports and of the system itself), so a consumer can continue the request's trace.
     */
    public static final String TRACEPARENT_EXTENSION = "traceparent";

    public static final String DEAL_CREATED = "io.dealflow.deal.created.v1";
    public static final String DEAL_UPDATED = "io.dealflow.deal.updated.v1";
    public static final String DEAL_MOVED_TO_STAGE = "io.dealflow.deal.moved-to-stage.v1";
    public static final String DEAL_WON = "io.dealflow.deal.won.v1";
    public static final String DEAL_LOST = "io.dealflow.deal.lost.v1";
    public static final String DEAL_REOPENED = "io.dealflow.deal.reopened.v1";
    public static final String DEAL_ACTIVITY_LOGGED = "io.dealflow.deal.activity-logged.v1";
    public static final String PIPELINE_DEFINED = "io.dealflow.pipeline.defined.v1";
    /** Same payload as {@link #PIPELINE_DEFINED}: the complete definition after the change. */
    public static final String PIPELINE_CHANGED = "io.dealflow.pipeline.changed.v1";

    private static final Map<String, Class<?>> TYPES = Map.of(
            DEAL_CREATED, DealCreated.class,
            DEAL_UPDATED, DealUpdated.class,
            DEAL_MOVED_TO_STAGE, DealMovedToStage.class,
            DEAL_WON, DealWon.class,
            DEAL_LOST, DealLost.class,
            DEAL_REOPENED, DealReopened.class,
            DEAL_ACTIVITY_LOGGED, DealActivityLogged.class,
            PIPELINE_DEFINED, PipelineDefined.class,
            PIPELINE_CHANGED, PipelineDefined.class);

    private EventTypes() {
    }

    /** The record class for a type name, or null for a type this version does not know. */
    public static Class<?> recordFor(String type) {
        return TYPES.get(type);
    }

    public static Map<String, Class<?>> all() {
        return TYPES;
    }

    /** Classpath location of the JSON Schema of a type, e.g. {@code io/dealflow/events/v1/schemas/io.dealflow.deal.won.v1.json}. */
    public static String schemaResource(String type) {
        return "io/dealflow/events/v1/schemas/" + type + ".json";
    }

    public static String exampleResource(String type) {
        return "io/dealflow/events/v1/examples/" + type + ".json";
    }
}
