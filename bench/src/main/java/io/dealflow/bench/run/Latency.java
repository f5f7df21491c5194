package io.dealflow.bench.run;

import org.HdrHistogram.Histogram;

/** Throughput and latency of one measured run. */
record Latency(String name, long operations, double seconds, double p50Ms, double p99Ms, double p999Ms, long errors) {

    static Latency of(String name, Histogram histogram, double seconds, long errors) {
        return new Latency(name, histogram.getTotalCount(), seconds, histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0, errors);
    }

    double perSecond() {
        return seconds == 0 ? 0 : operations / seconds;
    }
}
