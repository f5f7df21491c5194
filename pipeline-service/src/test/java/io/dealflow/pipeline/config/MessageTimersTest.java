package io.dealflow.pipeline.config;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageTimersTest {

    @Test
    void eachOutcomeIsTimedUnderItsOwnNameAndUnderAll() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MessageTimers timers = new MessageTimers("commandBus", registry);

        timers.onMessageIngested(GenericEventMessage.asEventMessage("a")).reportSuccess();
        timers.onMessageIngested(GenericEventMessage.asEventMessage("b")).reportSuccess();
        timers.onMessageIngested(GenericEventMessage.asEventMessage("c")).reportFailure(new IllegalStateException());
        timers.onMessageIngested(GenericEventMessage.asEventMessage("d")).reportIgnored();

        assertThat(registry.get("commandBus.allTimer").timer().count()).isEqualTo(4);
        assertThat(registry.get("commandBus.successTimer").timer().count()).isEqualTo(2);
        assertThat(registry.get("commandBus.failureTimer").timer().count()).isEqualTo(1);
        assertThat(registry.get("commandBus.ignoredTimer").timer().count()).isEqualTo(1);
    }

    @Test
    void monitorsOfOneNameShareTheirTimers() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new MessageTimers("kafka-publisher", registry).onMessageIngested(GenericEventMessage.asEventMessage("a")).reportSuccess();
        new MessageTimers("kafka-publisher", registry).onMessageIngested(GenericEventMessage.asEventMessage("b")).reportSuccess();

        assertThat(registry.get("kafka-publisher.successTimer").timers()).hasSize(1);
        assertThat(registry.get("kafka-publisher.successTimer").timer().count()).isEqualTo(2);
    }
}
