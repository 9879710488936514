package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;

/**
 * One pre-norm encoder layer of the audio tower: bidirectional attention within each window of rows, then a GELU
 * feed-forward, each added to the residual.
 */
public record AudioEncoderLayer(
        LayerNorm attentionNorm, Linear query, Linear key, Linear value, Linear output, int heads,
        LayerNorm feedForwardNorm, Linear fc1, Linear fc2) {

    /** {@code x} is [rows, dModel]; {@code windowStarts} are the window boundaries, from 0 to rows. */
    public NDArray apply(NDArray x, int[] windowStarts) {
        NDArray attended = x.add(windowedAttention(attentionNorm.apply(x), windowStarts));
        NDArray expanded = Activation.gelu(fc1.apply(feedForwardNorm.apply(attended)));
        return attended.add(fc2.apply(expanded));
    }

    private NDArray windowedAttention(NDArray x, int[] windowStarts) {
        long rows = x.getShape().get(0);
        long width = x.getShape().get(1);
        long headDim = width / heads;
        NDArray queries = query.apply(x);
        NDArray keys = key.apply(x);
        NDArray values = value.apply(x);
        NDList windows = new NDList();
        for (int w = 0; w + 1 < windowStarts.length; w++) {
            NDIndex range = new NDIndex("{}:{}", windowStarts[w], windowStarts[w + 1]);
            long length = windowStarts[w + 1] - windowStarts[w];
            NDArray q = queries.get(range).reshape(length, heads, headDim).transpose(1, 0, 2);
            NDArray k = keys.get(range).reshape(length, heads, headDim).transpose(1, 0, 2);
            NDArray v = values.get(range).reshape(length, heads, headDim).transpose(1, 0, 2);
            NDArray weights = q.matMul(k.transpose(0, 2, 1)).mul(1.0 / Math.sqrt(headDim)).softmax(-1);
            windows.add(weights.matMul(v).transpose(1, 0, 2).reshape(length, width));
        }
        return output.apply(NDArrays.concat(windows, 0).reshape(rows, width));
    }
}
