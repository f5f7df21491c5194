package io.dealflow.pipeline.deal;

/** One changed field, before and after, as text (money as "12.50 EUR"). */
public record FieldChange(String field, String from, String to) {
}
