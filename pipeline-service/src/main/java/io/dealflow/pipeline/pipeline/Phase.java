package io.dealflow.pipeline.pipeline;

/** The customer-journey phase a stage belongs to, in funnel order. */
public enum Phase {
    AWARENESS, INTEREST, CONSIDERATION, DECISION
}
