package io.reapomni.calibration.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import io.reapomni.calibration.torch.TorchScriptKernels;

import java.util.List;

/**
 * The cosine sums of one layer's stream against the states kept from earlier layers, added to the running sums on the
 * device in one call of {@link TorchScriptKernels} rather than a dozen operations per earlier state and data set.
 */
final class CosineKernel {
    private CosineKernel() {
    }

    /**
     * Adds Σ cos(h, h_e) over each segment's tokens to its sum, in float64 from float32 dot products and norms.
     *
     * @param hidden       the stream h [N, hidden], float32
     * @param norms        ‖h‖ of every token [N]
     * @param earlier      the kept states h_e [N, hidden], on the device
     * @param earlierNorms their norms [N]
     * @param bounds       each segment's [start, end) of the stream, laid end to end
     * @param sums         float64 [1] sums, segment after segment for each earlier state in turn: added to in place
     */
    static void addSums(NDArray hidden, NDArray norms, List<NDArray> earlier, List<NDArray> earlierNorms,
                        long[] bounds, List<NDArray> sums) {
        if (sums.size() != earlier.size() * bounds.length / 2 || earlier.size() != earlierNorms.size()) {
            throw new IllegalArgumentException(sums.size() + " sums for " + earlier.size() + " earlier states ("
                    + earlierNorms.size() + " norms) and " + bounds.length / 2 + " segments");
        }
        try (IValue stream = IValue.from((PtNDArray) hidden);
             IValue streamNorms = IValue.from((PtNDArray) norms);
             IValue states = IValue.listFrom(tensors(earlier));
             IValue stateNorms = IValue.listFrom(tensors(earlierNorms));
             IValue segments = IValue.listFrom(bounds);
             IValue targets = IValue.listFrom(tensors(sums));
             IValue none = TorchScriptKernels.get().run("add_cosine_sums", stream, streamNorms, states, stateNorms,
                     segments, targets)) {
            // the sums were added to in place
        }
    }

    private static PtNDArray[] tensors(List<NDArray> arrays) {
        return arrays.stream().map(PtNDArray.class::cast).toArray(PtNDArray[]::new);
    }
}
