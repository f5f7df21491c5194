package io.dealflow.pipeline.deal.web;

import io.dealflow.pipeline.deal.CreateDeal;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Creates a deal and claims its Idempotency-Key in one transaction: either both are stored or neither. */
@Component
class DealCreation {

    static class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }

    private final CommandGateway commands;
    private final IdempotencyKeys keys;

    DealCreation(CommandGateway commands, IdempotencyKeys keys) {
        this.commands = commands;
        this.keys = keys;
    }

    @Transactional
    public void create(CreateDeal command, MetaData metaData, String subject, String idempotencyKey, String requestHash) {
        if (idempotencyKey != null && !keys.claim(subject, idempotencyKey, requestHash, command.dealId())) {
            throw new KeyTaken();
        }
        commands.sendAndWait(command, metaData);
    }
}
