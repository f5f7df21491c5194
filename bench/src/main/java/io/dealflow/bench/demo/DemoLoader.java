package io.dealflow.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.dealflow.bench.workload.DealPlan;
import io.dealflow.bench.workload.HistoryFile;
import io.dealflow.bench.workload.SalesWorld;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Loads the demo sales world, six months of history up to now, through the gateway's import: every view then has
 * real shapes (time in stage, cohorts, slipped close dates, a forecast with a past to backtest). Only into an empty
 * system, and under one import key, so loading again changes nothing.
 */
public final class DemoLoader {

    private DemoLoader() {
    }

    public static void run(String gateway, String token, int deals, long seed) throws Exception {
        ApiClient api = new ApiClient(gateway, token);
        if (api.get("/api/v1/deals?limit=1").get("items").size() > 0) {
            System.out.println("Demo data: deals exist already, nothing loaded.");
            return;
        }
        Instant now = Instant.now();
        List<DealPlan> world = SalesWorld.lastSixMonths(seed, now).deals(deals).stream().map(d -> d.asOf(now)).toList();
        JsonNode job = api.startImport(HistoryFile.bytes(world, "demo-"), "demo-world-" + seed + "-" + deals, "all-or-nothing");
        job = api.awaitImport(job.get("importId").asText(), Duration.ofMinutes(10));
        if (!job.get("status").asText().equals("SUCCEEDED")) {
            throw new IOException("the demo import did not succeed: " + job);
        }
        JsonNode progress = job.get("progress");
        System.out.println("Demo data: " + progress.get("dealsWritten").asLong() + " deals with six months of history imported"
                + (progress.get("dealsWritten").asLong() == 0 ? " before (nothing new)" : "") + " through " + gateway + ".");
    }
}
