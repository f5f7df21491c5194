package io.dealflow.pipeline.deal;

public enum ActivityKind {
    CALL, MEETING, EMAIL, NOTE
}
