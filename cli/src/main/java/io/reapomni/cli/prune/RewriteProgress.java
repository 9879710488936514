package io.reapomni.cli.prune;

import io.reapomni.common.format.Units;
import io.reapomni.common.rewrite.ManifestEntry;
import io.reapomni.common.rewrite.RewriteListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Shows a rewrite's progress on stderr: a bar of bytes written with the rate when stderr is a terminal, and with
 * --verbose one line per file written.
 */
final class RewriteProgress implements RewriteListener, AutoCloseable {
    private static final long MIB = 1L << 20;

    private final PrintWriter err;
    private final boolean verbose;
    private Optional<ProgressBar> bar = Optional.empty();

    private RewriteProgress(PrintWriter err, boolean verbose) {
        this.err = err;
        this.verbose = verbose;
    }

    static RewriteProgress start(PrintWriter err, boolean verbose) {
        return new RewriteProgress(err, verbose);
    }

    @Override
    public void started(int files, long totalBytes) {
        if (System.console() != null) {
            bar = Optional.of(new ProgressBarBuilder().setTaskName("writing").setInitialMax(totalBytes)
                    .setUnit(" MiB", MIB).showSpeed().setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true))).build());
        }
    }

    @Override
    public void streamed(long bytes) {
        bar.ifPresent(progress -> progress.stepBy(bytes));
    }

    @Override
    public void copiedInPlace(long bytes) {
        bar.ifPresent(progress -> progress.stepBy(bytes));
    }

    @Override
    public void fileWritten(ManifestEntry file) {
        if (verbose) {
            err.printf("  wrote %-40s %12s  sha256 %s%n", file.path(), Units.bytes(file.size()), file.sha256());
            err.flush();
        }
    }

    /** A file an interrupted run of the job already wrote: its bytes count as done. */
    @Override
    public void fileKept(ManifestEntry file) {
        bar.ifPresent(progress -> progress.stepBy(file.size()));
        if (verbose) {
            err.printf("  kept  %-40s %12s  sha256 %s (written by the interrupted run)%n", file.path(),
                    Units.bytes(file.size()), file.sha256());
            err.flush();
        }
    }

    @Override
    public void close() {
        bar.ifPresent(ProgressBar::close);
    }
}
