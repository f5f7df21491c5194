package io.dealflow.gateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dealflow.gateway.routes.ApiRoute;
import io.dealflow.gateway.routes.RouteTable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.rewrite.ModifyResponseBodyGatewayFilterFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Completes a service's OpenAPI document as it passes through the gateway with what the gateway enforces, from the same
 * route table that authorizes requests: the bearer scheme and each operation's scope, the problem answers the gateway
 * itself gives (401, 403, 429) and those every operation may give (400, 404, 412, 500), the meaning of parameters a
 * service left undescribed, and nothing the gateway does not route (a service's internal endpoints, the headers the
 * gateway sets itself).
 */
@Component
public class DocumentedAccessGatewayFilterFactory extends AbstractGatewayFilterFactory<DocumentedAccessGatewayFilterFactory.Config> {

    public static class Config {
        private boolean yaml;

        public boolean isYaml() {
            return yaml;
        }

        public void setYaml(boolean yaml) {
            this.yaml = yaml;
        }
    }

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final Map<String, String> PROBLEMS = Map.of(
            "400", "The request is not valid: the problem's detail says what is wrong",
            "401", "No valid bearer token",
            "403", "The token lacks the scope this operation needs",
            "404", "Nothing with this id",
            "412", "The If-Match version is not the current one: someone changed it meanwhile; read it again",
            "429", "Too many requests from this client; retry after the Retry-After header's seconds",
            "500", "An unexpected error; nothing was changed");

    private final ModifyResponseBodyGatewayFilterFactory modifyBody;
    private final RouteTable table;
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new YAMLMapper();

    public DocumentedAccessGatewayFilterFactory(ModifyResponseBodyGatewayFilterFactory modifyBody, RouteTable table) {
        super(Config.class);
        this.modifyBody = modifyBody;
        this.table = table;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("yaml");
    }

    @Override
    public GatewayFilter apply(Config config) {
        ObjectMapper mapper = config.isYaml() ? yaml : json;
        return modifyBody.apply(new ModifyResponseBodyGatewayFilterFactory.Config()
                .setRewriteFunction(byte[].class, byte[].class, (exchange, body) -> Mono.justOrEmpty(complete(mapper, body))));
    }

    /** An answer that is not an OpenAPI document (a HEAD, an error from the service) passes unchanged. */
    byte[] complete(ObjectMapper mapper, byte[] document) {
        if (document == null || document.length == 0) {
            return document;
        }
        try {
            if (!(mapper.readTree(document) instanceof ObjectNode root) || !root.has("openapi")) {
                return document;
            }
            complete(root);
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            return document;
        }
    }

    void complete(ObjectNode root) {
        ObjectNode components = root.withObjectProperty("components");
        components.withObjectProperty("securitySchemes").set("bearer", json.createObjectNode().put("type", "http").put("scheme", "bearer")
                .put("bearerFormat", "JWT").put("description", "A token from the identity provider (or the local sign-in of a "
                        + "local run); its scope claim must hold the scope each operation names."));
        components.withObjectProperty("schemas").set("Problem", problemSchema());

        ObjectNode paths = root.withObjectProperty("paths");
        List<String> emptyPaths = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            ObjectNode operations = (ObjectNode) path.getValue();
            List<String> unrouted = new ArrayList<>();
            operations.fields().forEachRemaining(operation -> {
                if (!METHODS.contains(operation.getKey())) {
                    return;
                }
                Optional<ApiRoute> route = table.find(HttpMethod.valueOf(operation.getKey().toUpperCase()), path.getKey());
                if (route.isEmpty()) {
                    unrouted.add(operation.getKey());
                } else {
                    complete(path.getKey(), (ObjectNode) operation.getValue(), route.get());
                }
            });
            operations.remove(unrouted);
            if (operations.properties().stream().noneMatch(e -> METHODS.contains(e.getKey()))) {
                emptyPaths.add(path.getKey());
            }
        }
        paths.remove(emptyPaths);
    }

    private void complete(String path, ObjectNode operation, ApiRoute route) {
        ArrayNode security = operation.putArray("security");
        if (!route.isPublic()) {
            security.addObject().putArray("bearer").add(route.scope().value());
            String needs = "Needs the `" + route.scope().value() + "` scope.";
            String description = operation.path("description").asText("");
            operation.put("description", description.isBlank() ? needs : description + "\n\n" + needs);
        }
        if (operation.get("parameters") instanceof ArrayNode parameters) {
            for (int i = parameters.size() - 1; i >= 0; i--) {
                JsonNode parameter = parameters.get(i);
                String name = parameter.path("name").asText();
                if (name.toLowerCase().startsWith("x-dealflow-")) {
                    parameters.remove(i);
                } else if (parameter.path("description").asText().isBlank() && ParameterDescriptions.of(name) != null) {
                    ((ObjectNode) parameter).put("description", ParameterDescriptions.of(name));
                }
            }
        }
        boolean ifMatch = false;
        if (operation.get("parameters") instanceof ArrayNode parameters) {
            for (JsonNode parameter : parameters) {
                ifMatch |= "if-match".equalsIgnoreCase(parameter.path("name").asText());
            }
        }
        ObjectNode responses = operation.withObjectProperty("responses");
        List<String> codes = new ArrayList<>(List.of("400", "429", "500"));
        if (!route.isPublic()) {
            codes.addAll(List.of("401", "403"));
        }
        if (path.contains("{")) {
            codes.add("404");
        }
        if (ifMatch) {
            codes.add("412");
        }
        for (String code : codes) {
            if (!responses.has(code)) {
                ObjectNode response = responses.putObject(code).put("description", PROBLEMS.get(code));
                response.withObjectProperty("content").withObjectProperty("application/problem+json").withObjectProperty("schema").put("$ref", PROBLEM);
            }
        }
    }

    private ObjectNode problemSchema() {
        ObjectNode schema = json.createObjectNode().put("type", "object")
                .put("description", "RFC 9457 problem details; `type` is stable and names the kind of problem");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("type").put("type", "string").put("format", "uri");
        properties.putObject("title").put("type", "string");
        properties.putObject("status").put("type", "integer");
        properties.putObject("detail").put("type", "string");
        properties.putObject("instance").put("type", "string");
        schema.putArray("required").add("type").add("title").add("status");
        return schema;
    }
}
