package io.reapomni.calibration.evaluation;

import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.CalibrationSlice;
import io.reapomni.calibration.SampleInputs;
import io.reapomni.calibration.TemporaryFolder;
import io.reapomni.calibration.data.CalibrationData;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.data.CalibrationDataLoader;
import io.reapomni.calibration.data.MediaLimits;
import io.reapomni.calibration.data.ModelTokenizer;
import io.reapomni.calibration.model.ComputePrecision;
import io.reapomni.calibration.model.RunReport;
import io.reapomni.calibration.model.ThinkerHead;
import io.reapomni.calibration.model.ThinkerInput;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.evaluation.Continuation;
import io.reapomni.common.evaluation.ConversionLossByModel;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The quality of a pruned model against its original (DESIGN.md, Quality of the result): samples of a JSONL file,
 * prepared as calibration prepares them, run teacher-forced through each model in turn, layer by layer (each model's
 * final hidden states kept in host memory), then compared position by position through both heads, chunk by chunk;
 * and a short greedy continuation from each model after each sample. Both models may be local or in S3; the pruned
 * one must be derived from the original ({@link DerivedModel}). Holds both models' weight readers and the original's
 * tokenizer: close it. The stores stay the caller's.
 */
public final class Evaluation implements AutoCloseable {

    private final EvaluatedModel original;
    private final EvaluatedModel pruned;
    private final CalibrationDataLoader loader;
    private final ModelTokenizer tokenizer;
    private final MediaLimits limits;

    private Evaluation(EvaluatedModel original, EvaluatedModel pruned, CalibrationDataLoader loader,
                       ModelTokenizer tokenizer, MediaLimits limits) {
        this.original = original;
        this.pruned = pruned;
        this.loader = loader;
        this.tokenizer = tokenizer;
        this.limits = limits;
    }

    /**
     * Reads both models' configs, tokenizers and safetensors indexes, and checks that the pruned one is derived from
     * the original.
     *
     * @throws ModelMismatchException   when it is not
     * @throws CalibrationDataException when a model has no usable config or tokenizer
     * @throws IOException              when a model's files cannot be read
     */
    public static Evaluation open(ObjectStore originalStore, ObjectStore prunedStore)
            throws ModelMismatchException, CalibrationDataException, IOException {
        return open(originalStore, prunedStore, MediaLimits.DEFAULTS);
    }

    /** As {@link #open(ObjectStore, ObjectStore)}, with each sample's media bounded by {@code limits}. */
    public static Evaluation open(ObjectStore originalStore, ObjectStore prunedStore, MediaLimits limits)
            throws ModelMismatchException, CalibrationDataException, IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            EvaluatedModel original = track(opened, EvaluatedModel.open("original", originalStore));
            EvaluatedModel pruned = track(opened, EvaluatedModel.open("pruned", prunedStore));
            // the original's tokenizer.json and config.json are read once: for the check, the prompts and decoding
            byte[] tokenizerJson = ModelTokenizer.readBytes(originalStore);
            String tokenizerName = ModelTokenizer.nameIn(originalStore);
            ModelTokenizer tokenizer = track(opened, ModelTokenizer.fromBytes(tokenizerJson, tokenizerName));
            DerivedModel.check(original.config(), pruned.config(), tokenizerJson,
                    ModelTokenizer.readIfPresent(prunedStore));
            CalibrationDataLoader loader = CalibrationDataLoader.forModel(originalStore, original.config(),
                    ModelTokenizer.fromBytes(tokenizerJson, tokenizerName), limits);
            return new Evaluation(original, pruned, loader, tokenizer, limits);
        } catch (ModelMismatchException | CalibrationDataException | IOException | RuntimeException e) {
            for (AutoCloseable resource : opened) {
                try {
                    resource.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Evaluates the samples of {@code data} (its data set decides nothing here: every line is a prompt). Lines that
     * cannot be used are reported as skipped, as calibration reports them; so are samples with a video (evaluation
     * runs on text and audio) and samples of one token (nothing to predict).
     *
     * @throws CalibrationDataException when the data file cannot be read
     * @throws IOException              when a model's weights or the data's media cannot be read
     */
    public QualityReport run(CalibrationSlice data, EvaluationOptions options, EvaluationListener listener)
            throws CalibrationDataException, IOException {
        List<SkippedSample> skipped = new ArrayList<>();
        List<ThinkerInput> inputs = prepare(data, skipped);
        Compared compared = new Compared(List.of(), ConversionLossByModel.NONE); // no weights were placed
        if (!inputs.isEmpty()) {
            try (EvaluatedModel.Outputs fromOriginal = original.run(inputs, options, listener);
                 EvaluatedModel.Outputs fromPruned = pruned.run(inputs, options, listener)) {
                compared = compare(inputs, fromOriginal, fromPruned, options, listener, skipped);
            }
        }
        return QualityReport.of(original.store().location().toString(), pruned.store().location().toString(),
                data.folder().location() + "/" + data.file(), data.range().first(), data.range().count(),
                options.generateTokens(), compared.samples(), skipped, compared.conversionLoss());
    }

    /** Each sample's quality, and what converting each model's weights could not keep. */
    private record Compared(List<SampleQuality> samples, ConversionLossByModel conversionLoss) {
    }

    private List<ThinkerInput> prepare(CalibrationSlice data, List<SkippedSample> skipped)
            throws CalibrationDataException, IOException {
        Path staging = Files.createTempDirectory("reap-evaluation-media-");
        CalibrationData prepared;
        try {
            prepared = loader.prepareAll(SampleInputs.read(data, staging, limits.maxMediaBytes()));
        } finally {
            TemporaryFolder.delete(staging);
        }
        skipped.addAll(SampleInputs.skipped(data.file(), prepared.skipped()));
        List<ThinkerInput> inputs = new ArrayList<>();
        for (ThinkerInput input : prepared.samples().stream().map(SampleInputs::toThinkerInput).toList()) {
            if (input.video().isPresent()) {
                skipped.add(new SkippedSample(input.id(), "it has a video: evaluation runs on text and audio"
                        + " samples"));
            } else if (input.tokenIds().length < 2) {
                skipped.add(new SkippedSample(input.id(), "it has one token: there is no next token to predict"));
            } else {
                inputs.add(input);
            }
        }
        return inputs;
    }

    /**
     * Pairs each input's states from both runs, then compares them through both heads; and counts what converting
     * each model's weights could not keep.
     */
    private Compared compare(List<ThinkerInput> inputs, EvaluatedModel.Outputs fromOriginal,
                             EvaluatedModel.Outputs fromPruned, EvaluationOptions options, EvaluationListener listener,
                             List<SkippedSample> skipped) throws IOException {
        Map<ThinkerInput, Integer> originalIndex = usable(inputs, fromOriginal.run());
        Map<ThinkerInput, Integer> prunedIndex = usable(inputs, fromPruned.run());
        report(fromOriginal.run(), "the original model", skipped);
        report(fromPruned.run(), "the pruned model", skipped);
        List<PromptStates.SampleState> originalStates = fromOriginal.states().samples();
        List<PromptStates.SampleState> prunedStates = fromPruned.states().samples();
        listener.step("comparing both models' next-token distributions over " + originalStates.size() + " samples");
        List<SampleQuality> samples = new ArrayList<>();
        try (NDManager device = NDManager.newBaseManager(options.compute().device().toDjl())) {
            ThinkerHead originalHead = original.head(device, options);
            ThinkerHead prunedHead = pruned.head(device, options);
            for (ThinkerInput input : inputs) {
                Integer inOriginal = originalIndex.get(input);
                Integer inPruned = prunedIndex.get(input);
                if (inOriginal == null || inPruned == null) {
                    continue;
                }
                QualityMetrics.Sums sums = QualityMetrics.compare(input.tokenIds(),
                        originalStates.get(inOriginal).finalHidden(), prunedStates.get(inPruned).finalHidden(),
                        originalHead, prunedHead, id -> !tokenizer.isSpecial(id), device);
                Optional<String> notFinite = sums.notFinite();
                if (notFinite.isPresent()) {
                    skipped.add(new SkippedSample(input.id(), notFinite.get() + overflowHint(options)));
                    continue;
                }
                samples.add(new SampleQuality(input.id(), input.tokenIds().length, sums.positions(),
                        sums.textPositions(), sums.klMean(), sums.klMax(), sums.top1Agreement(), sums.ceOriginal(),
                        sums.cePruned(), continuation(fromOriginal, inOriginal),
                        continuation(fromPruned, inPruned)));
            }
            // each weight counted once: the prompt pass placed every decoder layer and the media towers its samples
            // needed, once each (generation places the same layers again); the heads, in float32, lose nothing
            return new Compared(samples, new ConversionLossByModel(fromOriginal.run().conversionLoss(),
                    fromPruned.run().conversionLoss()));
        }
    }

    /** In float16 the likely cause of a distribution that is not finite, and the way around it. */
    private static String overflowHint(EvaluationOptions options) {
        return options.compute().precision() == ComputePrecision.FLOAT16
                ? ": float16 could not hold the activations; evaluating in float32 may compute them" : "";
    }

    /** Each input that went through every layer, by its place among the run's samples. */
    private static Map<ThinkerInput, Integer> usable(List<ThinkerInput> inputs, RunReport run) {
        Map<ThinkerInput, Boolean> skippedInputs = new IdentityHashMap<>();
        run.skipped().forEach(skipped -> skippedInputs.put(skipped.input(), true));
        Map<ThinkerInput, Integer> index = new IdentityHashMap<>();
        for (ThinkerInput input : inputs) {
            if (!skippedInputs.containsKey(input)) {
                index.put(input, index.size());
            }
        }
        return index;
    }

    /** A sample one model could not run is not compared; the other's reason is the same or none. */
    private static void report(RunReport run, String model, List<SkippedSample> skipped) {
        for (RunReport.SkippedInput input : run.skipped()) {
            if (skipped.stream().noneMatch(sample -> sample.id().equals(input.input().id()))) {
                skipped.add(new SkippedSample(input.input().id(), model + " could not run it: " + input.reason()));
            }
        }
    }

    private Continuation continuation(EvaluatedModel.Outputs outputs, int sample) {
        if (outputs.generated().isEmpty()) {
            return new Continuation(List.of(), "", false);
        }
        GreedyGenerator.Generated generated = outputs.generated().get(sample);
        int[] ids = generated.tokenIds().stream().mapToInt(Integer::intValue).toArray();
        return new Continuation(generated.tokenIds(), tokenizer.decode(ids), generated.stoppedAtEos());
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void close() {
        try {
            loader.close();
            tokenizer.close();
        } finally {
            original.close();
            pruned.close();
        }
    }
}
