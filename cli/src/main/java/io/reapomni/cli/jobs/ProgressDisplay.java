package io.reapomni.cli.jobs;

import io.reapomni.common.events.JobProgress;
import io.reapomni.common.format.Units;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Shows a job's {@link JobProgress} events: on a terminal one progress bar per phase (planning, calibration,
 * writing) and unit, with rates for bytes; elsewhere (logs, CI) a line per phase and unit at most every few seconds,
 * and when it is done.
 */
final class ProgressDisplay implements AutoCloseable {

    private static final long MIB = 1L << 20;
    private static final Duration LINE_INTERVAL = Duration.ofSeconds(2);
    private static final String BYTES = "bytes";

    private final PrintWriter lines;
    private final boolean terminal;
    // Keyed by phase and unit: in calibration, each worker reports the samples of its task and scoring the tasks in.
    private final Map<String, ProgressBar> bars = new HashMap<>();
    private final Map<String, JobProgress> firstOfPhase = new HashMap<>();
    private final Map<String, Instant> lastLine = new HashMap<>();

    private ProgressDisplay(PrintWriter lines, boolean terminal) {
        this.lines = lines;
        this.terminal = terminal;
    }

    /** Bars on stderr when it is a terminal, else lines on {@code lines}. */
    static ProgressDisplay on(PrintWriter lines) {
        return new ProgressDisplay(lines, System.console() != null);
    }

    void show(JobProgress progress) {
        String measure = progress.phase().id() + " " + progress.unit();
        JobProgress first = firstOfPhase.computeIfAbsent(measure, key -> progress);
        if (terminal) {
            ProgressBar bar = bars.computeIfAbsent(measure, key -> bar(progress));
            bar.maxHint(progress.total());
            bar.stepTo(progress.done());
            bar.setExtraMessage(progress.detail());
            return;
        }
        Instant last = lastLine.get(measure);
        boolean phaseDone = progress.done() >= progress.total();
        if (last == null || phaseDone || Duration.between(last, progress.timestamp()).compareTo(LINE_INTERVAL) >= 0) {
            lastLine.put(measure, progress.timestamp());
            lines.println("  " + progress.phase().id() + ": " + amount(progress) + rate(first, progress)
                    + (progress.detail().isBlank() ? "" : "  " + progress.detail()));
            lines.flush();
        }
    }

    @Override
    public void close() {
        bars.values().forEach(ProgressBar::close);
    }

    private static ProgressBar bar(JobProgress progress) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(progress.phase().id())
                .setInitialMax(progress.total()).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)));
        if (BYTES.equals(progress.unit())) {
            builder.setUnit(" MiB", MIB).showSpeed();
        } else {
            builder.setUnit(" " + progress.unit(), 1);
        }
        return builder.build();
    }

    private static String amount(JobProgress progress) {
        return BYTES.equals(progress.unit())
                ? Units.bytes(progress.done()) + " of " + Units.bytes(progress.total())
                : progress.done() + " of " + progress.total() + " " + progress.unit();
    }

    private static String rate(JobProgress first, JobProgress now) {
        double seconds = Duration.between(first.timestamp(), now.timestamp()).toMillis() / 1000.0;
        if (!BYTES.equals(now.unit()) || seconds <= 0) {
            return "";
        }
        return " (" + Units.rate(now.done() - first.done(), seconds) + ")";
    }
}
