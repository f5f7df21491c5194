package io.dealflow.events.v1;

/** A decimal amount as a string (never a floating point number) and its ISO 4217 currency code. */
public record Money(String value, String currency) {
}
