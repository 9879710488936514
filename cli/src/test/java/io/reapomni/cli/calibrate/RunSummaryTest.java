package io.reapomni.cli.calibrate;

import io.reapomni.calibration.CalibrationResult;
import io.reapomni.calibration.model.LayerCost;
import io.reapomni.calibration.model.RunReport;
import io.reapomni.calibration.weights.StageCost;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ConversionLoss;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What float16 could not keep is summed over the decoder layers and the media towers that a run loaded; a stream
 * that did not fit the device batch is said, with the batch that would have held it.
 */
class RunSummaryTest {

    @Test
    void theFloat16LineCountsTheLayersAndTheTowers() {
        List<LayerCost> layers = List.of(layer(0, new ConversionLoss(1, 0)), layer(1, new ConversionLoss(0, 4)));
        String summary = summary(new RunReport(List.of(), layers, new ConversionLoss(3, 2), Optional.empty(),
                Optional.empty()));

        assertThat(summary).contains("weights: 2 layers read once each")
                .contains("float16: 4 weights beyond float16's range clamped to ±65504, 6 weights below float16's"
                        + " smallest value flushed to zero");
    }

    @Test
    void theTowersLossIsShownWhenNoLayerRan() {
        String summary = summary(new RunReport(List.of(), List.of(), new ConversionLoss(2, 0), Optional.empty(),
                Optional.empty()));

        assertThat(summary).doesNotContain("layers read once each")
                .contains("float16: 2 weights beyond float16's range clamped to ±65504, 0 weights below");
    }

    @Test
    void aRunThatLostNothingHasNoFloat16Line() {
        List<LayerCost> layers = List.of(layer(0, ConversionLoss.NONE));
        String summary = summary(new RunReport(List.of(), layers, ConversionLoss.NONE, Optional.empty(),
                Optional.empty()));

        assertThat(summary).contains("weights: 1 layers read once each").doesNotContain("float16:");
    }

    @Test
    void aStreamKeptInHostMemoryIsSaidWithTheDeviceBatchThatWouldHaveHeldIt() {
        List<LayerCost> layers = List.of(layer(0, ConversionLoss.NONE));
        String summary = summary(new RunReport(List.of(), layers, ConversionLoss.NONE, Optional.of("pinned"),
                Optional.of(new RunReport.HostStream(100_000, 2, 65_536))));

        assertThat(summary).contains("  the stream's 100,000 tokens were more than the device batch of 65,536: they"
                + " were kept in host memory in 2 batches and copied to the GPU and back at every layer;"
                + " --device-batch 100000 or more keeps it on the GPU, where it has the memory");
    }

    @Test
    void aStreamOnTheDeviceIsNotMentioned() {
        String summary = summary(new RunReport(List.of(), List.of(layer(0, ConversionLoss.NONE)),
                ConversionLoss.NONE, Optional.of("pinned"), Optional.empty()));

        assertThat(summary).doesNotContain("host memory");
    }

    private static LayerCost layer(int index, ConversionLoss loss) {
        return new LayerCost(index, new StageCost(1024, 0.1, 0.1, loss), 0.1, 0, 0.5, 10);
    }

    private static String summary(RunReport run) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            RunSummary.print(out, new CalibrationResult(CalibrationStats.empty(), run), 1.0);
        }
        return text.toString();
    }
}
