package io.reapomni.scoring;

import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.job.Modality;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Calibration statistics for the fixture model (6 MoE layers of 8 experts), as a calibration worker publishes them.
 */
public final class StatsDocuments {
    static final int LAYERS = 6;

    private StatsDocuments() {
    }

    /**
     * One task's audio statistics: {@code samples} samples of {@code tokens} tokens, and in every layer each expert
     * routed once with saliency sum {@code saliency[e]}.
     */
    public static CalibrationStats audio(long samples, long tokens, double... saliency) {
        long[] routedOnce = new long[saliency.length];
        Arrays.fill(routedOnce, 1);
        double[] gateWeights = new double[saliency.length];
        Arrays.fill(gateWeights, 0.5);
        List<ExpertLayerStats> experts = IntStream.range(0, LAYERS)
                .mapToObj(layer -> new ExpertLayerStats(layer, saliency, routedOnce, gateWeights)).toList();
        return CalibrationStats.of(Modality.AUDIO, new ModalityStats(samples, tokens, List.of(), experts, List.of()));
    }

    /** Audio statistics of a task whose samples were all skipped. */
    public static CalibrationStats allSkipped(String sampleId, String reason) {
        return CalibrationStats.of(Modality.AUDIO, ModalityStats.empty().withSkipped(new SkippedSample(sampleId, reason)));
    }

    public static CalibrationStatsReported task(String jobId, String taskId, int tasks, CalibrationStats stats) {
        return new CalibrationStatsReported(jobId, JobEvent.SCHEMA_VERSION, Instant.now(), taskId, tasks, stats);
    }
}
