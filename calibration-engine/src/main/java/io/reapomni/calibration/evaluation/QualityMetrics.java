package io.reapomni.calibration.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.model.OwnedArrays;
import io.reapomni.calibration.model.ThinkerHead;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.IntPredicate;

/**
 * The teacher-forced comparison of two models on one sample, from their final hidden states: at every position p of
 * 0..n-2, both heads' log-probabilities over the vocabulary, in float32 as transformers computes them, give
 * KL(P_original ‖ P_pruned), whether the argmaxes agree and, where x[p+1] is ordinary text, each model's
 * cross-entropy of it. Logits over the whole vocabulary exist for a chunk of positions at a time
 * ({@link #CHUNK_BYTES}), so that memory stays bounded whatever the sample's length; the sums are float64. Positions
 * where a model's distribution is not finite (its activations overflowed) are counted, so that a sample with any is
 * reported instead of compared.
 */
final class QualityMetrics {
    /** The float32 logits and log-probabilities of both models for one chunk of positions stay below this. */
    static final long CHUNK_BYTES = 256L << 20;

    /**
     * The sums over a sample's positions.
     *
     * @param nonFiniteOriginal positions where the original's log-probabilities hold a NaN or an infinity
     * @param nonFinitePruned   the same for the pruned model
     */
    record Sums(int positions, int textPositions, double klSum, double klMax, int agreements, double ceOriginalSum,
                double cePrunedSum, int nonFiniteOriginal, int nonFinitePruned) {

        /** Why the sums cannot be used, when a model's distribution was not finite somewhere. */
        Optional<String> notFinite() {
            if (nonFiniteOriginal == 0 && nonFinitePruned == 0) {
                return Optional.empty();
            }
            return Optional.of("the next-token distributions are not finite (NaN or infinite) at "
                    + nonFiniteOriginal + " of its " + positions + " positions under the original model and "
                    + nonFinitePruned + " under the pruned one");
        }

        double klMean() {
            return klSum / positions;
        }

        double top1Agreement() {
            return (double) agreements / positions;
        }

        OptionalDouble ceOriginal() {
            return textPositions == 0 ? OptionalDouble.empty() : OptionalDouble.of(ceOriginalSum / textPositions);
        }

        OptionalDouble cePruned() {
            return textPositions == 0 ? OptionalDouble.empty() : OptionalDouble.of(cePrunedSum / textPositions);
        }
    }

    private QualityMetrics() {
    }

    /**
     * @param tokenIds      the sample's n tokens
     * @param original      the original's final hidden states [n, hidden] (anywhere; copied to the device by chunks)
     * @param pruned        the pruned model's
     * @param isText        whether a token id is ordinary text, whose cross-entropy counts
     * @param device        a manager on the compute device, where both heads live
     */
    static Sums compare(int[] tokenIds, NDArray original, NDArray pruned, ThinkerHead originalHead,
                        ThinkerHead prunedHead, IntPredicate isText, NDManager device) {
        int positions = tokenIds.length - 1;
        long vocabulary = originalHead.lmHead().outFeatures();
        int chunk = (int) Math.max(1, Math.min(positions, CHUNK_BYTES / (6L * vocabulary * Float.BYTES)));
        double klSum = 0;
        double klMax = 0;
        int agreements = 0;
        int textPositions = 0;
        double ceOriginal = 0;
        double cePruned = 0;
        int nonFiniteOriginal = 0;
        int nonFinitePruned = 0;
        for (int first = 0; first < positions; first += chunk) {
            int end = Math.min(positions, first + chunk);
            try (NDManager scope = device.newSubManager()) {
                NDArray logOriginal = logProbabilities(originalHead, original, first, end, scope);
                NDArray logPruned = logProbabilities(prunedHead, pruned, first, end, scope);
                nonFiniteOriginal += notFiniteRows(logOriginal);
                nonFinitePruned += notFiniteRows(logPruned);
                float[] kl = logOriginal.exp().mul(logOriginal.sub(logPruned)).sum(new int[] {-1}).toFloatArray();
                for (float value : kl) {
                    klSum += value;
                    klMax = Math.max(klMax, value);
                }
                boolean[] agree = logOriginal.argMax(-1).eq(logPruned.argMax(-1)).toBooleanArray();
                for (boolean same : agree) {
                    agreements += same ? 1 : 0;
                }
                long[] next = new long[end - first];
                for (int p = first; p < end; p++) {
                    next[p - first] = tokenIds[p + 1];
                }
                NDArray targets = OwnedArrays.longs(scope, next).reshape(new Shape(next.length, 1));
                float[] originalTarget = logOriginal.gather(targets, 1).toFloatArray();
                float[] prunedTarget = logPruned.gather(targets, 1).toFloatArray();
                for (int p = first; p < end; p++) {
                    if (isText.test(tokenIds[p + 1])) {
                        textPositions++;
                        ceOriginal -= originalTarget[p - first];
                        cePruned -= prunedTarget[p - first];
                    }
                }
            }
        }
        return new Sums(positions, textPositions, klSum, klMax, agreements, ceOriginal, cePruned, nonFiniteOriginal,
                nonFinitePruned);
    }

    /** Rows holding a NaN or an infinity: their sum is not finite (finite log-probabilities cannot sum past it). */
    private static int notFiniteRows(NDArray logProbabilities) {
        int rows = 0;
        for (float sum : logProbabilities.sum(new int[] {-1}).toFloatArray()) {
            rows += Float.isFinite(sum) ? 0 : 1;
        }
        return rows;
    }

    /** [end - first, vocabulary] float32 log-softmax of the head at positions [first, end). */
    private static NDArray logProbabilities(ThinkerHead head, NDArray hidden, int first, int end, NDManager scope) {
        NDArray rows;
        try (NDArray view = hidden.get(new NDIndex("{}:{}", first, end))) {
            rows = view.toDevice(scope.getDevice(), true);
        }
        rows.attach(scope);
        return head.logits(rows).toType(DataType.FLOAT32, false).logSoftmax(-1);
    }
}
