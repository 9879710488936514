package io.reapomni.calibration;

import io.reapomni.calibration.data.CalibrationData;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.data.CalibrationDataLoader;
import io.reapomni.calibration.data.MediaLimits;
import io.reapomni.calibration.data.ModelConfigs;
import io.reapomni.calibration.data.ModelTokenizer;
import io.reapomni.calibration.data.SampleProblem;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.calibration.model.LayerByLayerRunner;
import io.reapomni.calibration.model.RunReport;
import io.reapomni.calibration.model.ThinkerInput;
import io.reapomni.calibration.stats.CalibrationObserver;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Calibration of one model, local or in S3: prepares each data set's samples, runs them all through the thinker
 * layer by layer in one pass (each layer's weights read once), and returns the statistics of every data set with the
 * samples it skipped and why; or runs one task's share of several calibration files ({@link CalibrationSlice}), for
 * calibration spread over workers. Holds the model's tokenizer and the weight reader's threads and buffers: close
 * it. The model's store stays the caller's.
 */
public final class Calibration implements AutoCloseable {
    private final ModelConfig config;
    private final WeightStager weights;
    private final CalibrationDataLoader loader;
    private final MediaLimits limits;

    private Calibration(ModelConfig config, WeightStager weights, CalibrationDataLoader loader, MediaLimits limits) {
        this.config = config;
        this.weights = weights;
        this.loader = loader;
        this.limits = limits;
    }

    /**
     * Reads the model's tokenizer.json, its checkpoint (config.json, safetensors index and shard headers, each once)
     * and its video processor config.
     *
     * @throws CalibrationDataException when the model has no usable tokenizer, config or checkpoint
     * @throws IOException              when the checkpoint's weights cannot be found or read
     */
    public static Calibration open(ObjectStore model) throws CalibrationDataException, IOException {
        return open(model, MediaLimits.DEFAULTS);
    }

    /** As {@link #open(ObjectStore)}, with each sample's media bounded by {@code limits}. */
    public static Calibration open(ObjectStore model, MediaLimits limits) throws CalibrationDataException,
            IOException {
        // The tokenizer first: a model folder without one is a data problem, named before any shard is read.
        ModelTokenizer tokenizer = ModelTokenizer.load(model);
        Checkpoint checkpoint;
        try {
            checkpoint = ModelConfigs.openCheckpoint(model);
        } catch (CalibrationDataException | IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        CalibrationDataLoader loader = CalibrationDataLoader.forModel(model, checkpoint.config(), tokenizer, limits);
        try {
            return new Calibration(checkpoint.config(),
                    WeightStager.besideCompute(CheckpointWeightSource.of(model, checkpoint)), loader, limits);
        } catch (RuntimeException e) {
            loader.close();
            throw e;
        }
    }

    /**
     * @throws CalibrationDataException when a data file cannot be read, or no data set has a single usable sample
     * @throws IOException              when the model's weights cannot be read
     */
    public CalibrationResult run(CalibrationRun request, CalibrationListener listener)
            throws CalibrationDataException, IOException {
        List<ThinkerInput> inputs = new ArrayList<>();
        CalibrationStats skipped = CalibrationStats.empty();
        for (Map.Entry<Modality, Path> dataSet : request.dataFiles().entrySet()) {
            listener.preparing(dataSet.getKey());
            CalibrationData data = loader.load(dataSet.getValue(), dataSet.getKey(), request.samplesPerModality());
            listener.prepared(dataSet.getKey(), data);
            data.samples().stream().map(SampleInputs::toThinkerInput).forEach(inputs::add);
            skipped = skipped.plus(CalibrationStats.of(dataSet.getKey(),
                    skippedStats(dataSet.getValue().getFileName().toString(), data.skipped())));
        }
        if (inputs.isEmpty()) {
            throw new CalibrationDataException("no usable calibration sample in " + request.dataFiles().values()
                    + ": " + skippedCount(skipped) + " skipped, none used");
        }
        return runAll(inputs, skipped, request.compute(), listener);
    }

    /**
     * Runs one task's share of its calibration files as one unit, so that every layer is read once for all of them:
     * downloads the media its samples name into a temporary folder, prepares every sample of every slice and runs
     * the usable ones. A share without a usable sample is no error here: its statistics report every sample as
     * skipped, and whoever merges the tasks decides.
     *
     * @throws CalibrationDataException when a file cannot be read
     * @throws IOException              when the model's weights or the media's store cannot be read
     */
    public CalibrationResult run(List<CalibrationSlice> slices, ComputeOptions compute, CalibrationListener listener)
            throws CalibrationDataException, IOException {
        Path staging = Files.createTempDirectory("reap-calibration-media-");
        try {
            List<ThinkerInput> inputs = new ArrayList<>();
            CalibrationStats skipped = CalibrationStats.empty();
            for (CalibrationSlice slice : slices) {
                listener.preparing(slice.dataSet());
                CalibrationData data = loader.prepareAll(SampleInputs.read(slice, staging, limits.maxMediaBytes()));
                listener.prepared(slice.dataSet(), data);
                data.samples().stream().map(SampleInputs::toThinkerInput).forEach(inputs::add);
                skipped = skipped.plus(CalibrationStats.of(slice.dataSet(),
                        skippedStats(slice.file(), data.skipped())));
            }
            if (inputs.isEmpty()) {
                return new CalibrationResult(skipped, RunReport.empty());
            }
            return runAll(inputs, skipped, compute, listener);
        } finally {
            TemporaryFolder.delete(staging);
        }
    }

    private CalibrationResult runAll(List<ThinkerInput> inputs, CalibrationStats skippedBeforehand,
                                     ComputeOptions compute, CalibrationListener listener) throws IOException {
        try (CalibrationObserver observer = new CalibrationObserver(compute.device().toDjl())) {
            RunReport report = new LayerByLayerRunner(weights, config, compute).run(inputs, observer, listener);
            CalibrationStats stats = skippedBeforehand.plus(observer.statistics());
            for (RunReport.SkippedInput skipped : report.skipped()) {
                stats = stats.plus(CalibrationStats.of(skipped.input().modality(), ModalityStats.empty()
                        .withSkipped(new SkippedSample(skipped.input().id(), skipped.reason()))));
            }
            return new CalibrationResult(stats, report);
        }
    }

    /** Lines without an id are named by their place in the file, so that every skipped line can be found. */
    private static ModalityStats skippedStats(String file, List<SampleProblem> problems) {
        return new ModalityStats(0, 0, SampleInputs.skipped(file, problems), List.of(), List.of());
    }

    private static long skippedCount(CalibrationStats stats) {
        return stats.modalities().values().stream().mapToLong(modality -> modality.skipped().size()).sum();
    }

    @Override
    public void close() {
        try {
            loader.close();
        } finally {
            weights.close();
        }
    }
}
