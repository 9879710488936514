package io.reapomni.common.report;

/** A component's parameters before and after a rewrite, as the parameters figure draws them. */
public record ComponentBar(String component, long before, long after) {
}
