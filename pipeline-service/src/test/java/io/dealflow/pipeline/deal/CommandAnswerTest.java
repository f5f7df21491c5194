package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A command answers with the deal as it is now stored: the answer is folded from the command's events rather than read
 * back, so each answer is compared with a read of the same deal afterwards — every field, times to the microsecond.
 */
class CommandAnswerTest extends IntegrationTest {

    @LocalServerPort
    int port;
    private Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void everyCommandAnswersWithTheDealAsAReadShowsIt() throws Exception {
        Api.Reply created = api.post("/api/v1/deals", """
                {"title": "Answer", "amount": {"value": "1234.5", "currency": "EUR"}, "ownerId": "alice", "source": "web",
                 "expectedCloseDate": "2027-03-31", "company": "ACME", "contact": "Ann"}""");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String id = created.body().get("dealId").asText();
        String path = "/api/v1/deals/" + id;
        assertSameAsRead(created, path, "create");

        assertSameAsRead(api.call("PATCH", path, "{\"amount\": {\"value\": \"99\", \"currency\": \"USD\"}, \"company\": null}"), path, "update");
        assertSameAsRead(api.call("PATCH", path, "{\"ownerId\": \"alice\"}"), path, "an update that changes nothing");
        assertSameAsRead(api.post(path + "/moves", "{\"stageId\": \"demo\"}"), path, "move");
        assertSameAsRead(api.post(path + "/activities", "{\"kind\": \"MEETING\", \"note\": \"demo call\"}"), path, "activity");
        assertSameAsRead(api.post(path + "/loss", "{\"reason\": \"Price\", \"note\": \"too dear\"}"), path, "loss");
        assertSameAsRead(api.post(path + "/reopen", "{\"stageId\": \"proposal\"}"), path, "reopen");
        assertSameAsRead(api.post(path + "/win", null), path, "win");
    }

    private void assertSameAsRead(Api.Reply answer, String path, String command) throws Exception {
        assertEquals(true, answer.status() == 200 || answer.status() == 201, command + ": " + answer.status() + " " + answer.body());
        Api.Reply read = api.get(path);
        assertEquals(read.body(), answer.body(), command + ": the answer differs from the stored deal");
        assertEquals(read.etag(), answer.etag(), command);
    }
}
