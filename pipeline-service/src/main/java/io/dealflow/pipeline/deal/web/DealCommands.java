package io.dealflow.pipeline.deal.web;

import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.deal.query.DealView;
import io.dealflow.pipeline.deal.query.DealViewCapture;
import io.dealflow.pipeline.deal.query.DealViews;
import io.dealflow.pipeline.rules.RuleBroken;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.pipeline.write.GroupCommit;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.springframework.stereotype.Component;

/**
 * Sends a command on an existing deal and answers the deal as the command left it.
 * <p>
 * Commands are decided on the copy of the deal cached on this instance, which another instance may have changed
 * since. A stale copy that decides to append is caught by the store's (deal, sequence) key: Axon evicts it and the
 * command is decided again on the stored events. A stale copy that decides to append nothing — the command changes
 * nothing, breaks a rule or fails its If-Match on the copy — leaves no such trace, so these outcomes are decided once
 * more on the stored events before they are answered (a second, rarely taken read for answers that write nothing).
 */
@Component
class DealCommands {

    private final CommandGateway commands;
    private final DealViews views;
    private final GroupCommit writes;
    private final DealViewCapture captured;
    private final Cache dealCache;

    DealCommands(CommandGateway commands, DealViews views, GroupCommit writes, DealViewCapture captured, Cache dealCache) {
        this.commands = commands;
        this.views = views;
        this.writes = writes;
        this.captured = captured;
        this.dealCache = dealCache;
    }

    DealView send(String dealId, Object command, String actor) {
        DealViewCapture.Outcome outcome;
        try {
            outcome = decide(dealId, command, actor);
        } catch (ConcurrencyException staleCopyAppended) {
            return decideOnTheStore(dealId, command, actor);
        } catch (RuntimeException e) {
            if (!refusedByTheDeal(e)) {
                throw e;
            }
            dealCache.remove(dealId);
            return decideOnTheStore(dealId, command, actor);
        }
        if (outcome.appended()) {
            return outcome.view().orElseGet(() -> load(dealId));
        }
        dealCache.remove(dealId);
        return decideOnTheStore(dealId, command, actor);
    }

    /** After the cached copy was evicted: the store's answer is final, a refusal included. */
    private DealView decideOnTheStore(String dealId, Object command, String actor) {
        return decide(dealId, command, actor).view().orElseGet(() -> load(dealId));
    }

    private DealViewCapture.Outcome decide(String dealId, Object command, String actor) {
        MetaData metaData = Actor.metaData(actor);
        return writes.run(dealId, () -> captured.outcome(dealId, load(dealId), () -> commands.sendAndWait(command, metaData)));
    }

    private DealView load(String dealId) {
        return views.find(dealId).orElseThrow(() -> new ProblemException(Problem.DEAL_NOT_FOUND, "No deal with id " + dealId));
    }

    private static boolean refusedByTheDeal(RuntimeException e) {
        return e instanceof RuleBroken || e instanceof ConflictingAggregateVersionException
                || e instanceof CommandExecutionException && e.getCause() instanceof RuleBroken;
    }
}
