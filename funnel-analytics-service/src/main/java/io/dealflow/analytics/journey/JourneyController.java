package io.dealflow.analytics.journey;

import io.dealflow.analytics.access.RequiresScope;
import io.dealflow.analytics.funnel.QueryInstant;
import io.dealflow.analytics.funnel.SliceParams;
import io.dealflow.analytics.funnel.WindowParams;
import io.dealflow.analytics.tally.Phases;
import io.dealflow.analytics.web.ProblemException;
import io.dealflow.trust.Scope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;

/** Phases, forecast, velocity, trends, waterfall and backtest; each answer carries asOf and the filters applied. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class JourneyController {

    private final VelocityQuery velocity;
    private final ForecastQuery forecast;
    private final TrendQuery trends;
    private final WaterfallQuery waterfall;
    private final BacktestQuery backtest;
    private final PhaseQuery phases;

    public JourneyController(VelocityQuery velocity, ForecastQuery forecast, TrendQuery trends, WaterfallQuery waterfall,
                             BacktestQuery backtest, PhaseQuery phases) {
        this.velocity = velocity;
        this.forecast = forecast;
        this.trends = trends;
        this.waterfall = waterfall;
        this.backtest = backtest;
        this.phases = phases;
    }

    /** The funnel rolled up into the four customer-journey phases; with {@code at}, as they stood at that past instant. */
    @RequiresScope(Scope.ANALYTICS_READ)
    @Operation(summary = "The funnel in the four customer-journey phases")
    @Get("/funnel/phases")
    public PhaseReport phases(@RequestBean WindowParams window, @QueryValue @Nullable String at) {
        return phases.phases(window.filter(), QueryInstant.parse("at", at));
    }

    @RequiresScope(Scope.ANALYTICS_READ)
    @Operation(summary = "Sales velocity: open deals, win rate, average size and cycle")
    @Get("/velocity")
    public VelocityReport velocity(@RequestBean WindowParams window, @QueryValue @Nullable String groupBy) {
        return velocity.velocity(window.filter(), groupBy);
    }

    @RequiresScope(Scope.ANALYTICS_READ)
    @Operation(summary = "Forecast by expected-close month: weighted, learned, commit and best case")
    @Get("/forecast")
    public ForecastReport forecast(@RequestBean SliceParams slice, @QueryValue @Nullable String months,
                                   @QueryValue @Nullable String lookbackDays, @QueryValue @Nullable String commitProbability) {
        return forecast.forecast(slice.filter(), integer("months", months, 6),
                integer("lookbackDays", lookbackDays, 365), integer("commitProbability", commitProbability, 70));
    }

    @RequiresScope(Scope.ANALYTICS_READ)
    @Operation(summary = "What the forecast said at past month starts against what was won")
    @Get("/forecast/backtest")
    public BacktestReport backtest(@RequestBean SliceParams slice, @QueryValue @Nullable String months,
                                   @QueryValue @Nullable String lookbackDays) {
        return backtest.backtest(slice.filter(), integer("months", months, 6),
                integer("lookbackDays", lookbackDays, 365));
    }

    @RequiresScope(Scope.ANALYTICS_READ)
    @Operation(summary = "Creation cohorts: deals created, won, lost and conversion")
    @Get("/trends")
    public TrendReport trends(@RequestBean WindowParams window, @QueryValue @Nullable String interval) {
        return trends.trends(window.filter(), interval);
    }

    @RequiresScope(Scope.ANALYTICS_READ)
    @Operation(summary = "How the open pipeline changed between two instants")
    @Get("/waterfall")
    public WaterfallReport waterfall(@RequestBean SliceParams slice, @QueryValue @Nullable String from,
                                     @QueryValue @Nullable String to) {
        return waterfall.waterfall(slice.filter(), QueryInstant.parse("from", from), QueryInstant.parse("to", to));
    }

    private static int integer(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name + " must be a whole number");
        }
    }
}
