package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.TestDevice;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The sorted, chunked dispatch against the MoE written out plainly on the host: per token, softmax over the router's
 * logits, top-k, renormalised, and each chosen expert's MLP weighted into the output.
 */
class MoeBlockTest {
    private static final int TOKENS = 11;
    private static final int HIDDEN = 8;
    private static final int INTERMEDIATE = 4;
    private static final int EXPERTS = 6;
    private static final int TOP_K = 2;

    private final SplittableRandom random = new SplittableRandom(20261207L);
    private final float[][] x = matrix(TOKENS, HIDDEN, 1.0);
    private final float[][] router = matrix(EXPERTS, HIDDEN, 1.0);
    private final List<float[][]> gate = new ArrayList<>();
    private final List<float[][]> up = new ArrayList<>();
    private final List<float[][]> down = new ArrayList<>();

    MoeBlockTest() {
        for (int e = 0; e < EXPERTS; e++) {
            gate.add(matrix(INTERMEDIATE, HIDDEN, 0.5));
            up.add(matrix(INTERMEDIATE, HIDDEN, 0.5));
            down.add(matrix(HIDDEN, INTERMEDIATE, 0.5));
        }
    }

    /**
     * Two data sets: tokens [0, 7) audio, [7, 11) video; chunks of 3 never cross them; outputs gathered back 2 tokens
     * at a time, so that a chunk ends with a step of one.
     */
    @Test
    void chunkedDispatchEqualsThePlainMoeAndItsReapSumsPerSegment() {
        StreamLayout layout = new StreamLayout(List.of(
                new StreamLayout.SampleSpan("a", Modality.AUDIO, 0, 4),
                new StreamLayout.SampleSpan("b", Modality.AUDIO, 4, 3),
                new StreamLayout.SampleSpan("c", Modality.VIDEO, 7, 4)));
        Reference expected = new Reference(true);
        try (NDManager manager = TestDevice.newManager()) {
            FeedForwardResult result = block(manager, true, new MoeDispatch(3, 2, 1, 1))
                    .apply(create(manager, x), new DeviceLayout(layout, manager));

            assertClose(result.output().toFloatArray(), flatten(expected.output), 1e-5f);
            ExpertRouting routing = result.routing().orElseThrow();
            assertClose(routing.routerLogits().toFloatArray(), flatten(expected.logits), 1e-5f);
            assertThat(routing.chunks()).extracting(ExpertRouting.ExpertChunk::start).containsExactly(0, 3, 6, 7, 10);
            assertThat(routing.chunks()).extracting(ExpertRouting.ExpertChunk::end).containsExactly(3, 6, 7, 10, 11);
            for (int[] segment : new int[][] {{0, 7}, {7, 11}}) {
                long[] counts = new long[EXPERTS];
                double[] saliency = new double[EXPERTS];
                double[] gates = new double[EXPERTS];
                for (ExpertRouting.ExpertChunk chunk : routing.chunks()) {
                    if (chunk.start() >= segment[0] && chunk.end() <= segment[1]) {
                        double[] chunkSaliency = chunk.saliencySums().toDoubleArray();
                        double[] chunkGates = chunk.gateSums().toDoubleArray();
                        for (int e = 0; e < EXPERTS; e++) {
                            counts[e] += chunk.routedCounts()[e];
                            saliency[e] += chunkSaliency[e];
                            gates[e] += chunkGates[e];
                        }
                    }
                }
                Sums reference = expected.sums(segment[0], segment[1]);
                assertThat(counts).containsExactly(reference.counts);
                for (int e = 0; e < EXPERTS; e++) {
                    assertThat(saliency[e]).isCloseTo(reference.saliency[e], within(1e-5 * (1 + reference.saliency[e])));
                    assertThat(gates[e]).isCloseTo(reference.gates[e], within(1e-6));
                }
            }
        }
    }

    /**
     * As on a GPU: each expert's rows padded to a multiple of 2 and experts of one padded length run as one batched
     * product over their gathered weights; padding rows must change nothing.
     */
    @Test
    void paddedAndBatchedExpertsEqualThePlainMoe() {
        Reference expected = new Reference(true);
        MoeDispatch dispatch = new MoeDispatch(64, 64, 2, 16);
        ExpertRuns runs = dispatch.runs(expected.sums(0, TOKENS).counts);
        assertThat(runs.paddedTotal()).as("rows padded").isGreaterThan((long) TOKENS * TOP_K);
        assertThat(runs.buckets()).as("some bucket batches experts").anyMatch(bucket -> bucket.experts().length > 1);
        try (NDManager manager = TestDevice.newManager()) {
            FeedForwardResult result = block(manager, true, dispatch)
                    .apply(create(manager, x), singleSample(manager));
            assertClose(result.output().toFloatArray(), flatten(expected.output), 1e-5f);
            ExpertRouting.ExpertChunk chunk = result.routing().orElseThrow().chunks().get(0);
            double[] saliency = chunk.saliencySums().toDoubleArray();
            Sums reference = expected.sums(0, TOKENS);
            assertThat(chunk.routedCounts()).containsExactly(reference.counts);
            for (int e = 0; e < EXPERTS; e++) {
                assertThat(saliency[e]).isCloseTo(reference.saliency[e], within(1e-5 * (1 + reference.saliency[e])));
            }
        }
    }

    /**
     * A run keeps one layout for all its layers: each layer reuses the chunk indices the layout keeps, and nothing
     * that a layer makes from them stays with the layout.
     */
    @Test
    void layersSharingALayoutLeaveNothingWithIt() {
        try (NDManager layoutOwner = TestDevice.newManager(); NDManager layers = TestDevice.newManager()) {
            DeviceLayout layout = new DeviceLayout(StreamLayout.single("a", Modality.AUDIO, TOKENS), layoutOwner);
            MoeBlock block = block(layers, true, new MoeDispatch(3, 2, 1, 1));
            for (int layer = 0; layer < 3; layer++) {
                try (NDManager scratch = layers.newSubManager()) {
                    block.apply(create(scratch, x), layout);
                }
                assertThat(layoutOwner.getManagedArrays()).as("arrays kept with the layout after layer %d", layer)
                        .hasSize(1);
            }
        }
    }

    @Test
    void withoutRenormalisationTheWeightsAreTheSoftmaxProbabilities() {
        Reference expected = new Reference(false);
        try (NDManager manager = TestDevice.newManager()) {
            FeedForwardResult result = block(manager, false, new MoeDispatch(64, 64, 1, 1))
                    .apply(create(manager, x), singleSample(manager));
            assertClose(result.output().toFloatArray(), flatten(expected.output), 1e-5f);
            double[] gates = result.routing().orElseThrow().chunks().get(0).gateSums().toDoubleArray();
            Sums reference = expected.sums(0, TOKENS);
            for (int e = 0; e < EXPERTS; e++) {
                assertThat(gates[e]).isCloseTo(reference.gates[e], within(1e-6));
            }
        }
    }

    private MoeBlock block(NDManager manager, boolean renormalise, MoeDispatch dispatch) {
        NDList gateUps = new NDList();
        NDList downs = new NDList();
        for (int e = 0; e < EXPERTS; e++) {
            float[][] gateUp = new float[2 * INTERMEDIATE][];
            System.arraycopy(gate.get(e), 0, gateUp, 0, INTERMEDIATE);
            System.arraycopy(up.get(e), 0, gateUp, INTERMEDIATE, INTERMEDIATE);
            gateUps.add(create(manager, gateUp));
            downs.add(create(manager, down.get(e)));
        }
        return new MoeBlock(create(manager, router), NDArrays.stack(gateUps), NDArrays.stack(downs), TOP_K,
                renormalise, dispatch);
    }

    /** The plain MoE on the host, in double. */
    private final class Reference {
        final float[][] logits = new float[TOKENS][EXPERTS];
        final float[][] output = new float[TOKENS][HIDDEN];
        final int[][] chosen = new int[TOKENS][TOP_K];
        final double[][] weights = new double[TOKENS][TOP_K];
        final double[][] norms = new double[TOKENS][TOP_K];

        Reference(boolean renormalise) {
            for (int t = 0; t < TOKENS; t++) {
                double[] probabilities = new double[EXPERTS];
                double total = 0;
                for (int e = 0; e < EXPERTS; e++) {
                    logits[t][e] = (float) dot(router[e], x[t]);
                    probabilities[e] = Math.exp(logits[t][e]);
                    total += probabilities[e];
                }
                boolean[] taken = new boolean[EXPERTS];
                double chosenTotal = 0;
                for (int slot = 0; slot < TOP_K; slot++) {
                    int best = -1;
                    for (int e = 0; e < EXPERTS; e++) {
                        if (!taken[e] && (best < 0 || probabilities[e] > probabilities[best])) {
                            best = e;
                        }
                    }
                    taken[best] = true;
                    chosen[t][slot] = best;
                    weights[t][slot] = probabilities[best] / total;
                    chosenTotal += weights[t][slot];
                }
                for (int slot = 0; slot < TOP_K; slot++) {
                    if (renormalise) {
                        weights[t][slot] /= chosenTotal;
                    }
                    double[] f = expert(chosen[t][slot], x[t]);
                    double norm = 0;
                    for (int h = 0; h < HIDDEN; h++) {
                        output[t][h] += (float) (weights[t][slot] * f[h]);
                        norm += f[h] * f[h];
                    }
                    norms[t][slot] = Math.sqrt(norm);
                }
            }
        }

        Sums sums(int start, int end) {
            Sums sums = new Sums();
            for (int t = start; t < end; t++) {
                for (int slot = 0; slot < TOP_K; slot++) {
                    int e = chosen[t][slot];
                    sums.counts[e]++;
                    sums.saliency[e] += weights[t][slot] * norms[t][slot];
                    sums.gates[e] += weights[t][slot];
                }
            }
            return sums;
        }

        private double[] expert(int e, float[] input) {
            double[] hidden = new double[INTERMEDIATE];
            for (int i = 0; i < INTERMEDIATE; i++) {
                double g = dot(gate.get(e)[i], input);
                hidden[i] = g / (1 + Math.exp(-g)) * dot(up.get(e)[i], input);
            }
            double[] out = new double[HIDDEN];
            for (int h = 0; h < HIDDEN; h++) {
                for (int i = 0; i < INTERMEDIATE; i++) {
                    out[h] += down.get(e)[h][i] * hidden[i];
                }
            }
            return out;
        }
    }

    private static final class Sums {
        final long[] counts = new long[EXPERTS];
        final double[] saliency = new double[EXPERTS];
        final double[] gates = new double[EXPERTS];
    }

    private float[][] matrix(int rows, int columns, double scale) {
        float[][] values = new float[rows][columns];
        for (float[] row : values) {
            for (int i = 0; i < columns; i++) {
                row[i] = (float) (scale * random.nextDouble(-1, 1));
            }
        }
        return values;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static NDArray create(NDManager manager, float[][] values) {
        return manager.create(flatten(values), new Shape(values.length, values[0].length));
    }

    private static float[] flatten(float[][] values) {
        float[] flat = new float[values.length * values[0].length];
        for (int row = 0; row < values.length; row++) {
            System.arraycopy(values[row], 0, flat, row * values[0].length, values[0].length);
        }
        return flat;
    }

    private static void assertClose(float[] actual, float[] expected, float tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(tolerance));
        }
    }

    private static DeviceLayout singleSample(NDManager manager) {
        return new DeviceLayout(StreamLayout.single("a", Modality.AUDIO, TOKENS), manager);
    }
}
