package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/v1/deals")
class DealController {

    private static final String DEFAULT_PIPELINE = "default";

    private final CommandGateway commands;
    private final DealViews views;

    DealController(CommandGateway commands, DealViews views) {
        this.commands = commands;
        this.views = views;
    }

    @PostMapping
    ResponseEntity<DealView> create(@RequestBody DealRequests.CreateDealBody body,
                                    @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        if (body.amount() == null) {
            throw new ProblemException(Problem.INVALID_AMOUNT, "amount is required");
        }
        String dealId = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateDeal(dealId, body.pipelineId() == null ? DEFAULT_PIPELINE : body.pipelineId(),
                body.stageId(), body.title(), body.amount().toMoney(), body.ownerId(), body.source(),
                body.expectedCloseDate(), body.company(), body.contact()), Actor.metaData(actor));
        DealView view = load(dealId);
        return ResponseEntity.created(URI.create("/api/v1/deals/" + dealId)).eTag(etag(view)).body(view);
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String pipelineId,
                             @RequestParam(required = false) String stageId,
                             @RequestParam(required = false) String status,
                             @RequestParam(required = false) String ownerId,
                             @RequestParam(defaultValue = "50") int limit,
                             @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > 500) {
            throw new ProblemException(Problem.VALIDATION, "limit must be 1–500");
        }
        List<DealView> page = views.list(pipelineId, stageId, status, ownerId, limit, cursor);
        String next = page.size() == limit ? page.get(page.size() - 1).dealId() : null;
        return next == null ? Map.of("items", page) : Map.of("items", page, "nextCursor", next);
    }

    @GetMapping("/{dealId}")
    ResponseEntity<DealView> get(@PathVariable String dealId) {
        DealView view = load(dealId);
        return ResponseEntity.ok().eTag(etag(view)).body(view);
    }

    @PostMapping("/{dealId}/moves")
    ResponseEntity<DealView> move(@PathVariable String dealId, @RequestBody DealRequests.MoveBody body,
                                  @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                  @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        if (body.stageId() == null || body.stageId().isBlank()) {
            throw new ProblemException(Problem.VALIDATION, "stageId is required");
        }
        return send(dealId, new MoveDealToStage(dealId, body.stageId(), version(ifMatch)), actor);
    }

    @PostMapping("/{dealId}/win")
    ResponseEntity<DealView> win(@PathVariable String dealId,
                                 @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                 @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        return send(dealId, new WinDeal(dealId, version(ifMatch)), actor);
    }

    @PostMapping("/{dealId}/loss")
    ResponseEntity<DealView> lose(@PathVariable String dealId, @RequestBody DealRequests.LossBody body,
                                  @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                  @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        return send(dealId, new LoseDeal(dealId, body.reason(), body.note(), version(ifMatch)), actor);
    }

    private ResponseEntity<DealView> send(String dealId, Object command, String actor) {
        load(dealId);
        commands.sendAndWait(command, Actor.metaData(actor));
        DealView view = load(dealId);
        return ResponseEntity.ok().eTag(etag(view)).body(view);
    }

    private DealView load(String dealId) {
        return views.find(dealId).orElseThrow(() -> new ProblemException(Problem.DEAL_NOT_FOUND, "No deal with id " + dealId));
    }

    private static String etag(DealView view) {
        return "\"" + view.version() + "\"";
    }

    static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String value = ifMatch.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.VALIDATION, "If-Match must be an ETag returned by this API, e.g. \"3\"");
        }
    }
}
