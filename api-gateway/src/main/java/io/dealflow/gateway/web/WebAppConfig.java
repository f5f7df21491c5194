package io.dealflow.gateway.web;

import io.dealflow.gateway.errors.Problems;
import io.dealflow.gateway.security.GatewayAuthProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

import java.time.Clock;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

/**
 * The web app's two calls to the gateway itself: how to sign in ({@code GET /app/sign-in}) and, for a local run,
 * the local sign-in ({@code POST /app/sign-in/local}). The app's files are static resources under {@code /app}.
 */
@Configuration
@EnableConfigurationProperties(WebAppProperties.class)
class WebAppConfig {

    @Bean
    RouterFunction<ServerResponse> webAppSignIn(WebAppProperties web, GatewayAuthProperties auth) {
        LocalSignIn local = localSignIn(web, auth);
        SignInOptions options = SignInOptions.of(web, local != null);
        return RouterFunctions.route(GET("/app/sign-in"), request -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(options))
                .andRoute(POST("/app/sign-in/local"), request -> {
                    if (local == null) {
                        return problem(HttpStatus.NOT_FOUND, "not-found", "Local sign-in is not enabled on this gateway");
                    }
                    if (!request.headers().contentType().map(MediaType.APPLICATION_JSON::isCompatibleWith).orElse(false)) {
                        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Send the sign-in as application/json");
                    }
                    return request.bodyToMono(LocalSignIn.Request.class)
                            .onErrorMap(DecodingException.class, e -> new ServerWebInputException("unreadable"))
                            .flatMap(body -> {
                                String refusal = LocalSignIn.refusal(body);
                                return refusal != null ? problem(HttpStatus.BAD_REQUEST, "validation", refusal)
                                        : ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(local.signIn(body));
                            })
                            .switchIfEmpty(Mono.defer(() -> problem(HttpStatus.BAD_REQUEST, "validation", "A JSON body with name and role is required")))
                            .onErrorResume(ServerWebInputException.class,
                                    e -> problem(HttpStatus.BAD_REQUEST, "validation", "The body must be JSON: {\"name\": \"…\", \"role\": \"seller\"}"));
                });
    }

    /** Only with the local HS256 secret and no identity provider: such a gateway never signs tokens itself. */
    private static LocalSignIn localSignIn(WebAppProperties web, GatewayAuthProperties auth) {
        if (!web.localSignIn() || web.usesIdentityProvider() || auth.usesJwkSet() || auth.hs256Secret() == null || auth.hs256Secret().isBlank()) {
            return null;
        }
        return new LocalSignIn(auth.hs256Secret(), auth.expectedIssuer(), auth.expectedAudience(), web.localTokenLifetime(),
                Clock.systemUTC());
    }

    private static Mono<ServerResponse> problem(HttpStatus status, String slug, String detail) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(Problems.of(status, slug, detail));
    }
}
