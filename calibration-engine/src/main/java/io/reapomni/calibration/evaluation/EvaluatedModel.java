package io.reapomni.calibration.evaluation;

import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.data.ModelConfigs;
import io.reapomni.calibration.model.LayerByLayerRunner;
import io.reapomni.calibration.model.RunReport;
import io.reapomni.calibration.model.ThinkerHead;
import io.reapomni.calibration.model.ThinkerInput;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.util.List;

/**
 * One of the two models of an evaluation: its config, its end-of-sequence ids and a reader of its weights. Runs its
 * prompt pass (layer by layer, as calibration does) and its greedy generation. The store stays the caller's.
 */
final class EvaluatedModel implements AutoCloseable {
    private final String role;
    private final ObjectStore store;
    private final ModelConfig config;
    private final EndOfSequence eos;
    private final WeightStager stager;

    /**
     * What one model's run left: the states of its usable samples, their continuations, and the prompt pass's
     * report: what it skipped, and what converting the weights it placed (every decoder layer and the media towers
     * its samples needed, once each) could not keep.
     */
    record Outputs(PromptStates states, List<GreedyGenerator.Generated> generated, RunReport run)
            implements AutoCloseable {
        @Override
        public void close() {
            states.close();
        }
    }

    private EvaluatedModel(String role, ObjectStore store, ModelConfig config, EndOfSequence eos,
                           WeightStager stager) {
        this.role = role;
        this.store = store;
        this.config = config;
        this.eos = eos;
        this.stager = stager;
    }

    /** @param role "original" or "pruned", for messages and progress */
    static EvaluatedModel open(String role, ObjectStore store) throws CalibrationDataException, IOException {
        Checkpoint checkpoint = ModelConfigs.openCheckpoint(store);
        EndOfSequence eos = EndOfSequence.read(store);
        WeightStager stager = WeightStager.besideCompute(CheckpointWeightSource.of(store, checkpoint));
        return new EvaluatedModel(role, store, checkpoint.config(), eos, stager);
    }

    String role() {
        return role;
    }

    ObjectStore store() {
        return store;
    }

    ModelConfig config() {
        return config;
    }

    /** The final norm and lm_head, in float32 on {@code manager}'s device. */
    ThinkerHead head(NDManager manager, EvaluationOptions options) throws IOException {
        return runner(options).thinker().head(manager);
    }

    /** The prompt pass over {@code inputs}, then greedy generation of {@code options.generateTokens()}. */
    Outputs run(List<ThinkerInput> inputs, EvaluationOptions options, EvaluationListener listener)
            throws IOException {
        LayerByLayerRunner runner = runner(options);
        int layers = runner.thinker().config().numHiddenLayers();
        long tokens = inputs.stream().mapToLong(input -> input.tokenIds().length).sum();
        listener.step(role + ": prompt pass over " + inputs.size() + " samples (" + tokens + " tokens, " + layers
                + " layers)");
        PromptStates states = new PromptStates(layers, options.generateTokens() > 1);
        try {
            RunReport run = runner.run(inputs, states, listener);
            List<PromptStates.SampleState> samples = states.samples();
            if (options.generateTokens() == 0 || samples.isEmpty()) {
                return new Outputs(states, List.of(), run);
            }
            listener.step(role + ": greedy generation of " + options.generateTokens() + " tokens for "
                    + samples.size() + " samples");
            try (NDManager device = NDManager.newBaseManager(options.compute().device().toDjl());
                 GenerationLayers generation = new GenerationLayers(stager, runner.thinker(), device,
                         options.residentBytes())) {
                ThinkerHead head = runner.thinker().head(device);
                List<GreedyGenerator.Generated> generated = new GreedyGenerator(runner.thinker(), eos)
                        .generate(samples, head, generation, device, options.generateTokens(), listener, role);
                return new Outputs(states, generated, run);
            }
        } catch (IOException | RuntimeException | Error e) {
            states.close();
            throw e;
        }
    }

    private LayerByLayerRunner runner(EvaluationOptions options) throws IOException {
        try {
            return new LayerByLayerRunner(stager, config, options.compute());
        } catch (CheckpointException e) {
            throw new IOException("the " + role + " model's config cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        stager.close();
    }
}
