package io.dealflow.trust;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The caller as the gateway verified it: the token's subject and scopes. */
public record RelayedIdentity(String subject, Set<String> scopes) {

    public RelayedIdentity {
        scopes = Set.copyOf(scopes);
    }

    public static RelayedIdentity of(String subject, String spaceSeparatedScopes) {
        Set<String> scopes = spaceSeparatedScopes == null ? Set.of()
                : Arrays.stream(spaceSeparatedScopes.trim().split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return new RelayedIdentity(subject, scopes);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope.value());
    }
}
