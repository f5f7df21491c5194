package io.dealflow.pipeline.pipeline;

/**
 * A stage of a pipeline.
 *
 * @param probability configured win probability 0–100
 * @param rottingDays days without activity or move after which an open deal counts as stalled; null = never
 */
public record Stage(String id, String name, int probability, Phase phase, Integer rottingDays) {
}
