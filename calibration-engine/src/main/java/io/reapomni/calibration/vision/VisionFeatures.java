package io.reapomni.calibration.vision;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * What the vision tower gives the decoder for one video: the merged tokens that replace its {@code <video_pad>}
 * embeddings, and one deepstack feature per tapped block, added to the same positions after the first decoder layers.
 *
 * @param tokens    [videoTokens, decoderHidden]
 * @param deepstack each [videoTokens, decoderHidden]; entry i is added after decoder layer i
 */
public record VisionFeatures(NDArray tokens, List<NDArray> deepstack) {
    public VisionFeatures {
        deepstack = List.copyOf(deepstack);
    }
}
