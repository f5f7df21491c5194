/**
 * How deals are counted, shared by the projection that keeps the counters and the queries that read them: the metrics
 * and their keys ({@link io.dealflow.analytics.tally.TallyMetric}), the slices ({@link io.dealflow.analytics.tally.TallySlice}),
 * the stored per-bucket counts and duration sketches, the phase order, the reached flags and the cohort months.
 */
package io.dealflow.analytics.tally;
