package io.dealflow.analytics.support;

import io.dealflow.events.v1.EventTypes;
import io.dealflow.kafka.LocalKafka;

/** One real KRaft broker for all tests of this JVM. */
public final class SharedKafka {

    private static LocalKafka kafka;

    private SharedKafka() {
    }

    public static synchronized LocalKafka get() {
        if (kafka == null) {
            kafka = LocalKafka.onFreePort().start();
            kafka.createTopics(6, EventTypes.TOPIC, EventTypes.DEAD_LETTER_TOPIC);
            LocalKafka started = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return kafka;
    }
}
