package io.reapomni.cli.calibrate;

import io.reapomni.cli.benchmark.HeapPeak;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.format.Units;

import java.io.PrintWriter;
import java.util.Map;

/** The lines a calibration run ends with: what each data set used and skipped, throughput and peak memory. */
final class RunSummary {
    /** Beyond this many, skipped samples are left to the statistics file. */
    private static final int SKIPPED_SHOWN = 20;

    private RunSummary() {
    }

    static void print(PrintWriter out, CalibrationStats stats, double wallSeconds) {
        long tokens = 0;
        int shown = 0;
        for (Map.Entry<String, ModalityStats> entry : stats.modalities().entrySet()) {
            ModalityStats modality = entry.getValue();
            tokens += modality.tokens();
            out.printf("  %-6s %d samples used, %d skipped, %s tokens%n", entry.getKey(), modality.samples(),
                    modality.skipped().size(), Units.count(modality.tokens()));
            for (SkippedSample skipped : modality.skipped()) {
                if (shown++ < SKIPPED_SHOWN) {
                    out.printf("         skipped %s: %s%n", skipped.id(), skipped.reason());
                }
            }
        }
        if (shown > SKIPPED_SHOWN) {
            out.printf("         ... and %d more skipped samples, listed in the statistics file%n",
                    shown - SKIPPED_SHOWN);
        }
        out.printf("  wall time %.1f s, %.1f tokens/s%n", wallSeconds, tokens / wallSeconds);
        printMemory(out);
    }

    static void printMemory(PrintWriter out) {
        out.printf("  peak Java heap %s, peak process RSS %s%n", Units.bytes(HeapPeak.bytes()),
                PeakRss.bytes().stream().mapToObj(Units::bytes).findFirst().orElse("unknown (no /proc)"));
    }
}
