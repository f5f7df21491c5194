package io.dealflow.pipeline.deal.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dealflow.pipeline.access.RequiresScope;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.config.TimeOrderedIdentifierFactory;
import io.dealflow.pipeline.deal.ActivityKind;
import io.dealflow.pipeline.deal.CreateDeal;
import io.dealflow.pipeline.deal.DealFields;
import io.dealflow.pipeline.deal.LogActivity;
import io.dealflow.pipeline.deal.LoseDeal;
import io.dealflow.pipeline.deal.Money;
import io.dealflow.pipeline.deal.MoveDealToStage;
import io.dealflow.pipeline.deal.ReopenDeal;
import io.dealflow.pipeline.deal.UpdateDeal;
import io.dealflow.pipeline.deal.WinDeal;
import io.dealflow.pipeline.deal.query.DealHistory;
import io.dealflow.pipeline.deal.query.DealSearch;
import io.dealflow.pipeline.deal.query.DealView;
import io.dealflow.pipeline.deal.query.DealViewCapture;
import io.dealflow.pipeline.deal.query.DealViews;
import io.dealflow.pipeline.web.CleanText;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.pipeline.write.GroupCommit;
import io.dealflow.trust.Scope;
import io.swagger.v3.oas.annotations.Operation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

@RestController
@RequestMapping("/api/v1/deals")
class DealController {

    private static final String DEFAULT_PIPELINE = "default";
    private static final Set<String> PATCHABLE = Set.of("title", "amount", "ownerId", "source", "expectedCloseDate", "company", "contact");

    private final CommandGateway commands;
    private final DealViews views;
    private final DealSearch search;
    private final DealHistory history;
    private final DealCreation creation;
    private final IdempotencyKeys keys;
    private final ObjectMapper json;
    private final GroupCommit writes;
    private final DealViewCapture captured;
    private final DealCommands dealCommands;

    DealController(CommandGateway commands, DealViews views, DealSearch search, DealHistory history,
                   DealCreation creation, IdempotencyKeys keys, ObjectMapper json, GroupCommit writes,
                   DealViewCapture captured, DealCommands dealCommands) {
        this.writes = writes;
        this.captured = captured;
        this.dealCommands = dealCommands;
        this.commands = commands;
        this.views = views;
        this.search = search;
        this.history = history;
        this.creation = creation;
        this.keys = keys;
        this.json = json;
    }

    @RequiresScope(Scope.DEALS_WRITE)
    @Operation(summary = "Create a deal")
    @PostMapping
    ResponseEntity<DealView> create(@RequestBody DealRequests.CreateDealBody body,
                                    @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                    @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        if (body.amount() == null) {
            throw new ProblemException(Problem.INVALID_AMOUNT, "amount is required");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new ProblemException(Problem.VALIDATION, "Idempotency-Key must be 1–200 characters");
        }
        Money amount = body.amount().toMoney();
        String requestHash = idempotencyKey == null ? null : IdempotencyKeys.hash(canonical(body, amount));
        if (idempotencyKey != null) {
            Optional<ResponseEntity<DealView>> replay = replay(actor, idempotencyKey, requestHash);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        String dealId = TimeOrderedIdentifierFactory.next().toString();
        CreateDeal command = new CreateDeal(dealId, body.pipelineId() == null ? DEFAULT_PIPELINE : body.pipelineId(),
                body.stageId(), body.title(), amount, body.ownerId(), body.source(),
                body.expectedCloseDate(), body.company(), body.contact());
        DealView view;
        try {
            // made here, on the request's thread: the writer thread has no request (and no trace context) of its own
            MetaData metaData = Actor.metaData(actor);
            // one writer per client and key, so a retry racing its original finds the key taken in the same transaction
            view = writes.run(idempotencyKey == null ? dealId : actor + "\n" + idempotencyKey, () -> captured
                    .during(dealId, null, () -> creation.create(command, metaData, actor, idempotencyKey, requestHash))
                    .orElseGet(() -> load(dealId)));
        } catch (DealCreation.KeyTaken taken) {
            return replay(actor, idempotencyKey, requestHash).orElseThrow();
        }
        return ResponseEntity.created(URI.create("/api/v1/deals/" + dealId)).eTag(etag(view)).body(view);
    }

    private Optional<ResponseEntity<DealView>> replay(String subject, String key, String requestHash) {
        return keys.find(subject, key).map(claim -> {
            if (!claim.requestHash().equals(requestHash)) {
                throw new ProblemException(Problem.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used with a different request; use a new key for a new deal");
            }
            DealView view = load(claim.dealId());
            return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/deals/" + view.dealId()))
                    .eTag(etag(view)).header("Idempotent-Replayed", "true").body(view);
        });
    }

    /** The body as compared for a retry: equal amounts are equal however written ("10.0" and "10.00"). */
    private String canonical(DealRequests.CreateDealBody body, Money amount) {
        try {
            ObjectNode tree = json.valueToTree(body);
            tree.putObject("amount").put("value", amount.value().toPlainString()).put("currency", amount.currency());
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @RequiresScope(Scope.DEALS_READ)
    @Operation(summary = "Find deals (filtered, sorted, cursor-paginated)")
    @GetMapping
    DealSearch.Page list(@RequestParam(required = false) String pipelineId,
                         @RequestParam(required = false) String stageId,
                         @RequestParam(required = false) String status,
                         @RequestParam(required = false) String ownerId,
                         @RequestParam(required = false) String source,
                         @RequestParam(required = false) BigDecimal minAmount,
                         @RequestParam(required = false) BigDecimal maxAmount,
                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate closeFrom,
                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate closeTo,
                         @RequestParam(required = false) String sort,
                         @RequestParam(required = false) String order,
                         @RequestParam(defaultValue = "50") int limit,
                         @RequestParam(required = false) String cursor) {
        return search.search(new DealSearch.Criteria(pipelineId, stageId, status, ownerId, source, minAmount, maxAmount,
                closeFrom, closeTo, sort, order, limit, cursor));
    }

    @RequiresScope(Scope.DEALS_READ)
    @Operation(summary = "One deal; its version is the ETag")
    @GetMapping("/{dealId}")
    ResponseEntity<DealView> get(@PathVariable String dealId) {
        DealView view = load(dealId);
        return ResponseEntity.ok().eTag(etag(view)).body(view);
    }

    @RequiresScope(Scope.DEALS_READ)
    @Operation(summary = "A deal's history: every event, oldest first")
    @GetMapping("/{dealId}/history")
    Map<String, List<DealHistory.Entry>> history(@PathVariable String dealId) {
        load(dealId);
        return Map.of("events", history.of(dealId));
    }

    @RequiresScope(Scope.DEALS_WRITE)
    @Operation(summary = "Change a deal's fields")
    @PatchMapping(path = "/{dealId}", consumes = {"application/json", "application/merge-patch+json"})
    ResponseEntity<DealView> update(@PathVariable String dealId, @RequestBody JsonNode body,
                                    @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                    @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        if (!(body instanceof ObjectNode patch) || patch.isEmpty()) {
            throw new ProblemException(Problem.VALIDATION, "the body must be a JSON object with the fields to change");
        }
        Set<String> fields = new HashSet<>();
        Iterator<String> names = patch.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!PATCHABLE.contains(name)) {
                throw new ProblemException(Problem.VALIDATION, "'" + name + "' cannot be changed here; changeable: " + PATCHABLE);
            }
            fields.add(name);
        }
        DealFields values = new DealFields(text(patch, "title"), money(patch), text(patch, "ownerId"), text(patch, "source"),
                date(patch), text(patch, "company"), text(patch, "contact"));
        return send(dealId, new UpdateDeal(dealId, fields, values, version(ifMatch)), actor);
    }

    @RequiresScope(Scope.DEALS_WRITE)
    @Operation(summary = "Move a deal to another stage")
    @PostMapping("/{dealId}/moves")
    ResponseEntity<DealView> move(@PathVariable String dealId, @RequestBody DealRequests.MoveBody body,
                                  @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                  @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        if (body.stageId() == null || body.stageId().isBlank()) {
            throw new ProblemException(Problem.VALIDATION, "stageId is required");
        }
        return send(dealId, new MoveDealToStage(dealId, body.stageId(), version(ifMatch)), actor);
    }

    @RequiresScope(Scope.DEALS_WRITE)
    @Operation(summary = "Close a deal as won")
    @PostMapping("/{dealId}/win")
    ResponseEntity<DealView> win(@PathVariable String dealId,
                                 @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                 @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        return send(dealId, new WinDeal(dealId, version(ifMatch)), actor);
    }

    @RequiresScope(Scope.DEALS_WRITE)
    @Operation(summary = "Close a deal as lost, with a reason")
    @PostMapping("/{dealId}/loss")
    ResponseEntity<DealView> lose(@PathVariable String dealId, @RequestBody DealRequests.LossBody body,
                                  @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                  @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        return send(dealId, new LoseDeal(dealId, body.reason(), body.note(), version(ifMatch)), actor);
    }

    @RequiresScope(Scope.DEALS_WRITE)
    @Operation(summary = "Reopen a closed deal into a stage")
    @PostMapping("/{dealId}/reopen")
    ResponseEntity<DealView> reopen(@PathVariable String dealId, @RequestBody(required = false) DealRequests.ReopenBody body,
                                    @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                    @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        return send(dealId, new ReopenDeal(dealId, body == null ? null : body.stageId(), version(ifMatch)), actor);
    }

    @RequiresScope(Scope.DEALS_WRITE)
    @Operation(summary = "Log a call, meeting, email or note")
    @PostMapping("/{dealId}/activities")
    ResponseEntity<DealView> logActivity(@PathVariable String dealId, @RequestBody DealRequests.ActivityBody body,
                                         @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        ActivityKind kind;
        try {
            kind = body.kind() == null ? null : ActivityKind.valueOf(body.kind());
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind == null) {
            throw new ProblemException(Problem.VALIDATION, "kind must be one of CALL, MEETING, EMAIL, NOTE");
        }
        ResponseEntity<DealView> response = send(dealId, new LogActivity(dealId, UUID.randomUUID().toString(), kind, body.note()), actor);
        return ResponseEntity.status(HttpStatus.CREATED).headers(response.getHeaders()).body(response.getBody());
    }

    private ResponseEntity<DealView> send(String dealId, Object command, String actor) {
        DealView view = dealCommands.send(dealId, command, actor);
        return ResponseEntity.ok().eTag(etag(view)).body(view);
    }

    private DealView load(String dealId) {
        return views.find(dealId).orElseThrow(() -> new ProblemException(Problem.DEAL_NOT_FOUND, "No deal with id " + dealId));
    }

    private static String etag(DealView view) {
        return "\"" + view.version() + "\"";
    }

    private static String text(ObjectNode patch, String field) {
        JsonNode node = patch.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ProblemException(Problem.VALIDATION, field + " must be a string");
        }
        return CleanText.require(field, node.asText());
    }

    private static Money money(ObjectNode patch) {
        JsonNode node = patch.get("amount");
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode value = node.get("value");
        JsonNode currency = node.get("currency");
        if (!node.isObject() || value == null || currency == null || !currency.isTextual() || !(value.isTextual() || value.isNumber())) {
            throw new ProblemException(Problem.INVALID_AMOUNT, "amount must be {\"value\": \"1200.00\", \"currency\": \"EUR\"}");
        }
        try {
            BigDecimal amount = value.isNumber() ? value.decimalValue() : new BigDecimal(CleanText.require("amount", value.asText()));
            return Money.of(amount, CleanText.require("currency", currency.asText()));
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.INVALID_AMOUNT, "amount value must be a decimal number");
        }
    }

    private static LocalDate date(ObjectNode patch) {
        String text = text(patch, "expectedCloseDate");
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ProblemException(Problem.VALIDATION, "expectedCloseDate must be an ISO date, e.g. 2027-01-31");
        }
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
