package io.dealflow.pipeline.deal;

public enum DealStatus {
    OPEN, WON, LOST
}
