package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * What one MoE layer did with a stretch of the stream, left on the device: the router's logits, and per chunk of
 * tokens the REAP sums of every expert. Chunks never cross a {@link StreamLayout.Segment}, so that each chunk's sums
 * belong to one data set.
 *
 * @param routerLogits [N, experts], float32
 */
public record ExpertRouting(NDArray routerLogits, List<ExpertChunk> chunks) {
    public ExpertRouting {
        chunks = List.copyOf(chunks);
    }

    /**
     * The sums over the tokens {@code [start, end)} of the stream, for each expert e:
     *
     * @param routedCounts  how many of the tokens have e among their top-k (read to the host: the layer's one sync)
     * @param saliencySums  Σ over routed tokens of g_e(x)·‖f_e(x)‖₂, float64 on the device
     * @param gateSums      Σ over routed tokens of g_e(x), float64 on the device
     */
    public record ExpertChunk(int start, int end, long[] routedCounts, NDArray saliencySums, NDArray gateSums) {
    }
}
