package io.reapomni.cli.calibrate;

import io.reapomni.calibration.CalibrationResult;
import io.reapomni.calibration.model.LayerCost;
import io.reapomni.calibration.model.RunReport;
import io.reapomni.calibration.weights.StageCost;
import io.reapomni.cli.benchmark.HeapPeak;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.format.Units;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * The lines a calibration run ends with: what each data set used and skipped, where the time of the layers went,
 * what float16 could not hold, throughput and peak memory.
 */
final class RunSummary {
    /** Beyond this many, skipped samples are left to the statistics file. */
    private static final int SKIPPED_SHOWN = 20;

    private RunSummary() {
    }

    static void print(PrintWriter out, CalibrationResult result, double wallSeconds) {
        CalibrationStats stats = result.statistics();
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
        printWeights(out, result.run());
        out.printf("  wall time %.1f s, %.1f tokens/s%n", wallSeconds, tokens / wallSeconds);
        printMemory(out);
    }

    /**
     * Layers read once each, and where their time went; what converting the run's weights (the decoder layers' and
     * the media towers') to float16 could not keep, even when every sample was skipped after the towers were loaded.
     */
    private static void printWeights(PrintWriter out, RunReport run) {
        List<LayerCost> layers = run.layers();
        if (!layers.isEmpty()) {
            StageCost staging = layers.stream().map(LayerCost::staging).reduce(StageCost.NONE, StageCost::plus);
            out.printf("  weights: %d layers read once each, %s; reading %.1f s, decoding %.1f s and placing on the "
                            + "device %.1f s (behind the computation), waited for %.1f s; computing %.1f s%n",
                    layers.size(), Units.bytes(staging.bytes()), staging.readSeconds(), staging.decodeSeconds(),
                    layers.stream().mapToDouble(LayerCost::placeSeconds).sum(),
                    layers.stream().mapToDouble(LayerCost::waitSeconds).sum(),
                    layers.stream().mapToDouble(LayerCost::computeSeconds).sum());
            run.stagingMemory().ifPresent(state -> out.printf("  staging memory %s%n", state));
        }
        printHostStream(out, run);
        if (!run.conversionLoss().isNone()) {
            out.printf("  float16: %s%n", run.conversionLoss().describe());
        }
    }

    /** Where the stream did not fit the device batch, so and what to do about it. */
    static void printHostStream(PrintWriter out, RunReport run) {
        run.hostStream().ifPresent(stream -> out.printf("  %s; --device-batch %d or more keeps it on the GPU, where it"
                + " has the memory%n", stream.describe(), stream.tokens()));
    }

    static void printMemory(PrintWriter out) {
        out.printf("  peak Java heap %s, peak process RSS %s%n", Units.bytes(HeapPeak.bytes()),
                PeakRss.bytes().stream().mapToObj(Units::bytes).findFirst().orElse("unknown (no /proc)"));
    }
}
