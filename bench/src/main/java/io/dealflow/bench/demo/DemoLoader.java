package io.dealflow.bench.demo;

import io.dealflow.bench.workload.DealPlan;
import io.dealflow.bench.workload.SalesWorld;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Loads the demo sales world through the gateway, once: a system that already has deals is left alone. */
public final class DemoLoader {

    private DemoLoader() {
    }

    public static void run(String gateway, String token, int deals, long seed) throws Exception {
        ApiClient api = new ApiClient(gateway, token);
        if (api.get("/api/v1/deals?limit=1").get("items").size() > 0) {
            System.out.println("Demo data: deals exist already, nothing loaded.");
            return;
        }
        List<DealPlan> plans = SalesWorld.lastSixMonths(seed, Instant.now()).deals(deals);
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = plans.stream().map(plan -> pool.submit(() -> {
                String id = api.play(plan);
                done.incrementAndGet();
                return id;
            })).toList();
            for (Future<String> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("Demo data: loaded " + done.get() + " deals through " + gateway + ".");
    }
}
