package io.reapomni.calibration.evaluation;

import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.calibration.model.ComputePrecision;
import io.reapomni.calibration.weights.PlantedValues;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.AudioLayerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.DecoderModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.VisionBlockModule;
import io.reapomni.common.evaluation.ConversionLossByModel;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.reapomni.calibration.weights.PlantedValues.HUGE;
import static io.reapomni.calibration.weights.PlantedValues.HUGER;
import static io.reapomni.calibration.weights.PlantedValues.HUGEST;
import static io.reapomni.calibration.weights.PlantedValues.TINIER;
import static io.reapomni.calibration.weights.PlantedValues.TINY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An evaluation reports, per model, what converting its weights into float16 could not keep: every weight it used
 * counted once, although generation places the decoder layers again for every new token (here none stays resident).
 * The "pruned" model is a copy of the fixture with bf16 values planted beyond and below float16's range in a tensor
 * of the audio tower (which the audio sample loads), of a decoder layer, of the head, and of the vision tower (which
 * an evaluation of text and audio never loads); the fixture's own weights all fit float16 (TowerConversionLossTest),
 * so what the report counts is what the test planted in what the evaluation loaded. The head is kept in float32:
 * it loses nothing, and the logits its planted values give are huge but finite, so the metrics are numbers.
 */
class EvaluationConversionLossTest {
    private static final PlantedValues AUDIO_TOWER = new PlantedValues(
            Qwen3OmniLayout.audioLayer(0, AudioLayerModule.FC2).weight(), new float[] {HUGE, HUGEST},
            new float[] {TINY});
    /** Only values that become zero: huge ones would flood the decoder's attention with infinities. */
    private static final PlantedValues DECODER_LAYER = new PlantedValues(
            Qwen3OmniLayout.decoder(MoeStack.THINKER, 2, DecoderModule.Q_PROJ).weight(), new float[0],
            new float[] {TINY, TINIER, TINY});
    private static final PlantedValues LM_HEAD = new PlantedValues(Qwen3OmniLayout.LM_HEAD,
            new float[] {HUGER, HUGE, HUGEST, HUGER}, new float[] {TINIER, TINY});
    private static final PlantedValues VISION_TOWER = new PlantedValues(
            Qwen3OmniLayout.visionBlock(0, VisionBlockModule.FC2).weight(), new float[] {HUGE},
            new float[] {TINY, TINY, TINY, TINY, TINY});

    @TempDir
    static Path folder;

    private static Path data;
    private static Path planted;

    @BeforeAll
    static void plantedCopyOfTheFixture() throws Exception {
        data = ReferenceInputs.write(folder.resolve("data"));
        planted = PlantedValues.copy(TinyQwen3Omni.model(), folder.resolve("planted"),
                List.of(AUDIO_TOWER, DECODER_LAYER, LM_HEAD, VISION_TOWER));
    }

    @Test
    void inFloat16EachModelReportsWhatItsOwnWeightsLostEachWeightOnce() throws Exception {
        QualityReport report = evaluate(ComputePrecision.FLOAT16);

        assertThat(report.samples()).extracting(SampleQuality::id).containsExactly("text", "audio");
        assertThat(report.samples()).allSatisfy(sample ->
                assertThat(sample.generatedPruned().tokenIds()).hasSize(3));
        // 2 beyond and 1 below in the audio tower, 3 below in a layer; none of the head's
        ConversionLoss expected = new ConversionLoss(2, 1 + 3);
        assertThat(expected).isEqualTo(AUDIO_TOWER.loss().plus(DECODER_LAYER.loss()));
        assertThat(report.conversionLoss()).contains(new ConversionLossByModel(ConversionLoss.NONE, expected));
        assertThat(report.samples()).allSatisfy(sample -> {
            assertThat(sample.klMean()).isFinite().isPositive();
            assertThat(sample.klMax()).isFinite();
            assertThat(sample.ceOriginal().orElse(0)).isFinite();
            assertThat(sample.cePruned().orElse(0)).isFinite();
        });
    }

    @Test
    void inFloat32NothingIsLost() throws Exception {
        QualityReport report = evaluate(ComputePrecision.FLOAT32);

        assertThat(report.samples()).hasSize(2);
        assertThat(report.conversionLoss()).contains(ConversionLossByModel.NONE);
    }

    /** The planted copy against the fixture, 3 greedy tokens, no decoder layer kept on the device between them. */
    private static QualityReport evaluate(ComputePrecision precision) throws Exception {
        return ReferenceInputs.evaluate(TinyQwen3Omni.model(), planted, data, 2,
                new EvaluationOptions(3, new ComputeOptions(TestDevice.device(), precision), 0));
    }
}
