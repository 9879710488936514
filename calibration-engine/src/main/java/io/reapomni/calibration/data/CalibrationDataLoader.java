package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioFeatureReader;
import io.reapomni.calibration.video.VideoPatchReader;
import io.reapomni.calibration.video.VideoProcessing;
import io.reapomni.calibration.vision.VisionConfig;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleLines;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.storage.ObjectStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Loads calibration JSONL files for one model: reads the first samples of a file up to the sample limit
 * ({@code --calibration-samples}), counted by the rule of {@link SampleLines} (every non-blank line, usable or not),
 * prepares the usable ones and reports the others as skipped. Samples after the limit are neither used nor reported,
 * so a direct calibration and one fanned out over tasks see the same samples. Owns the model's tokenizer: close it.
 */
public final class CalibrationDataLoader implements AutoCloseable {
    private final ModelTokenizer tokenizer;
    private final SamplePreparer preparer;

    private CalibrationDataLoader(ModelTokenizer tokenizer, SamplePreparer preparer) {
        this.tokenizer = tokenizer;
        this.preparer = preparer;
    }

    /**
     * A loader for the model in {@code model} (a local folder or an S3 prefix), which must hold {@code config.json}
     * and {@code tokenizer.json}, and may hold the video processor's config ({@link VideoProcessorConfig}).
     */
    public static CalibrationDataLoader forModel(ObjectStore model) throws CalibrationDataException {
        return forModel(model, MediaLimits.DEFAULTS);
    }

    /** As {@link #forModel(ObjectStore)}, with each sample's media bounded by {@code limits}. */
    public static CalibrationDataLoader forModel(ObjectStore model, MediaLimits limits)
            throws CalibrationDataException {
        return forModel(model, ModelConfigs.read(model), ModelTokenizer.load(model), limits);
    }

    /**
     * A loader for the model in {@code model} whose config and tokenizer are loaded already (the video processor's
     * config is read from {@code model}), its samples' media bounded by {@code limits}; the loader takes the
     * tokenizer over, and closes it when it cannot be made.
     */
    public static CalibrationDataLoader forModel(ObjectStore model, ModelConfig config, ModelTokenizer tokenizer,
                                                 MediaLimits limits) throws CalibrationDataException {
        try {
            VideoProcessing video = VideoProcessorConfig.read(model, visionConfig(config));
            int vocabSize = config.stack(MoeStack.THINKER).vocabSize();
            PromptLayout layout = new PromptLayout(tokenizer, SpecialTokenIds.resolve(config, tokenizer), vocabSize,
                    video.mergeSize());
            return new CalibrationDataLoader(tokenizer,
                    new SamplePreparer(layout, new AudioFeatureReader(limits.maxAudio()),
                            new VideoPatchReader(video, limits.maxVideoFrames(), limits.toolTimeout())));
        } catch (CalibrationDataException | RuntimeException e) {
            tokenizer.close();
            throw e;
        } catch (CheckpointException e) {
            tokenizer.close();
            throw new CalibrationDataException("cannot use the model's config.json: " + e.getMessage(), e);
        }
    }

    public static VisionConfig visionConfig(ModelConfig config) throws CalibrationDataException {
        try {
            return VisionConfig.of(config);
        } catch (CheckpointException e) {
            throw new CalibrationDataException("cannot use the model's config.json: " + e.getMessage(), e);
        }
    }

    /**
     * The first {@code sampleLimit} samples of {@code jsonl} (non-blank lines, usable or not), the calibration data of
     * {@code dataSet}: the usable ones prepared, the others reported.
     */
    public CalibrationData load(Path jsonl, Modality dataSet, int sampleLimit) throws CalibrationDataException {
        if (sampleLimit < 1) {
            throw new IllegalArgumentException("the sample limit must be at least 1, not " + sampleLimit);
        }
        return prepareAll(CalibrationSampleReader.read(jsonl, dataSet, new SampleRange(0, sampleLimit)));
    }

    /** Prepares every sample of {@code lines} and reports every line that cannot be used: a task's share of a file. */
    public CalibrationData prepareAll(CalibrationLines lines) {
        List<PreparedSample> prepared = new ArrayList<>();
        List<SampleProblem> skipped = new ArrayList<>(lines.problems());
        for (CalibrationSample sample : lines.samples()) {
            try {
                prepared.add(preparer.prepare(sample));
            } catch (SampleRejectedException e) {
                skipped.add(new SampleProblem(Optional.of(sample.id()), sample.line(), e.getMessage()));
            }
        }
        skipped.sort(Comparator.comparingInt(SampleProblem::line));
        return new CalibrationData(prepared, skipped);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
