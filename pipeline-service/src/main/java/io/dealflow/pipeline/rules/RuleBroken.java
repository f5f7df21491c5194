package io.dealflow.pipeline.rules;

import java.util.Map;

/** A command breaks a rule of the domain: nothing is stored, and the caller is told which rule and why. */
public class RuleBroken extends RuntimeException {

    private final Rule rule;
    private final transient Map<String, Object> properties;

    public RuleBroken(Rule rule, String detail) {
        this(rule, detail, Map.of());
    }

    /** {@code properties}: facts the caller needs to correct the command (e.g. the allowed values). */
    public RuleBroken(Rule rule, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.rule = rule;
        this.properties = properties;
    }

    public Rule rule() {
        return rule;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
