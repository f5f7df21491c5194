package io.dealflow.pipeline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineApiTest extends IntegrationTest {

    @LocalServerPort
    int port;

    private static final String STAGES = """
            [{"id": "new", "name": "New", "probability": 10, "phase": "AWARENESS", "rottingDays": 30},
             {"id": "talk", "name": "Talking", "probability": 50, "phase": "CONSIDERATION"},
             {"id": "sign", "name": "Signing", "probability": 90, "phase": "DECISION"}]""";

    @Test
    void pipelinesSideBySideChangeWithoutCorruptingDeals() throws Exception {
        Api api = new Api(port);
        String id = "renewals-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Reply created = api.post("/api/v1/pipelines", "{\"id\": \"%s\", \"name\": \"Renewals\", \"stages\": %s, \"lostReasons\": [\"Churned\"]}"
                .formatted(id, STAGES));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        assertEquals("/api/v1/pipelines/" + id, created.location());
        assertEquals(409, api.post("/api/v1/pipelines", "{\"id\": \"%s\", \"name\": \"Again\", \"stages\": %s}".formatted(id, STAGES)).status());

        List<String> ids = new ArrayList<>();
        api.get("/api/v1/pipelines").body().forEach(p -> ids.add(p.get("id").asText()));
        assertTrue(ids.contains("default") && ids.contains(id), ids.toString());

        String deal = api.createDeal("{\"title\": \"Renewal\", \"pipelineId\": \"%s\", \"stageId\": \"talk\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}".formatted(id));
        assertEquals(422, api.post("/api/v1/deals/" + deal + "/moves", "{\"stageId\": \"demo\"}").status(), "a stage of another pipeline");
        assertEquals(422, api.post("/api/v1/deals/" + deal + "/loss", "{\"reason\": \"Price\"}").status(), "reasons come from this pipeline's catalogue");

        String renamed = STAGES.replace("\"Talking\"", "\"In conversation\"");
        Api.Reply changed = api.call("PUT", "/api/v1/pipelines/" + id, "{\"name\": \"Renewals 2027\", \"stages\": %s, \"lostReasons\": [\"Churned\", \"Budget\"]}".formatted(renamed));
        assertEquals(200, changed.status(), String.valueOf(changed.body()));
        assertEquals("In conversation", changed.body().get("stages").get(1).get("name").asText());
        assertEquals("talk", api.get("/api/v1/deals/" + deal).body().get("stageId").asText(), "a renamed stage keeps its id and its deals");
        assertEquals(200, api.post("/api/v1/deals/" + deal + "/moves", "{\"stageId\": \"sign\"}").status());

        String withoutSign = "[" + STAGES.substring(STAGES.indexOf('[') + 1, STAGES.lastIndexOf("{\"id\": \"sign\"")).strip();
        withoutSign = withoutSign.substring(0, withoutSign.lastIndexOf(',')) + "]";
        Api.Reply refused = api.call("PUT", "/api/v1/pipelines/" + id, "{\"name\": \"Shorter\", \"stages\": %s}".formatted(withoutSign));
        assertEquals(409, refused.status(), String.valueOf(refused.body()));
        assertEquals("https://dealflow.io/problems/stage-in-use", refused.type());
        assertEquals(1, refused.body().get("deals").asLong());
        assertEquals(3, api.get("/api/v1/pipelines/" + id).body().get("stages").size(), "nothing changed");

        api.post("/api/v1/deals/" + deal + "/moves", "{\"stageId\": \"talk\"}");
        assertEquals(200, api.call("PUT", "/api/v1/pipelines/" + id, "{\"name\": \"Shorter\", \"stages\": %s}".formatted(withoutSign)).status());
    }

    @Test
    void badDefinitionsAre400AndUnknownPipelines404() throws Exception {
        Api api = new Api(port);
        String[] bad = {
                "{\"id\": \"Bad Id\", \"name\": \"x\", \"stages\": " + STAGES + "}",
                "{\"id\": \"ok-id\", \"name\": \"\", \"stages\": " + STAGES + "}",
                "{\"id\": \"ok-id\", \"name\": \"x\", \"stages\": []}",
                "{\"id\": \"ok-id\", \"name\": \"x\", \"stages\": [{\"id\": \"a\", \"name\": \"A\", \"probability\": 120, \"phase\": \"AWARENESS\"}]}",
                "{\"id\": \"ok-id\", \"name\": \"x\", \"stages\": [{\"id\": \"a\", \"name\": \"A\", \"probability\": 10, \"phase\": \"SHOPPING\"}]}",
                "{\"id\": \"ok-id\", \"name\": \"x\", \"stages\": \"many\"}",
        };
        for (String body : bad) {
            Api.Reply reply = api.post("/api/v1/pipelines", body);
            assertEquals(400, reply.status(), body + " -> " + reply.body());
            assertTrue(reply.contentType().startsWith("application/problem+json"));
        }
        assertEquals(404, api.get("/api/v1/pipelines/" + UUID.randomUUID()).status());
        JsonNode docs = api.get("/v3/api-docs").body();
        assertTrue(docs.get("paths").has("/api/v1/deals/{dealId}/moves"), "documented in OpenAPI");
        assertTrue(docs.get("paths").has("/api/v1/pipelines/{pipelineId}/board"));
    }
}
