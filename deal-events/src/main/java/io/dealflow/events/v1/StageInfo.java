package io.dealflow.events.v1;

/**
 * Everything a consumer needs to know about a stage, carried in each event that names one.
 *
 * @param position    zero-based order of the stage in its pipeline
 * @param probability configured win probability, 0–100
 * @param phase       funnel phase: AWARENESS, INTEREST, CONSIDERATION or DECISION
 */
public record StageInfo(String id, String name, int position, int probability, String phase) {
}
