package io.dealflow.pipeline.web;

import java.util.Map;

/** A rule was broken: answered as problem+json of the given type. Thrown before anything is stored. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final transient Map<String, Object> properties;

    public ProblemException(Problem problem, String detail) {
        this(problem, detail, Map.of());
    }

    public ProblemException(Problem problem, String detail, Map<String, Object> properties) {
        super(detail);
        this.problem = problem;
        this.properties = properties;
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
