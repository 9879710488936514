package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.ReferenceSums;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.stats.CalibrationObserver;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** float16 weights and products: the same computation, to float16's precision. */
class HalfPrecisionRunTest {
    private static final Logger LOG = LoggerFactory.getLogger(HalfPrecisionRunTest.class);


    @Test
    void float16LayerStaysCloseToTheFloat32Reference() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        ThinkerLoader loader = new ThinkerLoader(fixture.stager, fixture.config.stack(MoeStack.THINKER),
                ComputePrecision.FLOAT16);
        try (NDManager manager = TestDevice.newManager()) {
            NDArray input = manager.create(fixture.floats("text.layer0.in"), new Shape(fixture.shape("text.layer0.in")));
            DecoderLayer layer = loader.layer(manager, 0);
            assertThat(layer.attention().queryProjection().weight().getDataType()).isEqualTo(DataType.FLOAT16);
            int length = Math.toIntExact(input.getShape().get(0));
            LayerResult result = layer.apply(input, loader.rope(manager, PositionIds.sequential(length)),
                    new DeviceLayout(StreamLayout.single("text", Modality.AUDIO, length), manager));
            assertThat(result.hidden().getDataType()).isEqualTo(DataType.FLOAT32);
            float error = TinyFixture.maxAbsDiff(result.hidden().toFloatArray(), fixture.floats("text.layer1.in"));
            LOG.debug(String.format(Locale.ROOT, "float16 layer 0 output: max abs error %.3g", error));
            assertThat(error).isLessThan(1e-2f);
        }
    }

    /**
     * A whole float16 run routes every token of the fixture's text and audio inputs to the experts transformers
     * routed it to in float32, and its saliency sums stay within 1e-2 relative.
     */
    @ParameterizedTest
    @ValueSource(strings = {"text", "audio"})
    void float16RunRoutesLikeTheFloat32Reference(String prefix) throws IOException {
        TinyFixture fixture = TinyFixture.load();
        ThinkerInput input = new ThinkerInput(prefix, Modality.AUDIO, fixture.tokenIds(prefix),
                prefix.equals("audio") ? Optional.of(fixture.audioFeatures()) : Optional.empty(), Optional.empty());
        ModalityStats stats;
        try (CalibrationObserver observer = new CalibrationObserver(TestDevice.device().toDjl())) {
            RunReport report = new LayerByLayerRunner(fixture.stager, fixture.config,
                    new ComputeOptions(TestDevice.device(), ComputePrecision.FLOAT16))
                    .run(List.of(input), observer, ProgressListener.NONE);
            assertThat(report.conversionLoss().clamped()).isZero();
            stats = observer.statistics().modalities().get("audio");
        }
        double worst = 0;
        for (ExpertLayerStats layer : stats.experts()) {
            worst = Math.max(worst, ReferenceSums.check(fixture.reference, prefix + ".layer" + layer.layer(), layer,
                    1e-2));
        }
        LOG.debug(String.format(Locale.ROOT,
                "float16 %s run: routed counts identical, saliency sums max relative error %.3g", prefix,
                worst));
    }
}
