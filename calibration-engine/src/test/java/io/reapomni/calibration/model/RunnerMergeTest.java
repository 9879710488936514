package io.reapomni.calibration.model;

import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.stats.CalibrationObserver;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.reapomni.calibration.StatisticsAssert.assertSameStatistics;
import static org.assertj.core.api.Assertions.assertThat;

class RunnerMergeTest {
    /** Relative: float32 products whose rounding depends on how many rows they have (see below). */
    private static final double FLOAT32_PRODUCTS = 1e-6;

    /**
     * One unit, the same samples split over two units (two workers, or one worker's unit split in two), and one unit
     * streamed in batches of a few samples give the same statistics. Sums are float64 and merge exactly; what differs
     * is float32 rounding inside the matrix products, whose kernels (MKL, cuBLAS) are chosen by the number of rows: a
     * token's output can differ in the last bit when its product has 3 rows instead of 24 (the fixture's experts see a
     * handful of tokens). Measured: up to 3e-8 relative on this fixture; the bound leaves room for other kernels.
     */
    @Test
    void oneUnitTwoUnitsAndSmallBatchesGiveTheSameStatistics() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        ThinkerInput text = new ThinkerInput("t", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty(), Optional.empty());
        ThinkerInput audio = new ThinkerInput("a", Modality.AUDIO, fixture.tokenIds("audio"),
                Optional.of(fixture.audioFeatures()), Optional.empty());
        ThinkerInput mixedText = new ThinkerInput("m", Modality.MIXED, fixture.tokenIds("text"), Optional.empty(), Optional.empty());
        ThinkerInput textAgain = new ThinkerInput("t2", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty(),
                Optional.empty());
        List<ThinkerInput> all = List.of(text, audio, mixedText, textAgain);

        CalibrationStats union = statistics(fixture, TestDevice.float32(), all);
        CalibrationStats first = statistics(fixture, TestDevice.float32(), List.of(text, audio));
        CalibrationStats second = statistics(fixture, TestDevice.float32(), List.of(mixedText, textAgain));
        ComputeOptions smallBatches = new ComputeOptions(TestDevice.device(), ComputePrecision.FLOAT32, 32);
        CalibrationStats batched = statistics(fixture, smallBatches, all);

        assertSameStatistics(first.plus(second), union, FLOAT32_PRODUCTS);
        assertSameStatistics(batched, union, FLOAT32_PRODUCTS);
        assertThat(union.modalities().keySet()).containsExactly("audio", "mixed");
        assertThat(union.modalities().get("audio").samples()).isEqualTo(3);
        assertThat(union.modalities().get("audio").tokens()).isEqualTo(24 + 31 + 24);
        assertThat(CalibrationStats.fromJson(union.toJson())).isEqualTo(union);
    }

    private static CalibrationStats statistics(TinyFixture fixture, ComputeOptions options, List<ThinkerInput> inputs)
            throws IOException {
        try (CalibrationObserver observer = new CalibrationObserver(options.device().toDjl())) {
            RunReport report = new LayerByLayerRunner(fixture.stager, fixture.config, options)
                    .run(inputs, observer, ProgressListener.NONE);
            assertThat(report.skipped()).isEmpty();
            assertThat(report.layers()).hasSize(6);
            assertThat(report.stagingMemory().isPresent()).as("staging memory reported on a GPU only")
                    .isEqualTo(options.device() == ComputeDevice.GPU);
            long tokens = inputs.stream().mapToLong(input -> input.tokenIds().length).sum();
            assertThat(report.hostStream().isPresent()).as("a stream kept in host memory is said on a GPU, when the"
                    + " tokens exceed its batch").isEqualTo(options.device() == ComputeDevice.GPU
                    && tokens > options.deviceTokens());
            report.hostStream().ifPresent(stream -> {
                assertThat(stream.tokens()).isEqualTo(tokens);
                assertThat(stream.deviceTokens()).isEqualTo(options.deviceTokens());
                assertThat(stream.batches()).isGreaterThan(1);
            });
            return observer.statistics();
        }
    }

    @Test
    void promptWhosePadRunDoesNotMatchTheAudioIsSkippedWithAReason() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        int[] ids = fixture.tokenIds("audio");
        int[] shortened = Arrays.copyOf(ids, ids.length - 1);
        int audioPad = fixture.config.at("/thinker_config/audio_token_id").asInt();
        // drop one pad: move the tail left over the first pad
        int firstPad = 0;
        while (ids[firstPad] != audioPad) {
            firstPad++;
        }
        System.arraycopy(ids, firstPad + 1, shortened, firstPad, ids.length - firstPad - 1);
        ThinkerInput bad = new ThinkerInput("bad", Modality.AUDIO, shortened, Optional.of(fixture.audioFeatures()), Optional.empty());
        ThinkerInput good = new ThinkerInput("good", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty(), Optional.empty());

        RunReport report;
        ModalityStats stats;
        try (CalibrationObserver observer = new CalibrationObserver(TestDevice.device().toDjl())) {
            report = new LayerByLayerRunner(fixture.stager, fixture.config, TestDevice.float32())
                    .run(List.of(bad, good), observer, ProgressListener.NONE);
            stats = observer.statistics().modalities().get("audio");
        }

        assertThat(stats.samples()).isEqualTo(1);
        assertThat(report.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.input().id()).isEqualTo("bad");
            assertThat(skipped.reason()).isEqualTo("the prompt has 17 <audio_pad> tokens but the audio encodes to 18");
        });
    }

    @Test
    void videoSamplesAreEncodedAndAVideoWhosePadsDoNotMatchIsSkipped() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        int[] ids = fixture.tokenIds("video");
        ThinkerInput video = new ThinkerInput("v", Modality.VIDEO, ids, Optional.empty(),
                Optional.of(fixture.videoPatches(1.0f)));
        ThinkerInput shortened = new ThinkerInput("short", Modality.VIDEO, Arrays.copyOfRange(ids, 1, ids.length),
                Optional.empty(), Optional.of(fixture.videoPatches(1.0f)));
        int[] onePadLess = withoutFirst(ids, fixture.config.at("/thinker_config/video_token_id").asInt());
        ThinkerInput bad = new ThinkerInput("bad", Modality.VIDEO, onePadLess, Optional.empty(),
                Optional.of(fixture.videoPatches(1.0f)));

        RunReport report;
        ModalityStats stats;
        try (CalibrationObserver observer = new CalibrationObserver(TestDevice.device().toDjl())) {
            report = new LayerByLayerRunner(fixture.stager, fixture.config, TestDevice.float32())
                    .run(List.of(video, bad, shortened), observer, ProgressListener.NONE);
            stats = observer.statistics().modalities().get("video");
        }

        assertThat(stats.samples()).isEqualTo(2);
        assertThat(stats.tokens()).isEqualTo(21 + 20);
        assertThat(stats.experts()).hasSize(6);
        assertThat(report.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.input().id()).isEqualTo("bad");
            assertThat(skipped.reason()).isEqualTo("the prompt has 7 <video_pad> tokens but the video encodes to 8");
        });
    }

    private static int[] withoutFirst(int[] ids, int token) {
        int first = 0;
        while (ids[first] != token) {
            first++;
        }
        int[] shorter = new int[ids.length - 1];
        System.arraycopy(ids, 0, shorter, 0, first);
        System.arraycopy(ids, first + 1, shorter, first, ids.length - first - 1);
        return shorter;
    }
}
