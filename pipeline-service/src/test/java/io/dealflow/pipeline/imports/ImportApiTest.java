package io.dealflow.pipeline.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.kafka.LocalKafka;
import io.dealflow.pipeline.support.Api.Reply;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.pipeline.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bulk import of history: business time kept, every line checked, refusals reported, idempotent, cancellable. */
class ImportApiTest extends IntegrationTest {

    static final String NDJSON = "application/x-ndjson";

    @LocalServerPort
    int port;
    @Value("${dealflow.topic}")
    String topic;

    private Api api() {
        return new Api(port);
    }

    private Reply post(String key, String query, String contentType, String body) throws Exception {
        return api().call("POST", "/api/v1/imports" + query, body, "Content-Type", contentType, "Idempotency-Key", key);
    }

    private JsonNode awaitFinished(String importId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = api().get("/api/v1/imports/" + importId).body();
            String status = job.get("status").asText();
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status)) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("import " + importId + " did not finish");
    }

    private List<JsonNode> dealsFrom(String source) throws Exception {
        List<JsonNode> deals = new ArrayList<>();
        api().get("/api/v1/deals?source=" + source + "&limit=200").body().get("items").forEach(deals::add);
        return deals;
    }

    private static String line(String externalId, String source, String createdAt, String history) {
        return "{\"externalId\": \"" + externalId + "\", \"title\": \"Imported " + externalId + "\", "
                + "\"amount\": {\"value\": \"1200.00\", \"currency\": \"EUR\"}, \"ownerId\": \"owner-1\", \"source\": \"" + source + "\", "
                + "\"createdAt\": \"" + createdAt + "\", \"history\": [" + history.replace("\n", " ") + "]}";
    }

    @Test
    void aHistoryKeepsItsOwnTimeAndEveryRefusedLineIsNamed() throws Exception {
        String source = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        String lost = line("A-1", source, "2026-01-05T09:00:00Z", """
                {"type": "moved", "at": "2026-01-09T10:00:00Z", "stageId": "qualified"},
                {"type": "updated", "at": "2026-01-10T10:00:00Z", "amount": {"value": "1500.00", "currency": "EUR"}, "expectedCloseDate": "2026-03-31"},
                {"type": "activity", "at": "2026-01-11T10:00:00Z", "kind": "CALL", "note": "first call"},
                {"type": "moved", "at": "2026-01-20T10:00:00Z", "stageId": "demo"},
                {"type": "lost", "at": "2026-02-01T12:00:00Z", "reason": "Price", "note": "too dear"}""");
        String won = line("A-2", source, "2026-01-06T09:00:00Z", """
                {"type": "moved", "at": "2026-01-07T09:00:00Z", "stageId": "negotiation"},
                {"type": "won", "at": "2026-01-30T16:30:00Z"}""");
        String open = line("A-3", source, "2026-02-10T08:00:00Z", "");
        List<String> lines = List.of(
                lost,                                                                   // 1 ok
                "{not json",                                                            // 2 malformed
                line("A-4", source, "2026-01-05T09:00:00Z",
                        "{\"type\": \"moved\", \"at\": \"2026-01-06T00:00:00Z\", \"stageId\": \"space\"}"),       // 3 unknown stage
                line("A-5", source, "2026-01-05T09:00:00Z",
                        "{\"type\": \"lost\", \"at\": \"2026-01-06T00:00:00Z\", \"reason\": \"Weather\"}"),      // 4 reason not in catalogue
                line("A-6", source, "2026-01-05T09:00:00Z",
                        "{\"type\": \"moved\", \"at\": \"2026-01-01T00:00:00Z\", \"stageId\": \"demo\"}"),        // 5 before creation
                line("A-7", source, "2999-01-05T09:00:00Z", ""),                       // 6 in the future
                won,                                                                    // 7 ok
                line("A-1", source, "2026-01-05T09:00:00Z", ""),                       // 8 duplicate externalId
                line("A-8", source, "2026-01-05T09:00:00Z",
                        "{\"type\": \"won\", \"at\": \"2026-01-06T00:00:00Z\"}, {\"type\": \"won\", \"at\": \"2026-01-07T00:00:00Z\"}"), // 9 won twice
                line("A-9", source, "2026-01-05T09:00:00Z", "{\"type\": \"teleported\", \"at\": \"2026-01-06T00:00:00Z\"}"),   // 10 unknown step
                "{\"externalId\": \"A-10\", \"title\": \"x\", \"createdAt\": \"2026-01-05T09:00:00Z\", \"colour\": \"red\"}",  // 11 unknown field
                "",                                                                     // 12 blank: skipped
                open);                                                                  // 13 ok
        Reply accepted = post("import-" + source, "?mode=skip-invalid", NDJSON, String.join("\n", lines) + "\n");
        assertEquals(202, accepted.status(), String.valueOf(accepted.body()));
        String importId = accepted.body().get("importId").asText();
        assertEquals("/api/v1/imports/" + importId, accepted.location());

        JsonNode job = awaitFinished(importId);
        assertEquals("SUCCEEDED", job.get("status").asText(), job.toString());
        JsonNode progress = job.get("progress");
        assertEquals(12, progress.get("linesRead").asLong(), "the blank line is not a deal");
        assertEquals(3, progress.get("dealsWritten").asLong());
        assertEquals(6 + 3 + 1, progress.get("eventsWritten").asLong());
        assertEquals(9, progress.get("rejectedLines").asLong());
        List<Long> refusedLines = new ArrayList<>();
        job.get("rejections").forEach(r -> refusedLines.add(r.get("line").asLong()));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 8L, 9L, 10L, 11L), refusedLines);
        String reasons = job.get("rejections").toString();
        assertTrue(reasons.contains("space"), reasons);
        assertTrue(reasons.contains("Weather"), reasons);
        assertTrue(reasons.contains("lies before"), reasons);
        assertTrue(reasons.contains("future"), reasons);
        assertTrue(reasons.contains("also on line 1"), reasons);
        assertTrue(reasons.contains("history[1]") && reasons.contains("won"), reasons);
        assertTrue(reasons.contains("teleported"), reasons);
        assertTrue(reasons.contains("colour"), reasons);

        List<JsonNode> deals = dealsFrom(source);
        assertEquals(3, deals.size());
        JsonNode lostDeal = deals.stream().filter(d -> d.get("title").asText().equals("Imported A-1")).findFirst().orElseThrow();
        assertEquals("LOST", lostDeal.get("status").asText());
        assertEquals("demo", lostDeal.get("stageId").asText());
        assertEquals("1500.00", lostDeal.get("amount").get("value").asText());
        assertEquals("2026-03-31", lostDeal.get("expectedCloseDate").asText());
        assertEquals(Instant.parse("2026-01-05T09:00:00Z"), Instant.parse(lostDeal.get("createdAt").asText()));
        assertEquals(Instant.parse("2026-01-20T10:00:00Z"), Instant.parse(lostDeal.get("stageEnteredAt").asText()));
        assertEquals(Instant.parse("2026-01-11T10:00:00Z"), Instant.parse(lostDeal.get("lastActivityAt").asText()));
        assertEquals(Instant.parse("2026-02-01T12:00:00Z"), Instant.parse(lostDeal.get("closedAt").asText()));
        assertEquals("Price", lostDeal.get("lostReason").asText());
        assertEquals(5, lostDeal.get("version").asLong());

        JsonNode history = api().get("/api/v1/deals/" + lostDeal.get("dealId").asText() + "/history").body();
        JsonNode entries = history.get("events");
        assertEquals(6, entries.size());
        assertEquals(Instant.parse("2026-01-09T10:00:00Z"), Instant.parse(entries.get(1).get("time").asText()));
        assertEquals("tester", entries.get(1).get("actor").asText());
        assertTrue(Instant.parse(entries.get(1).get("recordedAt").asText()).isAfter(Instant.parse("2026-06-01T00:00:00Z")),
                "recorded now, not in January");

        // a deal imported closed can be reopened and moved live, like any other
        String wonId = deals.stream().filter(d -> d.get("title").asText().equals("Imported A-2")).findFirst().orElseThrow()
                .get("dealId").asText();
        assertEquals(200, api().post("/api/v1/deals/" + wonId + "/reopen", "{}").status());
        assertEquals(200, api().post("/api/v1/deals/" + wonId + "/moves", "{\"stageId\": \"proposal\"}").status());

        try (TopicReader reader = new TopicReader(LocalKafka.shared().bootstrapServers(), topic)) {
            String dealId = lostDeal.get("dealId").asText();
            List<ConsumerRecord<String, byte[]>> records = reader.readUntil(
                    all -> all.stream().filter(r -> dealId.equals(r.key())).count() >= 6, Duration.ofSeconds(30))
                    .stream().filter(r -> dealId.equals(r.key())).toList();
            assertEquals(6, records.size());
            for (int seq = 0; seq < 6; seq++) {
                assertEquals(String.valueOf(seq), TopicReader.header(records.get(seq), "ce_" + EventTypes.SEQUENCE_EXTENSION));
            }
            assertEquals(Instant.parse("2026-01-05T09:00:00Z"), Instant.parse(TopicReader.header(records.get(0), "ce_time")));
            assertEquals(Instant.parse("2026-02-01T12:00:00Z"), Instant.parse(TopicReader.header(records.get(5), "ce_time")));
            Instant recorded = Instant.parse(TopicReader.header(records.get(5), "ce_" + EventTypes.RECORDED_TIME_EXTENSION));
            assertTrue(recorded.isAfter(Instant.now().minus(Duration.ofMinutes(5))), "recording time is when it was stored");
        }
    }

    @Test
    void allOrNothingWritesNothingWhenOneLineIsRefusedAndPostingAgainChangesNothing() throws Exception {
        String source = "aon-" + UUID.randomUUID().toString().substring(0, 8);
        String good = line("B-1", source, "2026-01-05T09:00:00Z", "{\"type\": \"won\", \"at\": \"2026-01-06T00:00:00Z\"}");
        String bad = line("B-2", source, "2026-01-05T09:00:00Z", "{\"type\": \"moved\", \"at\": \"2026-01-06T00:00:00Z\"}");
        Reply refused = post("aon-bad-" + source, "", NDJSON, good + "\n" + bad + "\n");
        assertEquals(202, refused.status());
        JsonNode failed = awaitFinished(refused.body().get("importId").asText());
        assertEquals("FAILED", failed.get("status").asText());
        assertEquals(1, failed.get("progress").get("rejectedLines").asLong());
        assertEquals(2, failed.get("rejections").get(0).get("line").asLong());
        assertTrue(failed.get("rejections").get(0).get("reason").asText().contains("stageId"));
        assertTrue(failed.get("failure").asText().contains("nothing written"));
        assertEquals(0, dealsFrom(source).size(), "all-or-nothing: the good line was not written either");

        String key = "aon-good-" + source;
        String file = good + "\n" + line("B-3", source, "2026-01-08T09:00:00Z", "") + "\n";
        Reply first = post(key, "?mode=all-or-nothing", NDJSON, file);
        JsonNode done = awaitFinished(first.body().get("importId").asText());
        assertEquals("SUCCEEDED", done.get("status").asText(), done.toString());
        assertEquals(2, dealsFrom(source).size());

        Reply again = post(key, "?mode=all-or-nothing", NDJSON, file);
        assertEquals(200, again.status(), "the same import id names the same import");
        assertEquals(first.body().get("importId"), again.body().get("importId"));
        assertEquals(2, dealsFrom(source).size(), "posting the same import again writes nothing");
    }

    @Test
    void aRefusedImportCanBePostedAgainFixedAndGoesOnWhereItStopped() throws Exception {
        String source = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "resume-" + source;
        String a = line("C-1", source, "2026-01-05T09:00:00Z", "");
        String broken = line("C-2", source, "2026-01-05T09:00:00Z", "{\"type\": \"won\"}");
        JsonNode failed = awaitFinished(post(key, "", NDJSON, a + "\n" + broken + "\n").body().get("importId").asText());
        assertEquals("FAILED", failed.get("status").asText());
        String fixed = line("C-2", source, "2026-01-05T09:00:00Z", "{\"type\": \"won\", \"at\": \"2026-01-09T00:00:00Z\"}");
        Reply retry = post(key, "", NDJSON, a + "\n" + fixed + "\n");
        assertEquals(202, retry.status(), "a failed import runs again under the same id");
        assertEquals(failed.get("importId"), retry.body().get("importId"));
        JsonNode done = awaitFinished(retry.body().get("importId").asText());
        assertEquals("SUCCEEDED", done.get("status").asText(), done.toString());
        assertEquals(2, dealsFrom(source).size());
    }

    @Test
    void csvExportsMapTheirUsualColumns() throws Exception {
        String source = "csv-" + UUID.randomUUID().toString().substring(0, 8);
        String csv = """
                Record ID,Deal Name,Amount,Currency,Deal owner,Lead Source,Company name,Create Date,Deal Stage,Status,Closed At,Lost Reason,Date entered Lead,Date entered Qualified,entered_demo,Unrelated column
                D-1,"Acme, expansion",25000,EUR,owner-7,%1$s,Acme,2026-01-02 09:00,Demo,won,2026-02-15,,2026-01-02 09:00,2026-01-10 11:00,2026-01-20T12:00:00Z,x
                D-2,Globex renewal,8000.50,EUR,owner-8,%1$s,Globex,2026-01-03,Lead,lost,2026-01-25T10:00:00Z,Timing,2026-01-03,,,y
                D-3,Initech pilot,1000,EUR,owner-9,%1$s,Initech,2026-01-04,Qualified,open,,,,2026-01-04,,
                D-4,Bad stage,1000,EUR,owner-9,%1$s,Initech,2026-01-04,Mars,open,,,,,,
                D-5,No close time,1000,EUR,owner-9,%1$s,Initech,2026-01-04,Lead,won,,,,,,
                """.formatted(source);
        Reply accepted = post("csv-" + source, "?mode=skip-invalid", "text/csv", csv);
        assertEquals(202, accepted.status(), String.valueOf(accepted.body()));
        JsonNode job = awaitFinished(accepted.body().get("importId").asText());
        assertEquals("SUCCEEDED", job.get("status").asText(), job.toString());
        assertEquals(3, job.get("progress").get("dealsWritten").asLong());
        assertEquals(5, job.get("rejections").get(0).get("line").asLong(), "the header is line 1");
        assertTrue(job.get("rejections").get(0).get("reason").asText().contains("Mars"));
        assertTrue(job.get("rejections").get(1).get("reason").asText().contains("closed_at"));

        List<JsonNode> deals = dealsFrom(source);
        JsonNode acme = deals.stream().filter(d -> d.get("company").asText().equals("Acme")).findFirst().orElseThrow();
        assertEquals("Acme, expansion", acme.get("title").asText());
        assertEquals("WON", acme.get("status").asText());
        assertEquals("demo", acme.get("stageId").asText());
        assertEquals("25000.00", acme.get("amount").get("value").asText());
        assertEquals(Instant.parse("2026-01-02T09:00:00Z"), Instant.parse(acme.get("createdAt").asText()));
        assertEquals(Instant.parse("2026-01-20T12:00:00Z"), Instant.parse(acme.get("stageEnteredAt").asText()));
        assertEquals(Instant.parse("2026-02-15T00:00:00Z"), Instant.parse(acme.get("closedAt").asText()));
        JsonNode globex = deals.stream().filter(d -> d.get("company").asText().equals("Globex")).findFirst().orElseThrow();
        assertEquals("LOST", globex.get("status").asText());
        assertEquals("Timing", globex.get("lostReason").asText());
        JsonNode initech = deals.stream().filter(d -> d.get("company").asText().equals("Initech")).findFirst().orElseThrow();
        assertEquals("qualified", initech.get("stageId").asText());
        assertEquals("OPEN", initech.get("status").asText());
    }

    @Test
    void aCsvWithoutACreationColumnFailsAsAWhole() throws Exception {
        Reply accepted = post("csv-nocreated-" + UUID.randomUUID(), "", "text/csv", "Deal Name,Amount\nx,1\n");
        JsonNode job = awaitFinished(accepted.body().get("importId").asText());
        assertEquals("FAILED", job.get("status").asText());
        assertTrue(job.get("failure").asText().contains("creation time"), job.toString());
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingRuns() throws Exception {
        String body = line("E-1", "bad", "2026-01-05T09:00:00Z", "") + "\n";
        Reply noKey = api().call("POST", "/api/v1/imports", body, "Content-Type", NDJSON);
        assertEquals(400, noKey.status());
        assertEquals("https://dealflow.io/problems/idempotency-key-required", noKey.type());
        Reply badMode = post("k-" + UUID.randomUUID(), "?mode=some", NDJSON, body);
        assertEquals(400, badMode.status());
        Reply json = post("k-" + UUID.randomUUID(), "", "application/json", body);
        assertEquals(415, json.status(), "an import is NDJSON or CSV");
        assertTrue(json.contentType().startsWith("application/problem+json"));
        Reply latin1 = post("k-" + UUID.randomUUID(), "", NDJSON + "; charset=ISO-8859-1", body);
        assertEquals(415, latin1.status());
        Reply empty = post("k-" + UUID.randomUUID(), "", NDJSON, "");
        assertEquals(400, empty.status());
        Reply badCurrency = post("k-" + UUID.randomUUID(), "?currency=XXXX", "text/csv", "created_at\n2026-01-01\n");
        assertEquals(400, badCurrency.status());
        Reply unknown = api().get("/api/v1/imports/" + UUID.randomUUID());
        assertEquals(404, unknown.status());
        assertEquals("https://dealflow.io/problems/import-not-found", unknown.type());
        Reply writerOnly = api().callAs("writer", "deals:write", "POST", "/api/v1/imports", body,
                "Content-Type", NDJSON, "Idempotency-Key", "k-" + UUID.randomUUID());
        assertEquals(403, writerOnly.status(), "importing history rewrites the past: admin only");
        Reply rejectionsPage = api().get("/api/v1/imports/" + UUID.randomUUID() + "/rejections?limit=0");
        assertEquals(400, rejectionsPage.status());
    }

    @Test
    void aRunningImportCanBeCancelledAndAFinishedOneCannot() throws Exception {
        String source = "cancel-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append(line("F-" + i, source, "2026-01-05T09:00:00Z",
                    "{\"type\": \"moved\", \"at\": \"2026-01-06T00:00:00Z\", \"stageId\": \"qualified\"}")).append('\n');
        }
        Reply running = post("cancel-big-" + source, "?mode=skip-invalid", NDJSON, big.toString());
        Reply queued = post("cancel-small-" + source, "?mode=skip-invalid", NDJSON,
                line("G-1", source + "-q", "2026-01-05T09:00:00Z", "") + "\n");
        assertEquals(202, api().call("DELETE", "/api/v1/imports/" + queued.body().get("importId").asText(), null).status());
        assertEquals(202, api().call("DELETE", "/api/v1/imports/" + running.body().get("importId").asText(), null).status());

        JsonNode cancelled = awaitFinished(running.body().get("importId").asText());
        assertEquals("CANCELLED", cancelled.get("status").asText());
        long written = cancelled.get("progress").get("dealsWritten").asLong();
        assertTrue(written < 20_000, "stopped before the end: " + written);
        assertEquals(2 * written, cancelled.get("progress").get("eventsWritten").asLong(), "every deal written whole");
        JsonNode stillQueued = awaitFinished(queued.body().get("importId").asText());
        assertEquals("CANCELLED", stillQueued.get("status").asText());
        assertEquals(0, stillQueued.get("progress").get("dealsWritten").asLong());
        assertEquals(0, dealsFrom(source + "-q").size());

        Reply resumed = post("cancel-big-" + source, "?mode=skip-invalid", NDJSON, big.toString());
        assertEquals(202, resumed.status(), "a cancelled import goes on when posted again");
        JsonNode finished = awaitFinished(resumed.body().get("importId").asText());
        assertEquals("SUCCEEDED", finished.get("status").asText(), finished.toString());
        assertEquals(written, finished.get("progress").get("dealsPresent").asLong(), "what the first attempt wrote is kept, not written twice");
        assertEquals(20_000 - written, finished.get("progress").get("dealsWritten").asLong());

        Reply late = api().call("DELETE", "/api/v1/imports/" + queued.body().get("importId").asText(), null);
        assertEquals(409, late.status());
        assertNotNull(late.type());
        assertFalse(late.type().isBlank());
    }
}
