package io.dealflow.trust;

/** What a caller may do. A token carries scopes by these names; every API route needs exactly one of them, or none when public. */
public enum Scope {
    DEALS_READ("deals:read"),
    DEALS_WRITE("deals:write"),
    ANALYTICS_READ("analytics:read"),
    ADMIN("admin");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    /** The name in tokens and in the relayed scopes header. */
    public String value() {
        return value;
    }
}
