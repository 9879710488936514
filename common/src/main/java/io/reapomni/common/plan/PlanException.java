package io.reapomni.common.plan;

import io.reapomni.common.checkpoint.Problems;

import java.util.List;

/** A plan that cannot be read or that does not fit its checkpoint; lists every problem found, not only the first. */
public class PlanException extends Exception {
    private final List<String> problems;

    public PlanException(String headline, List<String> problems) {
        super(Problems.describe(headline, problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
