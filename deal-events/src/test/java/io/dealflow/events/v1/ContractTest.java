package io.dealflow.events.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContractTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @Test
    void everyTypeHasASchemaAndAnExampleThatValidatesAndRoundTripsThroughItsRecord() throws IOException {
        for (var entry : EventTypes.all().entrySet()) {
            JsonSchema schema = schema(entry.getKey());
            JsonNode example = read(EventTypes.exampleResource(entry.getKey()));
            assertEquals(Set.of(), schema.validate(example), entry.getKey() + " example");

            Object record = json.treeToValue(example, entry.getValue());
            JsonNode again = json.valueToTree(record);
            assertEquals(example, again, entry.getKey() + " round trip");
        }
    }

    @Test
    void schemasRejectWhatTheContractForbids() throws IOException {
        JsonNode won = read(EventTypes.exampleResource(EventTypes.DEAL_WON));
        ((com.fasterxml.jackson.databind.node.ObjectNode) won.get("amount")).put("value", "-5");
        Set<ValidationMessage> negative = schema(EventTypes.DEAL_WON).validate(won);
        assertFalse(negative.isEmpty(), "negative amount must be rejected");

        JsonNode moved = read(EventTypes.exampleResource(EventTypes.DEAL_MOVED_TO_STAGE));
        ((com.fasterxml.jackson.databind.node.ObjectNode) moved.get("to")).put("phase", "SHOPPING");
        assertFalse(schema(EventTypes.DEAL_MOVED_TO_STAGE).validate(moved).isEmpty(), "unknown phase must be rejected");

        JsonNode created = read(EventTypes.exampleResource(EventTypes.DEAL_CREATED));
        ((com.fasterxml.jackson.databind.node.ObjectNode) created).remove("stage");
        assertFalse(schema(EventTypes.DEAL_CREATED).validate(created).isEmpty(), "missing stage must be rejected");
    }

    @Test
    void theAsyncApiDocumentNamesEveryTypeAndItsSchema() throws IOException {
        String asyncApi;
        try (InputStream in = resource("io/dealflow/events/v1/asyncapi.yaml")) {
            asyncApi = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String type : EventTypes.all().keySet()) {
            assertTrue(asyncApi.contains("name: " + type), type + " missing from asyncapi.yaml");
            assertTrue(asyncApi.contains("schemas/" + type + ".json"), type + " schema not referenced");
        }
        assertTrue(asyncApi.contains("address: " + EventTypes.TOPIC));
        assertTrue(asyncApi.contains("address: " + EventTypes.DEAD_LETTER_TOPIC));
    }

    @Test
    void unknownTypesHaveNoRecord() {
        assertTrue(EventTypes.recordFor("io.dealflow.deal.teleported.v9") == null);
        assertNotNull(EventTypes.recordFor(EventTypes.DEAL_LOST));
    }

    private JsonSchema schema(String type) throws IOException {
        try (InputStream in = resource(EventTypes.schemaResource(type))) {
            return schemas.getSchema(in);
        }
    }

    private JsonNode read(String path) throws IOException {
        try (InputStream in = resource(path)) {
            return json.readTree(in);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = ContractTest.class.getClassLoader().getResourceAsStream(path);
        assertNotNull(in, "missing resource " + path);
        return in;
    }
}
