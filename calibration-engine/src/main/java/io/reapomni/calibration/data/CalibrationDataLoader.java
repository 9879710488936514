package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioFeatureReader;
import io.reapomni.calibration.video.VideoPatchReader;
import io.reapomni.calibration.video.VideoProcessing;
import io.reapomni.calibration.vision.VisionConfig;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.ObjectStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Loads calibration JSONL files for one model: reads each line, prepares samples in file order until the sample
 * limit ({@code --calibration-samples}) is reached, and reports every skipped line before that point. Lines after
 * the limit are neither used nor reported. Owns the model's tokenizer: close it.
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
        ModelConfig config = ModelConfigs.read(model);
        VideoProcessing video = VideoProcessorConfig.read(model, visionConfig(config));
        return forModel(config, ModelTokenizer.load(model), video);
    }

    /** A loader over an already loaded config and tokenizer; the loader takes the tokenizer over. */
    public static CalibrationDataLoader forModel(ModelConfig config, ModelTokenizer tokenizer, VideoProcessing video)
            throws CalibrationDataException {
        try {
            int vocabSize = config.stack(MoeStack.THINKER).vocabSize();
            PromptLayout layout = new PromptLayout(tokenizer, SpecialTokenIds.resolve(config, tokenizer), vocabSize,
                    video.mergeSize());
            return new CalibrationDataLoader(tokenizer,
                    new SamplePreparer(layout, new AudioFeatureReader(), new VideoPatchReader(video)));
        } catch (CalibrationDataException e) {
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

    /** The samples of {@code jsonl}, the calibration data of {@code dataSet}, up to {@code sampleLimit} used ones. */
    public CalibrationData load(Path jsonl, Modality dataSet, int sampleLimit) throws CalibrationDataException {
        if (sampleLimit < 1) {
            throw new IllegalArgumentException("the sample limit must be at least 1, not " + sampleLimit);
        }
        return prepare(CalibrationSampleReader.read(jsonl, dataSet), sampleLimit);
    }

    /** Prepares every sample of {@code lines} and reports every line that cannot be used: a task's share of a file. */
    public CalibrationData prepareAll(CalibrationLines lines) {
        return prepare(lines, Integer.MAX_VALUE);
    }

    private CalibrationData prepare(CalibrationLines lines, int sampleLimit) {
        List<PreparedSample> prepared = new ArrayList<>();
        List<SampleProblem> skipped = new ArrayList<>();
        int lastLineConsidered = Integer.MAX_VALUE;
        for (CalibrationSample sample : lines.samples()) {
            try {
                prepared.add(preparer.prepare(sample));
            } catch (SampleRejectedException e) {
                skipped.add(new SampleProblem(Optional.of(sample.id()), sample.line(), e.getMessage()));
            }
            if (prepared.size() == sampleLimit) {
                lastLineConsidered = sample.line();
                break;
            }
        }
        int limitLine = lastLineConsidered;
        lines.problems().stream().filter(problem -> problem.line() <= limitLine).forEach(skipped::add);
        skipped.sort(Comparator.comparingInt(SampleProblem::line));
        return new CalibrationData(prepared, skipped);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
