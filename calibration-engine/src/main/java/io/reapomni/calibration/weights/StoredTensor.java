package io.reapomni.calibration.weights;

import io.reapomni.common.safetensors.TensorInfo;

import java.nio.ByteBuffer;

/** One tensor's header entry and its raw little-endian bytes, for callers that need a non-float dtype. */
public record StoredTensor(TensorInfo info, ByteBuffer bytes) {
    public StoredTensor {
        bytes = bytes.asReadOnlyBuffer();
    }

    @Override
    public ByteBuffer bytes() {
        return bytes.duplicate();
    }
}
