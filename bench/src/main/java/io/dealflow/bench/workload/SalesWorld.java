package io.dealflow.bench.workload;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded synthetic sales world for the default pipeline (lead → qualified → demo → proposal → negotiation):
 * owners, sources, log-normal amounts, realistic drop-off per stage, occasional moves back, activities,
 * won/lost endings with reasons, and timestamps spread over months. The same seed gives the same world.
 */
public final class SalesWorld {

    public static final List<String> STAGES = List.of("lead", "qualified", "demo", "proposal", "negotiation");
    /** Chance that a deal in each stage moves on (from the last stage: is won). */
    private static final double[] ADVANCE = {0.65, 0.6, 0.55, 0.6, 0.7};
    /** Of the deals that do not move on, the share that is lost (the rest stays open). */
    private static final double LOSE_SHARE = 0.6;
    private static final double MOVE_BACK = 0.05;
    private static final List<String> SOURCES = List.of("web", "referral", "outbound", "event", "partner");
    private static final List<String> REASONS = List.of("Price", "Timing", "Competitor", "No decision", "Other");
    private static final List<String> ACTIVITIES = List.of("CALL", "MEETING", "EMAIL", "NOTE");
    private static final List<String> COMPANIES = List.of("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark",
            "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent", "Aperture");

    private final SplittableRandom random;
    private final int owners;
    private final Instant start;
    private final Duration span;

    public SalesWorld(long seed, int owners, Instant start, Duration span) {
        this.random = new SplittableRandom(seed);
        this.owners = owners;
        this.start = start;
        this.span = span;
    }

    /** A world of 12 owners whose deals were created over the 180 days before {@code end}. */
    public static SalesWorld lastSixMonths(long seed, Instant end) {
        return new SalesWorld(seed, 12, end.minus(Duration.ofDays(180)), Duration.ofDays(180));
    }

    public List<DealPlan> deals(int count) {
        List<DealPlan> plans = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            plans.add(next(i));
        }
        return plans;
    }

    public DealPlan next(int index) {
        Instant created = start.plusSeconds((long) (random.nextDouble() * span.toSeconds()));
        // log-normal around 10,000 with a long tail
        double amount = Math.exp(Math.log(10_000) + random.nextGaussian() * 0.9);
        String company = COMPANIES.get(random.nextInt(COMPANIES.size()));
        List<DealPlan.Step> steps = new ArrayList<>();
        Instant at = created;
        int stage = 0;
        while (true) {
            at = at.plus(Duration.ofHours(4 + random.nextInt(24 * 14)));
            if (random.nextDouble() < 0.5) {
                steps.add(new DealPlan.Activity(ACTIVITIES.get(random.nextInt(ACTIVITIES.size())), at));
                at = at.plus(Duration.ofHours(1 + random.nextInt(48)));
            }
            if (stage > 0 && random.nextDouble() < MOVE_BACK) {
                stage--;
                steps.add(new DealPlan.Move(STAGES.get(stage), at));
                continue;
            }
            if (random.nextDouble() < ADVANCE[stage]) {
                if (stage == STAGES.size() - 1) {
                    steps.add(new DealPlan.Win(at));
                    break;
                }
                stage++;
                steps.add(new DealPlan.Move(STAGES.get(stage), at));
            } else {
                if (random.nextDouble() < LOSE_SHARE) {
                    steps.add(new DealPlan.Lose(REASONS.get(random.nextInt(REASONS.size())), at));
                }
                break;
            }
        }
        LocalDate expectedClose = LocalDate.ofInstant(created, ZoneOffset.UTC).plusDays(30 + random.nextInt(120));
        return new DealPlan(company + " deal #" + (index + 1),
                BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_EVEN), "EUR",
                "owner-" + (1 + random.nextInt(owners)), SOURCES.get(random.nextInt(SOURCES.size())), company,
                "Contact " + (1 + random.nextInt(500)), expectedClose, created, List.copyOf(steps));
    }
}
