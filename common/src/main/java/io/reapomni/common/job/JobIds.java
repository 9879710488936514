package io.reapomni.common.job;

import io.reapomni.common.format.UntrustedText;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one syntax of a job id, checked wherever an id enters (the CLI's {@code --job-id}, every event read from Kafka,
 * the rewriter and its staging area): 1 to {@value #MAX_LENGTH} ASCII letters, digits, {@code .}, {@code _} and
 * {@code -}, not {@code .} and never holding {@code ..}. A job id becomes part of file names ({@code .NAME.reap-staging-JOB}), object keys and
 * log lines, so nothing in it may climb out of a folder, separate a path or forge a line.
 */
public final class JobIds {
    public static final int MAX_LENGTH = 64;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private JobIds() {
    }

    public static boolean isValid(String jobId) {
        return problem(jobId).isEmpty();
    }

    /** Returns {@code jobId} when it is valid; otherwise throws, naming the id and the rule. */
    public static String validate(String jobId) {
        Optional<String> problem = problem(jobId);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return jobId;
    }

    /** What is wrong with {@code jobId}, naming the id and the rule; empty when it is valid. */
    public static Optional<String> problem(String jobId) {
        if (jobId != null && ALLOWED.matcher(jobId).matches() && !jobId.contains("..") && !jobId.equals(".")) {
            return Optional.empty();
        }
        return Optional.of("invalid job id " + (jobId == null ? "(none)" : "\"" + UntrustedText.printable(jobId) + "\"")
                + ": a job id has 1 to " + MAX_LENGTH + " letters, digits, '.', '_' and '-', is not \".\" and never"
                + " holds \"..\"");
    }
}
