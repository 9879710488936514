package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * A sample's deepstack features and where they go: after decoder layer i, feature i is added to the hidden states
 * at the video's token positions, as transformers does for the first {@code len(deepstack_visual_indexes)} layers.
 *
 * @param features     each [videoTokens, hidden]
 * @param scatterIndex [T]: 0 for a token outside the video, 1 + k for the video's k-th token
 */
public record Deepstack(List<NDArray> features, NDArray scatterIndex) {
    public Deepstack {
        features = List.copyOf(features);
    }

    public static Deepstack of(NDManager manager, List<NDArray> features, int[] tokenIds, int videoPadId) {
        long[] index = new long[tokenIds.length];
        long next = 1;
        for (int position = 0; position < tokenIds.length; position++) {
            index[position] = tokenIds[position] == videoPadId ? next++ : 0;
        }
        return new Deepstack(features, OwnedArrays.longs(manager, index));
    }

    /** {@code hidden} with feature {@code layer} added at the video's positions, or as it is past the last feature. */
    public NDArray addAfterLayer(int layer, NDArray hidden) {
        if (layer >= features.size()) {
            return hidden;
        }
        NDArray feature = features.get(layer);
        NDArray withZeroRow = hidden.getManager().zeros(new Shape(1, feature.getShape().get(1)))
                .concat(feature, 0);
        return hidden.add(withZeroRow.get(scatterIndex));
    }

    /** The same features on the compute device, copies owned by {@code scratch}. */
    Deepstack onDevice(NDManager scratch, StreamBatch batch) {
        return new Deepstack(features.stream().map(feature -> batch.onDevice(feature, scratch)).toList(),
                batch.onDevice(scatterIndex, scratch));
    }

    public void attach(NDManager manager) {
        features.forEach(feature -> feature.attach(manager));
        scatterIndex.attach(manager);
    }
}
