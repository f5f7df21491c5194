package io.dealflow.pipeline.rules;



/** The business rules a command can break; the web layer answers each with its own problem type. */
public enum Rule {
    /** A field is missing, too long or out of range. */
    INVALID_INPUT,
    INVALID_AMOUNT,
    UNKNOWN_STAGE,
    UNKNOWN_LOST_REASON,
    PIPELINE_NOT_FOUND,
    STAGE_IN_USE,
    DEAL_CLOSED,
    DEAL_OPEN
}
