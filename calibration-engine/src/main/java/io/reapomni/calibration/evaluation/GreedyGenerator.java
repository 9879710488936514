package io.reapomni.calibration.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.reapomni.calibration.model.DecoderLayer;
import io.reapomni.calibration.model.DeviceLayout;
import io.reapomni.calibration.model.KeyValueCache;
import io.reapomni.calibration.model.PositionIds;
import io.reapomni.calibration.model.RotaryEmbedding;
import io.reapomni.calibration.model.StreamLayout;
import io.reapomni.calibration.model.ThinkerHead;
import io.reapomni.calibration.model.ThinkerLoader;
import io.reapomni.calibration.model.TokenEmbedding;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Greedy continuation of every sample at once, as transformers' {@code generate} without sampling: the first new
 * token is the argmax of the prompt's last logits; each further one runs the previous token of every unfinished
 * sample, as one batch, through every layer, attending to that sample's cached keys and values, and takes the argmax
 * of the head's logits. A sample stops after an end-of-sequence id. The caches are made in the first pass from the
 * stream that entered each layer during the prompt pass ({@link PromptStates}), so the prompt runs through the layers
 * once. Prompts hold text and audio only: their positions are 0..T-1 on every M-RoPE axis, and new token k (from 0)
 * sits at T + k.
 */
final class GreedyGenerator {
    private final ThinkerLoader thinker;
    private final TokenEmbedding embedding;
    private final EndOfSequence eos;

    GreedyGenerator(ThinkerLoader thinker, EndOfSequence eos) throws IOException {
        this.thinker = thinker;
        this.embedding = thinker.embedding();
        this.eos = eos;
    }

    /** What was generated for one sample, and whether it ended at an end-of-sequence id. */
    record Generated(List<Integer> tokenIds, boolean stoppedAtEos) {
    }

    /**
     * @param samples  the prompt pass's states; their layer inputs are freed as the caches are made
     * @param device   a manager on the compute device for this model's generation
     * @param listener told each step and each layer of it, prefixed with {@code role}
     */
    List<Generated> generate(List<PromptStates.SampleState> samples, ThinkerHead head, GenerationLayers layers,
                             NDManager device, int tokens, EvaluationListener listener, String role)
            throws IOException {
        List<List<Integer>> generated = new ArrayList<>();
        boolean[] stopped = new boolean[samples.size()];
        long[] first = firstTokens(samples, head, device);
        List<Integer> active = new ArrayList<>();
        for (int sample = 0; sample < samples.size(); sample++) {
            int token = Math.toIntExact(first[sample]);
            generated.add(new ArrayList<>(List.of(token)));
            stopped[sample] = eos.isEnd(token);
            if (!stopped[sample]) {
                active.add(sample);
            }
        }
        if (tokens > 1 && !active.isEmpty()) {
            try (NDManager cacheManager = device.newSubManager()) {
                List<List<KeyValueCache>> caches = new ArrayList<>(Collections.nCopies(samples.size(), null));
                for (int step = 1; step < tokens && !active.isEmpty(); step++) {
                    List<Integer> running = List.copyOf(active);
                    listener.step(role + ": token " + (step + 1) + " of " + tokens + " for " + running.size()
                            + " samples");
                    long[] next = step(samples, running, generated, caches, step, head, layers, device, cacheManager,
                            listener);
                    for (int i = 0; i < running.size(); i++) {
                        int sample = running.get(i);
                        int token = Math.toIntExact(next[i]);
                        generated.get(sample).add(token);
                        if (eos.isEnd(token)) {
                            stopped[sample] = true;
                            active.remove(Integer.valueOf(sample));
                            caches.get(sample).forEach(KeyValueCache::close);
                        }
                    }
                }
            }
        }
        List<Generated> result = new ArrayList<>();
        for (int sample = 0; sample < samples.size(); sample++) {
            result.add(new Generated(generated.get(sample), stopped[sample]));
        }
        return result;
    }

    /** The argmax of the head at each prompt's last position. */
    private static long[] firstTokens(List<PromptStates.SampleState> samples, ThinkerHead head, NDManager device) {
        try (NDManager scope = device.newSubManager()) {
            NDList lastRows = new NDList();
            for (PromptStates.SampleState sample : samples) {
                try (NDArray last = sample.finalHidden().get(new NDIndex("{}:{}", sample.tokens() - 1,
                        sample.tokens()))) {
                    lastRows.add(onDevice(last, scope));
                }
            }
            NDArray hidden = lastRows.size() == 1 ? lastRows.singletonOrThrow() : NDArrays.concat(lastRows, 0);
            return head.logits(hidden).argMax(-1).toLongArray();
        }
    }

    /** Runs the last token of every running sample through all layers and returns each one's next token. */
    private long[] step(List<PromptStates.SampleState> samples, List<Integer> running, List<List<Integer>> generated,
                        List<List<KeyValueCache>> caches, int step, ThinkerHead head, GenerationLayers layers,
                        NDManager device, NDManager cacheManager, EvaluationListener listener) throws IOException {
        int layerCount = thinker.config().numHiddenLayers();
        boolean makeCaches = step == 1;
        int count = running.size();
        int[] ids = new int[count];
        float[] positions = new float[count];
        List<String> sampleIds = new ArrayList<>();
        int[] ones = new int[count];
        for (int i = 0; i < count; i++) {
            int sample = running.get(i);
            List<Integer> tokens = generated.get(sample);
            ids[i] = tokens.get(tokens.size() - 1);
            positions[i] = samples.get(sample).tokens() + step - 1;
            sampleIds.add(samples.get(sample).id());
            ones[i] = 1;
            if (makeCaches) {
                caches.set(sample, new ArrayList<>());
            }
        }
        StreamLayout layout = StreamLayout.of(sampleIds,
                running.stream().map(sample -> samples.get(sample).modality()).toList(), ones);
        try (NDManager stepScope = device.newSubManager()) {
            DeviceLayout stepLayout = new DeviceLayout(layout, stepScope);
            NDArray[] hidden = {embedding.embed(stepScope, ids)};
            RotaryEmbedding rope = thinker.rope(stepScope, new PositionIds(positions, positions, positions));
            layers.pass(layer -> {
                try (NDManager layerScope = stepScope.newSubManager()) {
                    if (makeCaches) {
                        for (int sample : running) {
                            caches.get(sample).add(promptCache(samples.get(sample), layer, layerScope, cacheManager));
                        }
                    }
                    NDArray input = hidden[0];
                    input.attach(layerScope);
                    List<KeyValueCache> layerCaches = running.stream()
                            .map(sample -> caches.get(sample).get(layer.index())).toList();
                    NDArray output = layer.decode(input, rope, stepLayout, layerCaches);
                    output.attach(stepScope);
                    hidden[0] = output;
                }
                listener.layerDone(layer.index() + 1, layerCount, count);
            });
            return head.logits(hidden[0]).argMax(-1).toLongArray();
        }
    }

    /** The cache of {@code sample}'s prompt at {@code layer}; the prompt's stream entering that layer is then freed. */
    private KeyValueCache promptCache(PromptStates.SampleState sample, DecoderLayer layer, NDManager layerScope,
                                      NDManager cacheManager) {
        NDArray input = onDevice(sample.layerInput(layer.index()), layerScope);
        RotaryEmbedding rope = thinker.rope(layerScope, PositionIds.sequential(sample.tokens()));
        KeyValueCache cache = layer.cache(input, rope, cacheManager);
        sample.releaseLayerInput(layer.index());
        return cache;
    }

    /** A copy of a host array on {@code scope}'s device, owned by {@code scope}. */
    private static NDArray onDevice(NDArray onHost, NDManager scope) {
        NDArray copy = onHost.toDevice(scope.getDevice(), true);
        copy.attach(scope);
        return copy;
    }
}
