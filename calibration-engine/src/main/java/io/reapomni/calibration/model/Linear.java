package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Optional;

/**
 * {@code y = x Wᵀ + b} with W stored as [out, in] like PyTorch. The product runs in W's precision; input and output
 * are float32, so that the residual stream never loses precision to a float16 weight.
 */
public record Linear(NDArray weight, Optional<NDArray> bias) {

    public static Linear of(NDArray weight) {
        return new Linear(weight, Optional.empty());
    }

    public static Linear of(NDArray weight, NDArray bias) {
        return new Linear(weight, Optional.of(bias));
    }

    public long outFeatures() {
        return weight.getShape().get(0);
    }

    public NDArray apply(NDArray x) {
        DataType computeType = weight.getDataType();
        NDArray product = timesTransposed(x.toType(computeType, false), weight).toType(DataType.FLOAT32, false);
        return bias.map(product::add).orElse(product);
    }

    /** The product in W's precision, {@code x} rounded to it: for a caller that goes on in that precision. */
    public NDArray applyInWeightPrecision(NDArray x) {
        NDArray product = timesTransposed(x.toType(weight.getDataType(), false), weight);
        return bias.map(b -> product.add(b.toType(product.getDataType(), false))).orElse(product);
    }

    /** {@code x Wᵀ} for W stored as [out, in], as one PyTorch call (no transposed view made first). */
    static NDArray timesTransposed(NDArray x, NDArray weight) {
        return ai.djl.nn.core.Linear.linear(x, weight).singletonOrThrow();
    }
}
