package io.reapomni.calibration;

import io.reapomni.calibration.data.CalibrationData;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.data.CalibrationDataLoader;
import io.reapomni.calibration.data.MediaRun;
import io.reapomni.calibration.data.ModelConfigs;
import io.reapomni.calibration.data.ModelTokenizer;
import io.reapomni.calibration.data.PreparedSample;
import io.reapomni.calibration.data.SampleProblem;
import io.reapomni.calibration.data.VideoProcessorConfig;
import io.reapomni.calibration.model.LayerByLayerRunner;
import io.reapomni.calibration.model.ThinkerInput;
import io.reapomni.calibration.stats.CalibrationStats;
import io.reapomni.calibration.stats.ModalityStats;
import io.reapomni.calibration.stats.SkippedSample;
import io.reapomni.calibration.video.VideoProcessing;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Calibration of one model, local or in S3: prepares each data set's samples, runs them all through the thinker
 * layer by layer in one pass, and returns the statistics of every data set with the samples it skipped and why.
 * Holds the model's tokenizer: close it. The model's store stays the caller's.
 */
public final class Calibration implements AutoCloseable {
    private final ModelConfig config;
    private final CheckpointWeightSource weights;
    private final CalibrationDataLoader loader;

    private Calibration(ModelConfig config, CheckpointWeightSource weights, CalibrationDataLoader loader) {
        this.config = config;
        this.weights = weights;
        this.loader = loader;
    }

    /**
     * Reads the model's config.json, video processor config, tokenizer.json and safetensors index.
     *
     * @throws CalibrationDataException when the model has no usable config or tokenizer
     * @throws IOException              when the checkpoint's weights cannot be found or read
     */
    public static Calibration open(ObjectStore model) throws CalibrationDataException, IOException {
        ModelConfig config = ModelConfigs.read(model);
        VideoProcessing video = VideoProcessorConfig.read(model, CalibrationDataLoader.visionConfig(config));
        CheckpointWeightSource weights = CheckpointWeightSource.open(model);
        return new Calibration(config, weights,
                CalibrationDataLoader.forModel(config, ModelTokenizer.load(model), video));
    }

    /**
     * @throws CalibrationDataException when a data file cannot be read, or no data set has a single usable sample
     * @throws IOException              when the model's weights cannot be read
     */
    public CalibrationStats run(CalibrationRequest request, CalibrationListener listener)
            throws CalibrationDataException, IOException {
        List<ThinkerInput> inputs = new ArrayList<>();
        CalibrationStats skipped = CalibrationStats.empty();
        for (Map.Entry<Modality, Path> dataSet : request.dataFiles().entrySet()) {
            listener.preparing(dataSet.getKey());
            CalibrationData data = loader.load(dataSet.getValue(), dataSet.getKey(), request.samplesPerModality());
            listener.prepared(dataSet.getKey(), data);
            data.samples().stream().map(Calibration::toThinkerInput).forEach(inputs::add);
            skipped = skipped.plus(CalibrationStats.of(dataSet.getKey().id(),
                    skippedStats(dataSet.getValue(), data.skipped())));
        }
        if (inputs.isEmpty()) {
            throw new CalibrationDataException("no usable calibration sample in " + request.dataFiles().values()
                    + ": " + skippedCount(skipped) + " skipped, none used");
        }
        return skipped.plus(new LayerByLayerRunner(weights, config, request.compute()).run(inputs, listener));
    }

    private static ThinkerInput toThinkerInput(PreparedSample sample) {
        return new ThinkerInput(sample.id(), sample.modality(), sample.inputIds(), sample.audio().map(MediaRun::media),
                sample.video().map(MediaRun::media));
    }

    /** Lines without an id are named by their place in the file, so that every skipped line can be found. */
    private static ModalityStats skippedStats(Path file, List<SampleProblem> problems) {
        List<SkippedSample> skipped = problems.stream()
                .map(problem -> new SkippedSample(
                        problem.id().orElse(file.getFileName() + ":" + problem.line()),
                        file.getFileName() + " line " + problem.line() + ": " + problem.reason()))
                .toList();
        return new ModalityStats(0, 0, skipped, List.of(), List.of());
    }

    private static long skippedCount(CalibrationStats stats) {
        return stats.modalities().values().stream().mapToLong(modality -> modality.skipped().size()).sum();
    }

    @Override
    public void close() {
        loader.close();
    }
}
