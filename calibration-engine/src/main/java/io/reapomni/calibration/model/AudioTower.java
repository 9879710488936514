package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.audio.AudioTokenCount;

import java.util.ArrayList;
import java.util.List;

/**
 * The thinker's audio encoder: log-mel chunks through three stride-2 convolutions, per-chunk sinusoidal positions,
 * encoder layers attending within windows, and a projection to the decoder's hidden size. Its output rows replace
 * the {@code <audio_pad>} embeddings, one row per pad token.
 */
public record AudioTower(
        Conv2d conv1, Conv2d conv2, Conv2d conv3, Linear convOut, List<AudioEncoderLayer> layers, LayerNorm postNorm,
        Linear proj1, Linear proj2, int nWindow, int nWindowInfer) {

    public AudioTower {
        layers = List.copyOf(layers);
    }

    /** [tokens, outputDim] for one input; {@code tokens} is the sum of the chunks' rows after the convolutions. */
    public NDArray encode(NDManager manager, AudioFeatures features) {
        int[] chunkLengths = chunkLengths(features.frames());
        int longestChunk = 0;
        for (int length : chunkLengths) {
            longestChunk = Math.max(longestChunk, length);
        }
        NDArray chunks = paddedChunks(manager, features, chunkLengths, longestChunk);
        NDArray convolved = Activation.gelu(conv3.apply(Activation.gelu(conv2.apply(
                Activation.gelu(conv1.apply(chunks))))));
        Shape shape = convolved.getShape(); // [chunks, channels, melAfter, timeAfter]
        long timeAfter = shape.get(3);
        NDArray perFrame = convOut.apply(convolved.transpose(0, 3, 1, 2)
                .reshape(shape.get(0), timeAfter, shape.get(1) * shape.get(2)));
        long width = perFrame.getShape().get(2);
        NDArray positioned = perFrame.add(SinusoidalPositions.create(manager, Math.toIntExact(timeAfter),
                Math.toIntExact(width)));
        long[] validRows = validRows(chunkLengths, timeAfter);
        NDArray hidden = positioned.reshape(shape.get(0) * timeAfter, width).get(OwnedArrays.longs(manager, validRows));

        int[] windowStarts = windowStarts(validRows.length, AudioTokenCount.afterConvolutions(longestChunk));
        for (AudioEncoderLayer layer : layers) {
            hidden = layer.apply(hidden, windowStarts);
        }
        return proj2.apply(Activation.gelu(proj1.apply(postNorm.apply(hidden))));
    }

    /** The chunks of {@code 2 * nWindow} frames the tower encodes separately: full chunks, then the remainder. */
    private int[] chunkLengths(int frames) {
        int chunk = 2 * nWindow;
        int[] lengths = new int[Math.floorDiv(frames + chunk - 1, chunk)];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = Math.min(chunk, frames - i * chunk);
        }
        return lengths;
    }

    /** [chunks, 1, melBins, longestChunk], zero after each chunk's end as transformers pads them. */
    private static NDArray paddedChunks(NDManager manager, AudioFeatures features, int[] chunkLengths, int longest) {
        int bins = features.melBins();
        float[] padded = new float[chunkLengths.length * bins * longest];
        int start = 0;
        for (int chunk = 0; chunk < chunkLengths.length; chunk++) {
            for (int bin = 0; bin < bins; bin++) {
                for (int t = 0; t < chunkLengths[chunk]; t++) {
                    padded[(chunk * bins + bin) * longest + t] = features.value(bin, start + t);
                }
            }
            start += chunkLengths[chunk];
        }
        return OwnedArrays.floats(manager, padded, new Shape(chunkLengths.length, 1, bins, longest));
    }

    /** Flat row indices of the convolution outputs that come from real frames rather than padding. */
    private static long[] validRows(int[] chunkLengths, long timeAfter) {
        List<Long> rows = new ArrayList<>();
        for (int chunk = 0; chunk < chunkLengths.length; chunk++) {
            int valid = AudioTokenCount.afterConvolutions(chunkLengths[chunk]);
            for (int t = 0; t < valid; t++) {
                rows.add(chunk * timeAfter + t);
            }
        }
        return rows.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Attention windows over the output rows: {@code nWindowInfer / (2 nWindow)} chunks' worth of rows each (counted
     * with the longest chunk's row count), the last one shorter.
     */
    private int[] windowStarts(int total, int rowsPerLongestChunk) {
        int window = rowsPerLongestChunk * (nWindowInfer / (2 * nWindow));
        List<Integer> starts = new ArrayList<>();
        for (int start = 0; start < total; start += window) {
            starts.add(start);
        }
        starts.add(total);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }
}
