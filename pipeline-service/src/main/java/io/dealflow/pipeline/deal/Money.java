package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.rules.Rule;
import io.dealflow.pipeline.rules.RuleBroken;

import java.math.BigDecimal;
import java.util.Currency;

/** A non-negative decimal amount in a known ISO 4217 currency, with no more decimals than the currency has. */
public record Money(BigDecimal value, String currency) {

    public static Money of(BigDecimal value, String currency) {
        if (value == null || currency == null) {
            throw new RuleBroken(Rule.INVALID_AMOUNT, "amount needs a value and a currency");
        }
        Currency known;
        try {
            known = Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw new RuleBroken(Rule.INVALID_AMOUNT, "unknown currency " + currency);
        }
        if (value.signum() < 0) {
            throw new RuleBroken(Rule.INVALID_AMOUNT, "amount must not be negative");
        }
        int digits = Math.max(known.getDefaultFractionDigits(), 0);
        BigDecimal normalized = value.stripTrailingZeros();
        if (normalized.scale() > digits) {
            throw new RuleBroken(Rule.INVALID_AMOUNT, currency + " has at most " + digits + " decimal digits");
        }
        if (normalized.precision() - normalized.scale() > 15) {
            throw new RuleBroken(Rule.INVALID_AMOUNT, "amount is too large");
        }
        return new Money(value.setScale(digits), known.getCurrencyCode());
    }
}
