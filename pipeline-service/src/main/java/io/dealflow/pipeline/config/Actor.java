package io.dealflow.pipeline.config;

import io.dealflow.pipeline.tracing.RequestTrace;
import org.axonframework.messaging.MetaData;

/**
 * Who caused a change. The gateway sets {@link #SUBJECT_HEADER} from the verified token (and strips it
 * from incoming requests), so the value can be trusted inside the network.
 */
public final class Actor {

    public static final String SUBJECT_HEADER = "X-DealFlow-Subject";
    public static final String METADATA_KEY = "actor";
    public static final String ANONYMOUS = "anonymous";
    public static final String SYSTEM = "system";

    private Actor() {
    }

    /** A command's metadata: who sends it and, inside a request, the request's trace context ({@link RequestTrace}). */
    public static MetaData metaData(String subject) {
        return RequestTrace.with(MetaData.with(METADATA_KEY, subject == null || subject.isBlank() ? ANONYMOUS : subject));
    }

    public static String from(MetaData metaData) {
        Object actor = metaData.get(METADATA_KEY);
        return actor == null ? SYSTEM : actor.toString();
    }
}
